/**
 * A Piper voice on onnxruntime-node, run on a voice thread: espeak-ng phonemes (the ones the
 * voice was trained on) become ids by the voice's own map, and the VITS network turns them into
 * audio in one pass per sentence.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { AppError } from '../../../contract/errors.js';
import type { EspeakNg } from '../espeak/espeak-ng.js';
import type { SynthesizedSpeech } from '../synthesizer.js';
import { phonemeIds, piperPhonemes } from './piper-phonemes.js';
import { checkPiperVoice, damagedVoice, type PiperVoiceConfig } from './piper-voice-config.js';

export interface PiperVoiceOptions {
  /** The voice's .onnx file... */
  modelPath: string;
  /** ...and its settings (default: the .onnx.json beside it). */
  configPath?: string;
  /** CPU threads for the network; always explicit (a library default oversubscribes small machines). */
  threads: number;
  /** For voices with several speakers; default the first. */
  speaker?: number;
}

/** Piper scales each sentence's loudest sample to full scale, so sentences sound equally loud. */
const MIN_PEAK = 0.01;

export class PiperVoice {
  private constructor(
    readonly config: PiperVoiceConfig,
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    private readonly espeak: EspeakNg,
    private readonly speaker: number,
  ) {}

  get sampleRate(): number {
    return this.config.sampleRate;
  }

  static async load(options: PiperVoiceOptions, espeak: EspeakNg): Promise<PiperVoice> {
    const { modelPath } = options;
    const name = basename(modelPath);
    const config = await checkPiperVoice(modelPath, options.configPath);
    const damaged = (reason: string) => damagedVoice(modelPath, reason);
    try {
      espeak.useVoice(config.espeakVoice);
    } catch {
      throw new AppError(
        'MODEL_NOT_INSTALLED',
        `The voice ${name} needs espeak-ng's "${config.espeakVoice}" language, which Little Monster does not have.`,
        { modelPath, problem: 'language', espeakVoice: config.espeakVoice },
      );
    }
    const speaker = options.speaker ?? 0;
    if (!Number.isInteger(speaker) || speaker < 0 || speaker >= config.speakers) {
      throw new AppError(
        'INVALID_INPUT',
        `The voice ${name} has ${config.speakers} speaker(s); there is no speaker ${speaker}.`,
      );
    }
    const ort = await import('onnxruntime-node');
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(await readFile(modelPath), {
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
    } catch (error) {
      throw damaged((error as Error).message);
    }
    const expected = ['input', 'input_lengths', 'scales', ...(config.speakers > 1 ? ['sid'] : [])];
    const missing = expected.filter((input) => !session.inputNames.includes(input));
    if (missing.length > 0 || session.outputNames.length === 0) {
      await session.release();
      throw damaged(missing.length > 0 ? `it has no input named ${missing.join(', ')}` : 'it has no output');
    }
    return new PiperVoice(config, ort, session, espeak, speaker);
  }

  /** The ids the network is given for `sentence` (unknown phonemes skipped, as Piper does). */
  ids(sentence: string): number[] {
    this.espeak.useVoice(this.config.espeakVoice);
    return phonemeIds(piperPhonemes(sentence, this.espeak, this.config), this.config).ids;
  }

  async synthesize(sentence: string, speed: number): Promise<SynthesizedSpeech> {
    const ids = this.ids(sentence);
    // Start, pad and end only: punctuation or symbols with no sound.
    if (ids.length <= 3) return { samples: new Float32Array(0), sampleRate: this.sampleRate, words: null };
    const samples = await this.run(ids, speed);
    let peak = 0;
    for (let i = 0; i < samples.length; i++) {
      const value = samples[i]!;
      if (!Number.isFinite(value)) {
        throw new AppError(
          'MODEL_NOT_INSTALLED',
          'The voice produced invalid audio: its file is damaged. Download it again.',
        );
      }
      peak = Math.max(peak, Math.abs(value));
    }
    const scale = 1 / Math.max(MIN_PEAK, peak);
    for (let i = 0; i < samples.length; i++) samples[i]! *= scale;
    return { samples, sampleRate: this.sampleRate, words: null };
  }

  /** The raw network output for `ids` (what bench/ compares against a bare onnxruntime session). */
  async run(ids: number[], speed: number): Promise<Float32Array> {
    const { Tensor } = this.ort;
    const { noiseScale, lengthScale, noiseW } = this.config;
    const feeds: Record<string, Ort.Tensor> = {
      input: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      input_lengths: new Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
      scales: new Tensor('float32', Float32Array.of(noiseScale, lengthScale / speed, noiseW), [3]),
    };
    if (this.config.speakers > 1)
      feeds.sid = new Tensor('int64', BigInt64Array.of(BigInt(this.speaker)), [1]);
    const outputs = await this.session.run(feeds);
    const audio = outputs[this.session.outputNames[0]!]!;
    if (audio.type !== 'float32') {
      throw new AppError(
        'MODEL_NOT_INSTALLED',
        `The voice's network gives ${audio.type} values, not audio: it is not a Piper voice.`,
      );
    }
    // A copy the thread can hand over (the tensor may view memory onnxruntime reuses).
    return Float32Array.from(audio.data as Float32Array);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
