import { AzureOpenAiLlmEngine } from '../../ai/llm/cloud/azure-openai-llm-engine.js';
import { BedrockLlmEngine } from '../../ai/llm/cloud/bedrock-llm-engine.js';
import type { CloudVocabulary } from '../../ai/llm/cloud/cloud-token-counter.js';
import type { LlmEngine } from '../../ai/llm/llm-engine.js';
import type { CloudSetup } from '../../contract/index.js';

/** The engine for a configured cloud service; nothing is sent until it is asked something. */
export function createCloudEngine(setup: CloudSetup, vocabulary: CloudVocabulary): LlmEngine {
  if (setup.provider === 'bedrock') {
    return new BedrockLlmEngine({
      region: setup.region,
      modelId: setup.modelId,
      vocabulary,
      credentials: {
        accessKeyId: setup.accessKeyId,
        secretAccessKey: setup.secretAccessKey,
        ...(setup.sessionToken ? { sessionToken: setup.sessionToken } : {}),
      },
    });
  }
  return new AzureOpenAiLlmEngine({
    endpoint: setup.endpoint,
    deployment: setup.deployment,
    apiVersion: setup.apiVersion,
    apiKey: setup.apiKey,
    vocabulary,
  });
}
