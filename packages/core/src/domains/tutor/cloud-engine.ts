import type { LlmEngine } from '../../ai/llm/llm-engine.js';
import { AppError, type CloudSetup } from '../../contract/index.js';

/** The engine for a configured cloud service. */
export function createCloudEngine(setup: CloudSetup): LlmEngine {
  throw new AppError('ENGINE_UNAVAILABLE', `${setup.provider} is not available yet.`);
}
