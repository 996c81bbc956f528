import type { Logger } from 'pino';
import {
  AppError,
  type AnsweredBy,
  type CloudSetup,
  type ModelEntry,
  type TutorEngineChoice,
  type TutorStatus,
} from '../../contract/index.js';
import type { ModelManager } from '../../models/model-manager.js';
import { loadLlamaRuntime, type GpuPreference } from '../llama/llama-runtime.js';
import { LlamaCppLlmEngine } from '../llm/llama-cpp-llm-engine.js';
import type { LlmEngine } from '../llm/llm-engine.js';
import { suggestChatModel } from './chat-model-suggestion.js';
import { chosenModel } from './chosen-model.js';
import { PROVIDER_NAMES, publicConfig, type CloudServices } from './cloud-services.js';

export interface LlmEnginesOptions {
  models: ModelManager;
  cloud: CloudServices;
  logger: Logger;
  /** The student's choice (settings). */
  choice: () => TutorEngineChoice;
  /** "Use the graphics card" (settings): a local model loaded under another answer is loaded again. */
  gpu: () => GpuPreference;
  /** llama.cpp evaluation threads. */
  threads: number;
  /** This computer's CPU cores: how large a model answers quickly here. */
  cores: number;
  /** Context tokens for local models (capped by each model's own). */
  contextTokens: number;
}

/** What the next answer will be written by, before anything is loaded. */
type Target = { kind: 'local'; model: ModelEntry; gpu: GpuPreference } | { kind: 'cloud'; setup: CloudSetup };

/**
 * Which language model answers: resolves the student's choice against what is installed, fits
 * this computer's memory and is configured in the cloud, and keeps one model loaded at a time
 * (loading another unloads it first).
 */
export class LlmEngines {
  private loaded: { key: string; engine: Promise<LlmEngine> } | undefined;

  constructor(private readonly options: LlmEnginesOptions) {}

  async status(): Promise<TutorStatus> {
    const choice = this.options.choice();
    const [models, cloud] = await Promise.all([this.chatModels(), this.options.cloud.list()]);
    let engine: AnsweredBy | null = null;
    let unavailableReason: string | null = null;
    try {
      engine = describeTarget(this.resolve(choice, models, cloud));
    } catch (error) {
      unavailableReason = (error as Error).message;
    }
    return {
      choice,
      engine,
      unavailableReason,
      localModels: models.map((model) => ({
        id: model.id,
        name: model.name,
        installed: model.installed,
        ramBytes: model.ramBytes,
        fits: model.fitsMemory,
      })),
      cloud: cloud.map(publicConfig),
      suggestedModelId: suggestChatModel(models, this.options.cores),
    };
  }

  /** Throws the reason no engine can answer now (nothing installed, too big, not set up); loads nothing. */
  async ensureAvailable(): Promise<void> {
    const [models, cloud] = await Promise.all([this.chatModels(), this.options.cloud.list()]);
    this.resolve(this.options.choice(), models, cloud);
  }

  /** The engine for the next answer, loading it if needed. */
  async acquire(): Promise<LlmEngine> {
    const [models, cloud] = await Promise.all([this.chatModels(), this.options.cloud.list()]);
    const target = this.resolve(this.options.choice(), models, cloud);
    const key = keyOf(target);
    if (this.loaded?.key === key) {
      const engine = await this.loaded.engine.catch(() => undefined);
      if (engine) return engine;
    }
    await this.unload();
    const engine = this.load(target);
    this.loaded = { key, engine };
    engine.catch(() => {
      if (this.loaded?.engine === engine) this.loaded = undefined;
    });
    return engine;
  }

  /** Unloads the loaded engine (when the choice or the installed models change, and on close). */
  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    const engine = await loaded?.engine.catch(() => undefined);
    await engine?.close();
  }

  /** Unloads the loaded engine if it is no longer the one to use (the choice or what is installed changed). */
  async releaseIfStale(): Promise<void> {
    if (!this.loaded) return;
    const [models, cloud] = await Promise.all([this.chatModels(), this.options.cloud.list()]);
    let key: string | undefined;
    try {
      key = keyOf(this.resolve(this.options.choice(), models, cloud));
    } catch {
      key = undefined; // nothing can answer now
    }
    if (key !== this.loaded?.key) await this.unload();
  }

  /** A cloud service was set up or removed: a loaded cloud engine may use old keys. */
  async cloudChanged(): Promise<void> {
    if (this.loaded?.key.startsWith('cloud:')) await this.unload();
  }

  private resolve(choice: TutorEngineChoice, models: ModelEntry[], cloud: CloudSetup[]): Target {
    if (choice.kind === 'local') {
      const model = chosenModel(models, choice.modelId, 'chat model');
      if (!model.fitsMemory)
        throw new AppError(
          'ENGINE_UNAVAILABLE',
          `${model.name} cannot run on this computer. ${model.memoryNote}`,
          {
            modelId: model.id,
            problem: 'memory',
          },
        );
      return { kind: 'local', model, gpu: this.options.gpu() };
    }
    if (choice.kind === 'cloud') {
      const setup = cloud.find((entry) => entry.provider === choice.provider);
      if (!setup)
        throw new AppError(
          'ENGINE_UNAVAILABLE',
          `${PROVIDER_NAMES[choice.provider]} is not set up. Add its keys in Settings › Tutor, or choose a model on this computer.`,
        );
      return { kind: 'cloud', setup };
    }
    // Automatic: the most capable installed model that fits, else a cloud service the student set up.
    const local = models
      .filter((model) => model.installed && model.fitsMemory)
      .sort((a, b) => b.ramBytes - a.ramBytes)[0];
    if (local) return { kind: 'local', model: local, gpu: this.options.gpu() };
    if (cloud[0]) return { kind: 'cloud', setup: cloud[0] };
    const tooBig = models.find((model) => model.installed && !model.fitsMemory);
    throw new AppError(
      'MODEL_NOT_INSTALLED',
      tooBig
        ? `The installed chat model ${tooBig.name} is too big for this computer's memory. Install a smaller one in Settings › Models, or set up a cloud service in Settings › Tutor.`
        : 'No chat model is installed. Install one in Settings › Models (or use a model file you already have), or set up a cloud service in Settings › Tutor.',
    );
  }

  private async load(target: Target): Promise<LlmEngine> {
    if (target.kind === 'cloud') return this.options.cloud.engine(target.setup);
    const modelPath = await this.options.models.installedPath(target.model.id);
    this.options.logger.info({ modelId: target.model.id }, 'loading chat model');
    return LlamaCppLlmEngine.load({
      modelPath,
      modelId: target.model.id,
      label: target.model.name,
      threads: this.options.threads,
      contextSize: this.options.contextTokens,
      runtime: await loadLlamaRuntime(target.gpu),
    });
  }

  private async chatModels(): Promise<ModelEntry[]> {
    return (await this.options.models.list()).filter((model) => model.kind === 'llm');
  }
}

/** Which engine a target loads: the same key, the same engine. */
const keyOf = (target: Target) =>
  target.kind === 'local'
    ? `local:${target.model.id}:${target.gpu}`
    : `cloud:${JSON.stringify(target.setup)}`;

function describeTarget(target: Target): AnsweredBy {
  if (target.kind === 'local') return { id: target.model.id, label: target.model.name, cloud: false };
  const { setup } = target;
  const model = setup.provider === 'bedrock' ? setup.modelId : setup.deployment;
  return {
    id: `${setup.provider}:${model}`,
    label: `${PROVIDER_NAMES[setup.provider]} (${model})`,
    cloud: true,
  };
}
