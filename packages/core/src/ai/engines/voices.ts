import type { Logger } from 'pino';
import {
  AppError,
  AzureSpeechSetupSchema,
  type AzureSpeechConfig,
  type AzureSpeechSetup,
  type ModelEntry,
  type Voice,
} from '../../contract/index.js';
import type { ModelManager } from '../../models/model-manager.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { AzureSpeechSynthesizer } from '../tts/azure/azure-speech-synthesizer.js';
import {
  DEFAULT_ESPEAK_VOICE,
  ESPEAK_VOICES,
  EspeakSynthesizer,
  espeakLanguage,
} from '../tts/espeak/espeak-synthesizer.js';
import { PiperSynthesizer } from '../tts/piper/piper-synthesizer.js';
import type { Synthesizer } from '../tts/synthesizer.js';
import { SpeechPreparer } from '../tts/text/speech-preparer.js';

const AZURE_SECRET = 'voices.azure-speech';

export interface VoiceEnginesOptions {
  models: ModelManager;
  secrets: SecretStore;
  logger: Logger;
  /** The voice chosen in settings, or null for the default. */
  chosen: () => string | null;
  /** CPU threads for a Piper voice. */
  threads: number;
}

export interface VoiceChoice {
  voices: Voice[];
  /** The voice to read with now. */
  current: Voice;
  azure: AzureSpeechConfig | null;
}

/**
 * Which voice reads aloud: the one chosen in settings while it can speak, else the first
 * installed Piper voice, else espeak-ng (always there). One local voice stays loaded between
 * readings; choosing another unloads it. The Azure Speech key lives in the OS keychain.
 */
export class VoiceEngines {
  /** Prepares text for speech on a warm thread (every voice shares it). */
  readonly preparer = new SpeechPreparer();
  private loaded: { id: string; synthesizer: Promise<Synthesizer> } | undefined;
  private azureSetup: Promise<AzureSpeechSetup | null> | undefined;

  constructor(private readonly options: VoiceEnginesOptions) {}

  async list(): Promise<VoiceChoice> {
    const [models, azure] = await Promise.all([this.options.models.list(), this.azure()]);
    const voices: Voice[] = [
      ...models.filter((model) => model.kind === 'tts').map(piperVoice),
      ...ESPEAK_VOICES.map(({ voice, label }) => ({
        id: `espeak:${voice}`,
        engine: 'espeak' as const,
        label,
        language: espeakLanguage(voice),
        cloud: false,
        available: true,
        modelId: null,
      })),
      ...(azure ? [azureSynthesizer(azure).voice].map(azureVoice) : []),
    ];
    const chosen = this.options.chosen();
    const current =
      voices.find((voice) => voice.id === chosen && voice.available) ??
      voices.find((voice) => voice.engine === 'piper' && voice.available) ??
      voices.find((voice) => voice.id === `espeak:${DEFAULT_ESPEAK_VOICE}`)!;
    return { voices, current, azure: azure && azureConfig(azure) };
  }

  /** The synthesizer for `voiceId` (default: the current voice), loaded; or why it cannot speak. */
  async synthesizer(voiceId?: string): Promise<Synthesizer> {
    const { voices, current } = await this.list();
    const voice = voiceId === undefined ? current : voices.find((entry) => entry.id === voiceId);
    if (!voice)
      throw new AppError('NOT_FOUND', `There is no voice "${voiceId}". Choose one in Settings › Voices.`);
    if (!voice.available)
      throw new AppError(
        'MODEL_NOT_INSTALLED',
        `Install the voice ${voice.label} in Settings › Voices first.`,
        {
          modelId: voice.modelId,
        },
      );
    if (voice.engine === 'azure') return azureSynthesizer((await this.azure())!);
    if (this.loaded?.id !== voice.id) {
      await this.unload();
      const loading = this.load(voice);
      this.loaded = { id: voice.id, synthesizer: loading };
      // A voice that failed to load is tried again next time.
      loading.catch(() => {
        if (this.loaded?.synthesizer === loading) this.loaded = undefined;
      });
    }
    return this.loaded!.synthesizer;
  }

  /** Checks the Azure Speech settings, then stores them (the key in the keychain). */
  async configureAzure(setup: AzureSpeechSetup): Promise<AzureSpeechConfig> {
    const checked = AzureSpeechSetupSchema.parse(setup);
    azureSynthesizer(checked); // refuses a bad region, endpoint or voice name
    await this.options.secrets.set(AZURE_SECRET, JSON.stringify(checked));
    this.azureSetup = undefined;
    return azureConfig(checked);
  }

  async removeAzure(): Promise<void> {
    await this.options.secrets.delete(AZURE_SECRET);
    this.azureSetup = undefined;
  }

  /** A model was installed or deleted: a deleted voice must not stay loaded. */
  async modelsChanged(): Promise<void> {
    const loaded = this.loaded;
    if (!loaded?.id.startsWith('piper:')) return;
    const { voices } = await this.list();
    if (!voices.some((voice) => voice.id === loaded.id && voice.available)) await this.unload();
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.unload(), this.preparer.close()]);
  }

  private async load(voice: Voice): Promise<Synthesizer> {
    const { models, threads, logger } = this.options;
    logger.info({ voiceId: voice.id }, 'loading voice');
    if (voice.engine === 'espeak') return EspeakSynthesizer.load(voice.id.slice('espeak:'.length));
    const modelId = voice.modelId!;
    return PiperSynthesizer.load({
      modelPath: await models.installedPath(modelId),
      configPath: models.settingsPath(modelId)!,
      modelId,
      label: voice.label,
      threads,
    });
  }

  private async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    await loaded?.synthesizer.then(
      (synthesizer) => synthesizer.close(),
      () => undefined,
    );
  }

  /** The stored Azure Speech setup, read from the keychain once; an unreadable keychain means none for now. */
  private azure(): Promise<AzureSpeechSetup | null> {
    return (this.azureSetup ??= this.options.secrets.get(AZURE_SECRET).then(
      (stored) => {
        const parsed = stored ? AzureSpeechSetupSchema.safeParse(JSON.parse(stored)) : null;
        return parsed?.success ? parsed.data : null;
      },
      (error: unknown) => {
        this.options.logger.warn(
          { err: error },
          'the Azure Speech settings cannot be read from the keychain',
        );
        this.azureSetup = undefined;
        return null;
      },
    ));
  }
}

/** A catalog voice: Piper names its files `<language>_<REGION>-<name>-<quality>`. */
function piperVoice(model: ModelEntry): Voice {
  return {
    id: `piper:${model.id}`,
    engine: 'piper',
    label: model.name,
    language: /^([a-z]{2,3})[_-]([A-Za-z]{2})\b/.exec(model.id)?.slice(1, 3).join('-').toLowerCase() ?? null,
    cloud: false,
    available: model.installed,
    modelId: model.id,
  };
}

function azureSynthesizer(setup: AzureSpeechSetup): AzureSpeechSynthesizer {
  return new AzureSpeechSynthesizer({
    key: setup.key,
    ...(setup.region && { region: setup.region }),
    ...(setup.endpoint && { endpoint: setup.endpoint }),
    ...(setup.voice && { voice: setup.voice }),
  });
}

function azureVoice({ id, label, language }: AzureSpeechSynthesizer['voice']): Voice {
  return { id, engine: 'azure', label, language, cloud: true, available: true, modelId: null };
}

function azureConfig(setup: AzureSpeechSetup): AzureSpeechConfig {
  return {
    region: setup.region || null,
    endpoint: setup.endpoint || null,
    voice: azureSynthesizer(setup).voice.id.slice('azure:'.length),
  };
}
