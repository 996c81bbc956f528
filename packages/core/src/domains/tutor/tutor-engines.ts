import type { Logger } from 'pino';
import { loadLlamaRuntime, type GpuPreference } from '../../ai/llama/llama-runtime.js';
import { LlamaCppLlmEngine } from '../../ai/llm/llama-cpp-llm-engine.js';
import type { LlmEngine } from '../../ai/llm/llm-engine.js';
import {
  AppError,
  CLOUD_PROVIDERS,
  CloudSetupSchema,
  type AnsweredBy,
  type CloudConfig,
  type CloudProvider,
  type CloudSetup,
  type ModelEntry,
  type TutorEngineChoice,
  type TutorStatus,
} from '../../contract/index.js';
import type { ModelManager } from '../../models/model-manager.js';
import type { SecretStore } from '../../secrets/secret-store.js';

/** Makes the engine for a configured cloud service (no network until it is asked something). */
export type CloudEngineFactory = (setup: CloudSetup) => LlmEngine;

export interface TutorEnginesOptions {
  models: ModelManager;
  secrets: SecretStore;
  logger: Logger;
  choice: () => TutorEngineChoice;
  /** "Use the graphics card" for local models, read at each load. */
  gpu: () => GpuPreference;
  cloudEngine: CloudEngineFactory;
  /** llama.cpp evaluation threads. */
  threads: number;
  /** Context tokens for local models (capped by each model's own). */
  contextTokens: number;
}

const PROVIDER_NAMES: Record<CloudProvider, string> = { bedrock: 'Amazon Bedrock', azure: 'Azure OpenAI' };
const secretName = (provider: CloudProvider) => `cloud.${provider}`;

/** What the next answer will be written by, before anything is loaded. */
type Target = { kind: 'local'; model: ModelEntry } | { kind: 'cloud'; setup: CloudSetup };

/**
 * Which language model answers: resolves the student's choice against what is installed and
 * configured, keeps one local model loaded at a time (loading another unloads it first), and
 * keeps cloud credentials in the OS keychain.
 */
export class TutorEngines {
  private loaded: { key: string; engine: Promise<LlmEngine> } | undefined;
  private cloud: Promise<CloudSetup[]> | undefined;

  constructor(private readonly options: TutorEnginesOptions) {}

  async status(): Promise<TutorStatus> {
    const choice = this.options.choice();
    const [models, cloud] = await Promise.all([this.chatModels(), this.cloudSetups()]);
    let engine: AnsweredBy | null = null;
    let unavailableReason: string | null = null;
    try {
      engine = describeTarget(this.resolve(choice, models, cloud));
    } catch (error) {
      unavailableReason = (error as Error).message;
    }
    const fitting = models.filter((model) => model.fitsMemory).sort((a, b) => b.ramBytes - a.ramBytes);
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
      suggestedModelId: fitting[0]?.id ?? null,
    };
  }

  /** Throws the reason no engine can answer now (nothing installed, too big, not set up); loads nothing. */
  async ensureAvailable(): Promise<void> {
    const [models, cloud] = await Promise.all([this.chatModels(), this.cloudSetups()]);
    this.resolve(this.options.choice(), models, cloud);
  }

  /** The engine for the next answer, loading it if needed. */
  async acquire(): Promise<LlmEngine> {
    const [models, cloud] = await Promise.all([this.chatModels(), this.cloudSetups()]);
    const target = this.resolve(this.options.choice(), models, cloud);
    const key =
      target.kind === 'local' ? `local:${target.model.id}` : `cloud:${JSON.stringify(target.setup)}`;
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

  async configureCloud(setup: CloudSetup): Promise<CloudConfig> {
    await this.options.secrets.set(secretName(setup.provider), JSON.stringify(setup));
    this.cloud = undefined;
    if (this.loaded?.key.startsWith('cloud:')) await this.unload();
    return publicConfig(setup);
  }

  async removeCloud(provider: CloudProvider): Promise<void> {
    await this.options.secrets.delete(secretName(provider));
    this.cloud = undefined;
    if (this.loaded?.key.startsWith('cloud:')) await this.unload();
  }

  private resolve(choice: TutorEngineChoice, models: ModelEntry[], cloud: CloudSetup[]): Target {
    if (choice.kind === 'local') {
      const model = models.find((entry) => entry.id === choice.modelId);
      if (!model)
        throw new AppError('NOT_FOUND', `There is no chat model "${choice.modelId}" in this app's catalog.`);
      if (!model.installed)
        throw new AppError(
          'MODEL_NOT_INSTALLED',
          `Install the ${model.name} model in Settings › Models first.`,
          {
            modelId: model.id,
          },
        );
      if (!model.fitsMemory)
        throw new AppError(
          'ENGINE_UNAVAILABLE',
          `${model.name} cannot run on this computer. ${model.memoryNote}`,
          {
            modelId: model.id,
            problem: 'memory',
          },
        );
      return { kind: 'local', model };
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
    if (local) return { kind: 'local', model: local };
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
    if (target.kind === 'cloud') return this.options.cloudEngine(target.setup);
    const modelPath = await this.options.models.installedPath(target.model.id);
    this.options.logger.info({ modelId: target.model.id }, 'loading chat model');
    return LlamaCppLlmEngine.load({
      modelPath,
      modelId: target.model.id,
      label: target.model.name,
      threads: this.options.threads,
      contextSize: this.options.contextTokens,
      runtime: await loadLlamaRuntime(this.options.gpu()),
    });
  }

  private async chatModels(): Promise<ModelEntry[]> {
    return (await this.options.models.list()).filter((model) => model.kind === 'llm');
  }

  /**
   * Configured cloud services, read from the keychain once (every status and question needs
   * them; only configuring or removing one changes them). An unreadable keychain means none,
   * for now.
   */
  private cloudSetups(): Promise<CloudSetup[]> {
    this.cloud ??= this.readCloudSetups();
    return this.cloud;
  }

  private async readCloudSetups(): Promise<CloudSetup[]> {
    const setups = await Promise.all(
      CLOUD_PROVIDERS.map(async (provider) => {
        try {
          const stored = await this.options.secrets.get(secretName(provider));
          if (!stored) return [];
          const parsed = CloudSetupSchema.safeParse(JSON.parse(stored));
          return parsed.success && parsed.data.provider === provider ? [parsed.data] : [];
        } catch (error) {
          this.options.logger.warn(
            { provider, err: error },
            'cloud settings cannot be read from the keychain',
          );
          this.cloud = undefined; // read again next time: the keychain may be unlocked by then
          return [];
        }
      }),
    );
    return setups.flat();
  }
}

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

/** The settings of a cloud service without its keys. */
function publicConfig(setup: CloudSetup): CloudConfig {
  if (setup.provider === 'bedrock')
    return { provider: 'bedrock', region: setup.region, modelId: setup.modelId };
  return {
    provider: 'azure',
    endpoint: setup.endpoint,
    deployment: setup.deployment,
    apiVersion: setup.apiVersion,
  };
}
