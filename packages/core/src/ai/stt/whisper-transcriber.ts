import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../contract/index.js';
import { workerScript, type WorkerScript } from '../../workers/worker-task.js';
import { checkModelFile } from '../../models/model-file-format.js';
import {
  TRANSCRIBER_SAMPLE_RATE,
  type TranscribeOptions,
  type Transcriber,
  type Transcript,
  type TranscriptSegment,
} from './transcriber.js';
import type { WhisperBindingName } from './whisper-binding.js';
import type { FromWhisperWorker, ToWhisperWorker, WhisperWorkerData } from './whisper-messages.js';

export interface WhisperTranscriberOptions {
  /** A whisper.cpp ggml model file (ggml-base.en.bin and the like). */
  modelPath: string;
  /** The catalog id, to name the model in messages. */
  modelId?: string;
  /** Use the graphics card when the binding has a build for one (default: no). */
  useGpu?: boolean;
  /** The whisper.cpp binding (whisper-binding.ts); 'auto' (default) takes this platform's. */
  binding?: WhisperBindingName | 'auto';
}

/** whisper.cpp treats a vocabulary this large or larger as multilingual. */
const MULTILINGUAL_VOCABULARY = 51865;
/** whisper conditions on at most 224 prompt tokens; more text is wasted work. */
const MAX_PROMPT_CHARS = 1000;
const MAX_THREADS = 64;

const WORKER = workerScript(import.meta.url, 'whisper-worker');

interface Engine {
  worker: Worker;
  multilingual: boolean;
}

/** A cancelled thread still inside whisper.cpp past this is terminated anyway. */
const STOP_DEADLINE_MS = 60_000;

/**
 * Speech to text with whisper.cpp (whisper-binding.ts) in a worker thread that keeps the model
 * loaded between calls. The model file is checked before whisper.cpp sees it (a damaged file
 * must give a message, not take the engine down). Long audio is transcribed in windows of at
 * most 30 s: progress and segments arrive per window, and a cancel terminates the thread.
 */
export class WhisperTranscriber implements Transcriber {
  private engine: Promise<Engine> | null = null;
  /** The engine once started (the promise above cannot be looked into synchronously). */
  private live: Engine | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  /** Bumped by close(), so an engine that finishes starting after it is not kept. */
  private generation = 0;
  /** Threads being terminated (one still inside whisper.cpp exits when its window ends). */
  private readonly stopping = new Set<Promise<unknown>>();

  constructor(private readonly options: WhisperTranscriberOptions) {}

  /** Checks the model and loads it, so the first utterance is not slowed by loading. */
  static async load(options: WhisperTranscriberOptions): Promise<WhisperTranscriber> {
    const transcriber = new WhisperTranscriber(options);
    await transcriber.startedEngine();
    return transcriber;
  }

