import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import type { CloudConfig, CloudProvider, CloudSetup, GraphicsInfo, Settings } from '../../contract/index.js';
import type { ModelManager } from '../../models/model-manager.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { describeGraphics } from '../llama/graphics-info.js';
import { loadLlamaRuntime } from '../llama/llama-runtime.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import { TesseractOcrEngine } from '../ocr/tesseract-ocr-engine.js';
import { resolveTokenCounter, type LoadedTokenCounter } from '../tokenizer/vocabulary-token-counter.js';
import { SileroVad } from '../vad/silero-vad.js';
import { CloudServices } from './cloud-services.js';
import { EmbedderSlot } from './embedder-slot.js';
import { LlmEngines } from './llm-engines.js';
import { SpeechModels } from './speech-models.js';
import { VoiceEngines } from './voices.js';

/** The kinds of engine whose choice depends on settings, installed models or cloud services. */
export type EnginePort = 'llm' | 'embedder' | 'transcriber' | 'voice';

export interface EngineProviderOptions {
  models: ModelManager;
  secrets: SecretStore;
  logger: Logger;
  /** The student's settings as they are now (read at each use, never while the provider is made). */
  settings: () => Settings;
  /** The app's resources (bundled vocabularies, language data) and a cache folder it may fill. */
  resourcesDir: string;
  cacheDir: string;
  /** Told when what some ports would pick may have changed (the kit turns it into `engines.changed`). */
  onChange: (ports: EnginePort[]) => void;
  /** llama.cpp threads for the chat model; default all cores but one (the UI and the rest of the engine keep one). */
  llmThreads?: number;
  /** Context tokens for local chat models; default 4096 (sources, history and answer fit with room). */
  llmContextTokens?: number;
}

const DEFAULT_CONTEXT_TOKENS = 4096;

/**
 * Every AI engine the app uses, in one place: which chat model (local or cloud), embedding
 * model, speech model and read-aloud voice to use now, from the settings, the installed models, this computer's
 * memory and the cloud services set up; and the OCR engine, voice activity detector and the
 * tokenizer passages are measured with. Each engine is loaded on first use and released at the
 * end. A domain asks here ("the LLM to use now") and never picks an engine itself. A new port
 * (a GPU build) is one more field here.
 */
export class EngineProvider {
  readonly cloud: CloudServices;
  /** The chat model for the tutor and anything else that writes text. */
  readonly llm: LlmEngines;
  /** The embedding model search by meaning uses. */
  readonly embedder: EmbedderSlot;
  /** The speech model for captions and transcriptions. */
  readonly transcriber: SpeechModels;
  /** The voice that reads aloud, and the text preparation it needs. */
  readonly voices: VoiceEngines;
  private ocrEngine: TesseractOcrEngine | undefined;
  private vadEngine: Promise<SileroVad> | undefined;
  private tokens: Promise<LoadedTokenCounter> | undefined;

  constructor(private readonly options: EngineProviderOptions) {
    const { models, logger, settings } = options;
    const vocabulary = { vocabularyDirs: [options.resourcesDir], cacheDir: options.cacheDir };
    this.cloud = new CloudServices(options.secrets, logger, vocabulary);
    this.llm = new LlmEngines({
      models,
      cloud: this.cloud,
      logger,
      choice: () => settings().tutorEngine,
      gpu: () => settings().useGpu,
      threads: options.llmThreads ?? Math.max(1, availableParallelism() - 1),
      cores: availableParallelism(),
      contextTokens: options.llmContextTokens ?? DEFAULT_CONTEXT_TOKENS,
    });
    this.embedder = new EmbedderSlot(
      models,
      logger,
      () => settings().embeddingModelId,
      () => settings().useGpu,
    );
    this.transcriber = new SpeechModels(
      models,
      () => settings().transcriptionModelId,
      () => settings().useGpu,
      logger,
    );
    this.voices = new VoiceEngines({
      models,
      secrets: options.secrets,
      logger,
      chosen: () => settings().readAloudVoiceId,
      // A voice keeps ahead of playback on two threads; more would slow the rest of the app.
      threads: Math.min(2, Math.max(1, availableParallelism() - 1)),
    });
  }

