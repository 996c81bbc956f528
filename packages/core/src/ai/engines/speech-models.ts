import type { Logger } from 'pino';
import type { Transcriber } from '../stt/transcriber.js';
import { WhisperTranscriber } from '../stt/whisper-transcriber.js';
import { AppError, bySpeechPreference, type ModelEntry } from '../../contract/index.js';
import type { ModelManager } from '../../models/model-manager.js';
import type { GpuPreference } from '../llama/llama-runtime.js';
import { chosenModel } from './chosen-model.js';

export interface LoadedTranscriber {
  modelId: string;
  transcriber: Transcriber;
}

/**
 * Which speech model transcribes: the one chosen in settings, else the best installed for live
 * captions. One model stays loaded; asking for another unloads it first.
 */
export class SpeechModels {
  private loaded: { modelId: string; gpu: GpuPreference; transcriber: WhisperTranscriber } | undefined;

  constructor(
    private readonly models: ModelManager,
    private readonly chosen: () => string | null,
    /** "Use the graphics card" (settings): whisper.cpp's GPU build where the binding has one. */
    private readonly gpu: () => GpuPreference,
    private readonly logger: Logger,
  ) {}

  /** The model to use now (`modelId` when given), or why there is none. */
  async pick(modelId?: string): Promise<ModelEntry> {
    const speech = (await this.models.list()).filter((model) => model.kind === 'stt');
    const wanted = modelId ?? this.chosen();
    if (wanted) return chosenModel(speech, wanted, 'speech model');
    const best = speech.filter((model) => model.installed).sort(bySpeechPreference)[0];
    if (!best)
      throw new AppError(
        'MODEL_NOT_INSTALLED',
        'No speech recognition model is installed. Install one in Settings › Models (Whisper base.en is a good start) to transcribe lectures.',
      );
    return best;
  }

  /**
   * The loaded transcriber for `model` on the device "Use the graphics card" allows, loading it
   * (and unloading another) if needed.
   */
  async transcriber(model: ModelEntry): Promise<LoadedTranscriber> {
    const gpu = this.gpu();
    if (this.loaded?.modelId !== model.id || this.loaded.gpu !== gpu) {
      await this.unload();
      const modelPath = await this.models.installedPath(model.id);
      this.logger.info({ modelId: model.id, gpu }, 'loading speech model');
      this.loaded = {
        modelId: model.id,
        gpu,
        transcriber: new WhisperTranscriber({ modelPath, modelId: model.id, useGpu: gpu === 'auto' }),
      };
    }
    return this.loaded;
  }

  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    await loaded?.transcriber.close();
  }
}