  transcribe(samples: Float32Array, options: TranscribeOptions): Promise<Transcript> {
    let request: PreparedRequest;
    try {
      request = prepare(samples, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const run = this.queue.then(() => this.run(request, options));
    this.queue = run.catch(() => undefined);
    return untilAborted(run, options.signal);
  }

  async close(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.live = null;
    this.generation += 1;
    const started = await engine?.catch(() => null);
    if (started) this.stop(started.worker);
    await Promise.all(this.stopping);
  }

  private async run(request: PreparedRequest, options: TranscribeOptions): Promise<Transcript> {
    const { signal } = options;
    throwIfAborted(signal);
    let engine = await this.startedEngine();
    if (engine.worker.threadId < 0) {
      // The thread died while idle: start a fresh one.
      this.forget(engine.worker);
      engine = await this.startedEngine();
    }
    throwIfAborted(signal);
    const language = resolveLanguage(request.language, engine.multilingual);
    const durationSec = request.samples.length / TRANSCRIBER_SAMPLE_RATE;
    if (request.samples.length === 0) {
      options.onProgress?.(1);
      return { segments: [], language: language === 'auto' ? null : language, durationSec };
    }
    const { worker } = engine;
    const id = this.nextId++;
    const segments: TranscriptSegment[] = [];
    return new Promise<Transcript>((resolve, reject) => {
      const finish = (settle: () => void) => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        worker.unref(); // an idle engine does not keep the process alive
        settle();
      };
      const onMessage = (message: FromWhisperWorker) => {
        if (!('id' in message) || message.id !== id) return;
        if (message.type === 'window') {
          try {
            for (const segment of message.segments) {
              segments.push(segment);
              options.onSegment?.(segment);
            }
            options.onProgress?.(message.progress);
          } catch (error) {
            // The caller's callback failed: stop the work rather than crash the engine's thread.
            this.forget(worker);
            this.stopAfter(worker, id);
            finish(() => reject(error as Error));
          }
        } else if (message.type === 'done') {
          const found = message.language ?? (language === 'auto' ? null : language);
          finish(() => resolve({ segments, language: found, durationSec }));
        } else if (message.type === 'failed') {
          finish(() => reject(new AppError(message.code, message.message)));
        }
      };
      const onExit = () => {
        this.forget(worker);
        finish(() =>
          reject(
            new AppError(
              'INTERNAL',
              'Speech recognition stopped unexpectedly (it may have run out of memory).',
            ),
          ),
        );
      };
      const onAbort = () => {
        this.forget(worker);
        this.stopAfter(worker, id);
        finish(() => reject(cancelled()));
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.ref();
      const message: ToWhisperWorker = { ...request, language, id };
      const transfer = request.samples.buffer instanceof ArrayBuffer ? [request.samples.buffer] : [];
      worker.postMessage(message, transfer);
    });
  }

  private startedEngine(): Promise<Engine> {
    if (!this.engine) {
      const starting = this.startEngine();
      this.engine = starting;
      starting.catch(() => {
        if (this.engine === starting) this.engine = null;
      });
    }
    return this.engine;
  }

  private async startEngine(): Promise<Engine> {
    const generation = this.generation;
    const { modelPath } = this.options;
    const name = this.options.modelId ? `The speech model "${this.options.modelId}"` : 'The speech model';
    if (!existsSync(modelPath)) {
      throw new AppError(
        'MODEL_NOT_INSTALLED',
        `${name} is not installed (there is no file at ${modelPath}). Install one from Settings > Models to transcribe lectures.`,
        { modelId: this.options.modelId, modelPath, problem: 'missing' },
      );
    }
    const damaged = (reason: string) =>
      new AppError(
        'MODEL_NOT_INSTALLED',
        `${name} could not be loaded: the file ${modelPath} is damaged or is not a whisper.cpp model. ` +
          `Download it again from Settings > Models. (${reason})`,
        { modelId: this.options.modelId, modelPath, problem: 'damaged', reason },
      );
    // whisper.cpp may crash the whole process on a malformed file: it only ever sees checked ones.
    const info = await checkModelFile(modelPath, 'ggml-whisper').catch((error: unknown) => {
      throw damaged((error as Error).message);
    });
    if (info.format !== 'ggml-whisper') throw damaged('it is not a whisper.cpp model');

    const data: WhisperWorkerData = {
      modelPath,
      useGpu: this.options.useGpu ?? false,
      binding: this.options.binding ?? 'auto',
    };
    const worker = startWorkerThread(WORKER, data);
    // A thread that fails between requests must not crash the engine with an unhandled 'error'.
    worker.on('error', () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once('message', (message: FromWhisperWorker) => {
          if (message.type === 'ready') resolve();
          else reject(damaged(message.type === 'load-failed' ? message.message : 'no answer'));
        });
        worker.once('exit', (code) =>
          reject(new AppError('INTERNAL', `The speech recognizer could not start (exit code ${code}).`)),
        );
      });
    } catch (error) {
      this.stop(worker);
      throw error;
    }
    if (generation !== this.generation) {
      this.stop(worker);
      throw new AppError('ENGINE_UNAVAILABLE', 'The speech recognizer was closed.');
    }
    worker.removeAllListeners('exit');
    worker.once('exit', () => this.forget(worker));
    worker.unref();
    this.live = { worker, multilingual: info.vocabularySize >= MULTILINGUAL_VOCABULARY };
    return this.live;
  }