  /**
   * Where local models run under "Use the graphics card" as set now: the backend they load on,
   * or the processor and why (starting llama.cpp's runtime for it if no model has yet).
   */
  async graphics(): Promise<GraphicsInfo> {
    return describeGraphics(await loadLlamaRuntime(this.options.settings().useGpu));
  }

  /** Text recognition in images and scanned pages (loaded on first use). */
  ocr(): OcrEngine {
    return (this.ocrEngine ??= new TesseractOcrEngine());
  }

  /** Tells speech from silence (Silero); a failed load is tried again next time. */
  vad(): Promise<SileroVad> {
    const loading = (this.vadEngine ??= SileroVad.load());
    loading.catch(() => {
      if (this.vadEngine === loading) this.vadEngine = undefined;
    });
    return loading;
  }

  /**
   * The real token measure passages are sized with: a bundled vocabulary like the embedders'
   * (found in the resources, or extracted to the cache), resolved on first use.
   */
  tokenizer(): Promise<LoadedTokenCounter> {
    return (this.tokens ??= resolveTokenCounter({
      vocabularyDirs: [this.options.resourcesDir],
      cacheDir: this.options.cacheDir,
    }).then((loaded) => {
      this.options.logger.info(
        { source: loaded.source, exact: loaded.exact },
        'passages are measured in tokens',
      );
      return loaded;
    }));
  }

  /** The settings changed: engines chosen there are picked again at their next use. */
  settingsChanged(current: Settings, previous: Settings): void {
    const ports: EnginePort[] = [];
    // Local models load again on the device "Use the graphics card" now allows.
    const gpuChanged = current.useGpu !== previous.useGpu;
    if (current.embeddingModelId !== previous.embeddingModelId || gpuChanged) {
      this.embedder.reconsider();
      ports.push('embedder');
    }
    if (JSON.stringify(current.tutorEngine) !== JSON.stringify(previous.tutorEngine) || gpuChanged)
      ports.push('llm');
    if (current.transcriptionModelId !== previous.transcriptionModelId || gpuChanged)
      ports.push('transcriber');
    if (current.readAloudVoiceId !== previous.readAloudVoiceId) ports.push('voice');
    if (ports.length > 0) this.options.onChange(ports);
  }

  /** A model was installed or deleted: every port may pick another one. */
  modelsChanged(): void {
    this.embedder.reconsider();
    void this.voices.modelsChanged().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'a deleted voice could not be unloaded');
    });
    this.options.onChange(['llm', 'embedder', 'transcriber', 'voice']);
  }

  async configureCloud(setup: CloudSetup): Promise<CloudConfig> {
    const config = await this.cloud.configure(setup);
    await this.llm.cloudChanged();
    this.options.onChange(['llm']);
    return config;
  }

  async removeCloud(provider: CloudProvider): Promise<void> {
    await this.cloud.remove(provider);
    await this.llm.cloudChanged();
    this.options.onChange(['llm']);
  }

  /** Releases every loaded engine; each is released even when another fails to. */
  async close(): Promise<void> {
    const closed = await Promise.allSettled([
      this.llm.unload(),
      this.embedder.close(),
      this.transcriber.unload(),
      this.voices.close(),
      this.ocrEngine?.close(),
      this.vadEngine?.then(
        (vad) => vad.close(),
        () => undefined,
      ),
      this.tokens?.then((loaded) => loaded.close()),
    ]);
    for (const outcome of closed) {
      if (outcome.status === 'rejected')
        this.options.logger.warn({ err: outcome.reason }, 'an engine did not close cleanly');
    }
  }
}
