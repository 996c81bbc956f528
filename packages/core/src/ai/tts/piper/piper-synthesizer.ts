import { basename } from 'node:path';
import { LocalSynthesizer } from '../local/local-synthesizer.js';
import { VoiceThread } from '../local/voice-thread.js';
import { checkPiperVoice } from './piper-voice-config.js';

export interface PiperSynthesizerOptions {
  /** The voice's .onnx file... */
  modelPath: string;
  /** ...and its settings (default: the .onnx.json beside it). */
  configPath?: string;
  /** The catalog id, or null for a file the student added. */
  modelId?: string | null;
  /** Shown to the student; default the voice's name from its settings file. */
  label?: string;
  /** CPU threads for the network. */
  threads: number;
  speaker?: number;
}

/** A natural-sounding Piper voice (ONNX, on onnxruntime-node) on its own worker thread. */
export class PiperSynthesizer extends LocalSynthesizer {
  /** Loads the voice, so the first sentence is not slowed down by loading; rejects with why it cannot. */
  static async load(options: PiperSynthesizerOptions): Promise<PiperSynthesizer> {
    // Bad files are refused here, before a thread and onnxruntime are started for nothing.
    await checkPiperVoice(options.modelPath, options.configPath);
    const thread = new VoiceThread({
      kind: 'piper',
      modelPath: options.modelPath,
      ...(options.configPath !== undefined && { configPath: options.configPath }),
      threads: options.threads,
      ...(options.speaker !== undefined && { speaker: options.speaker }),
    });
    const loaded = await thread.load();
    const file = basename(options.modelPath).replace(/\.onnx$/i, '');
    return new PiperSynthesizer(
      {
        id: `piper:${options.modelId ?? file}`,
        engine: 'piper',
        label: options.label ?? `${loaded.name ?? file} (Piper)`,
        language: loaded.language,
        sampleRate: loaded.sampleRate,
        cloud: false,
        wordTimings: false,
      },
      thread,
    );
  }

  /** The phoneme ids the network gets for `sentence` (benchmarks compare with a bare session). */
  phonemeIds(sentence: string): Promise<number[]> {
    return this.thread.request<number[]>({ type: 'ids', text: sentence });
  }
}