  /** Drops the engine running on `worker`, so the next call starts a fresh one. */
  private forget(worker: Worker): void {
    if (this.live?.worker !== worker) return;
    this.live = null;
    this.engine = null;
  }

  private stop(worker: Worker): void {
    this.track(worker.terminate().catch(() => undefined));
  }

  /**
   * Stops a thread busy with request `id`: asked to stop before its next window, it is terminated
   * once out of whisper.cpp. Terminating it inside a native call can abort the whole process
   * (@fugood/whisper.node then throws into a thread that is gone).
   */
  private stopAfter(worker: Worker, id: number): void {
    const outOfWhisper = new Promise<void>((resolve) => {
      setTimeout(resolve, STOP_DEADLINE_MS).unref();
      worker.once('exit', () => resolve());
      worker.on('message', (message: FromWhisperWorker) => {
        if ('id' in message && message.id === id && message.type !== 'window') resolve();
      });
      worker.postMessage({ type: 'cancel', id } satisfies ToWhisperWorker);
    });
    this.track(outOfWhisper.then(() => worker.terminate()).catch(() => undefined));
  }

  private track(stopping: Promise<unknown>): void {
    this.stopping.add(stopping);
    void stopping.then(() => this.stopping.delete(stopping));
  }
}

interface PreparedRequest {
  samples: Float32Array;
  language: string;
  initialPrompt: string;
  threads: number;
  words: boolean;
  shortAudioContext: boolean;
}

/** Checks the call's input before it waits in the queue; copies the samples for the thread. */
function prepare(samples: Float32Array, options: TranscribeOptions): PreparedRequest {
  if (!(samples instanceof Float32Array)) {
    throw new AppError('INVALID_INPUT', 'Transcription needs 16 kHz mono audio as Float32 samples.');
  }
  if (!Number.isInteger(options.threads) || options.threads < 1 || options.threads > MAX_THREADS) {
    throw new AppError('INVALID_INPUT', `Threads must be a whole number from 1 to ${MAX_THREADS}.`);
  }
  const language = (options.language ?? 'auto').trim().toLowerCase();
  if (!/^[a-z]+$/.test(language)) {
    throw new AppError(
      'INVALID_INPUT',
      `"${options.language}" is not a language code such as "en" or "auto".`,
    );
  }
  return {
    // A copy the thread can own: a view into a larger buffer would otherwise send all of it.
    // (A SharedArrayBuffer is shared as is, without a copy.)
    samples: samples.buffer instanceof ArrayBuffer ? samples.slice() : samples,
    language,
    // whisper.cpp's C strings end at a NUL (and the binding panics on one).
    initialPrompt: (options.initialPrompt ?? '').replace(/\0/g, '').trim().slice(-MAX_PROMPT_CHARS),
    threads: options.threads,
    words: options.wordTimestamps === true,
    shortAudioContext: options.shortAudioContext === true,
  };
}

/** English-only models understand English only: "auto" means English for them. */
function resolveLanguage(language: string, multilingual: boolean): string {
  if (multilingual) return language;
  if (language === 'auto' || language === 'en' || language === 'english') return 'en';
  throw new AppError(
    'INVALID_INPUT',
    `This speech model understands English only; choose a multilingual model to transcribe "${language}".`,
  );
}

const cancelled = () => new AppError('CANCELLED', 'Cancelled.');

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

/** Rejects as soon as `signal` aborts, even while the call is still waiting its turn. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** Starts the worker; from TypeScript source (tests, tsx) it registers tsx inside the thread first. */
function startWorkerThread(script: WorkerScript, data: unknown): Worker {
  if (!script.fromSource) return new Worker(script.url, { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(script.url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: data });
}
