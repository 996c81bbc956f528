import type { Worker } from 'node:worker_threads';
import { AppError } from '../../../contract/index.js';
import { startWorker, workerScript } from '../../../workers/worker-task.js';
import type { FromVoiceThread, ToVoiceThread, VoiceThreadSpec } from './voice-thread-messages.js';

const WORKER = workerScript(import.meta.url, 'voice-thread-worker');

export interface LoadedVoiceThread {
  sampleRate: number;
  language: string;
  /** The voice's own name (a Piper voice's dataset), if it has one. */
  name: string | null;
}

/** A request without its id (the thread's client numbers them). */
type RequestBody =
  Exclude<ToVoiceThread, { type: 'cancel' }> extends infer T
    ? T extends unknown
      ? Omit<T, 'id'>
      : never
    : never;

interface Started {
  worker: Worker;
  loaded: LoadedVoiceThread;
}

/**
 * A local voice loaded in its own worker thread, started on first use and kept loaded between
 * sentences. A call that is cancelled returns at once (the thread finishes the sentence in hand,
 * a fraction of a second, and its result is dropped); a thread that dies fails the calls in
 * flight with a message, and the next call starts a fresh one.
 */
export class VoiceThread {
  private started: Promise<Started> | null = null;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;

  constructor(private readonly spec: VoiceThreadSpec) {}

  /** Loads the voice (again, if its thread ended); rejects with the reason it cannot be used. */
  async load(): Promise<LoadedVoiceThread> {
    return (await this.start()).loaded;
  }

  async request<T>(body: RequestBody, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw cancelled();
    const { worker } = await this.start();
    if (signal?.aborted) throw cancelled();
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
    worker.ref();
    worker.postMessage({ ...body, id } as ToVoiceThread);
    return untilAborted(answer, signal, () => {
      this.settle(id);
      worker.postMessage({ type: 'cancel', id } satisfies ToVoiceThread);
    });
  }

  async close(): Promise<void> {
    const started = this.started;
    this.started = null;
    const running = await started?.catch(() => null);
    this.failPending(new AppError('CANCELLED', 'The voice was closed.'));
    await running?.worker.terminate();
  }

  private start(): Promise<Started> {
    if (!this.started) {
      const starting = this.spawn();
      this.started = starting;
      starting.catch(() => {
        if (this.started === starting) this.started = null;
      });
    }
    return this.started;
  }

  private spawn(): Promise<Started> {
    const worker = startWorker(WORKER, this.spec);
    return new Promise<Started>((resolve, reject) => {
      let loaded: LoadedVoiceThread | null = null;
      worker.on('message', (message: FromVoiceThread) => {
        switch (message.type) {
          case 'ready':
            loaded = { sampleRate: message.sampleRate, language: message.language, name: message.name };
            worker.unref(); // an idle voice does not keep the process alive
            resolve({ worker, loaded });
            return;
          case 'load-failed':
            reject(new AppError(message.code, message.message, message.details));
            void worker.terminate();
            return;
          case 'done':
            this.settle(message.id)?.resolve(message.value);
            return;
          case 'failed':
            this.settle(message.id)?.reject(new AppError(message.code, message.message, message.details));
            return;
        }
      });
      // A thread that fails between requests must not crash the engine with an unhandled 'error'.
      worker.on('error', () => undefined);
      worker.once('exit', (code) => {
        const stopped = new AppError(
          'INTERNAL',
          `The voice stopped unexpectedly (exit code ${code}). Try again.`,
        );
        if (!loaded) reject(stopped);
        void this.forget(worker);
        this.failPending(stopped);
      });
    });
  }

  /** Forgets a thread that ended, so the next call starts a fresh one. */
  private async forget(worker: Worker): Promise<void> {
    const current = await this.started?.catch(() => null);
    if (current?.worker === worker) this.started = null;
  }

  private settle(id: number) {
    const entry = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0)
      void this.started?.then(
        ({ worker }) => worker.unref(),
        () => undefined,
      );
    return entry;
  }

  private failPending(error: Error): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) entry.reject(error);
  }
}

const cancelled = () => new AppError('CANCELLED', 'Cancelled.');

/** Rejects as soon as `signal` aborts; `onAbort` drops the request's bookkeeping. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(cancelled());
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error as Error);
      },
    );
  });
}
