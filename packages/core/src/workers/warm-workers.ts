import { parentPort, Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';
import { AppError } from '../contract/index.js';
import {
  errorFromWorker,
  workerFailure,
  type ProgressReporter,
  type WorkerFailure,
  type WorkerScript,
} from './worker-task.js';

type TaskMessage = { id: number; input: unknown };
/** The engine's thread has taken a task's batch: the worker may send the one after the next. */
type AckMessage = { id: number; ack: true };
type ReplyMessage = { id: number } & (
  | { type: 'progress'; progress: number | null; message: string | null }
  | { type: 'batch'; batch: unknown }
  | { type: 'done'; result: unknown }
  | ({ type: 'failed' } & WorkerFailure)
);

/**
 * A task's result with the buffers to move to the engine's thread rather than copy: a big
 * result then arrives without a long structured-clone pause there.
 */
export class Transferring<T> {
  constructor(
    readonly result: T,
    readonly transfer: Transferable[],
  ) {}
}

interface PooledWorker {
  thread: Worker;
  tasks: number;
  idleTimer?: NodeJS.Timeout;
}

/**
 * Worker threads kept warm between tasks. Starting a thread, loading a big library into it (pdf.js
 * is ~3 MB of JavaScript) and letting the JIT warm up cost more than reading a whole PDF, so an
 * import of a folder of PDFs reuses one thread. Idle threads do not keep the process alive and
 * end after `idleMs`, so an idle engine holds no extra memory. Cancelling a task ends its thread
 * (the only way to stop it mid-page); the next task starts a fresh one.
 */
export class WarmWorkers {
  private readonly idle: PooledWorker[] = [];
  private readonly busy = new Set<PooledWorker>();
  private nextId = 1;

  constructor(
    private readonly script: WorkerScript,
    private readonly options: {
      idleMs: number;
      maxIdle: number;
      /** A thread is replaced after this many tasks (for libraries that leak a little per task). */
      maxTasks?: number;
      /** Memory a thread may use; past it the thread ends and its task fails. */
      resourceLimits?: ResourceLimits;
    },
  ) {}

  /**
   * Runs a task. A task may hand over its output in batches as it goes (`emit` in
   * `serveWarmTasks`): each is given to `onBatch` in order, one at a time, and the worker waits
   * for it to be taken before sending the one after the next, so a long output never piles up in
   * memory on either side. A batch `onBatch` rejects fails the task and ends its thread.
   */
  run<T>(
    input: unknown,
    options: {
      signal: AbortSignal;
      onProgress?: ProgressReporter;
      onBatch?: (batch: unknown) => Promise<void>;
    },
  ): Promise<T> {
    if (options.signal.aborted) return Promise.reject(new AppError('CANCELLED', 'Cancelled.'));
    const worker = this.take();
    this.busy.add(worker);
    const id = this.nextId++;
    const { thread } = worker;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (keep: boolean, action: () => void) => {
        if (settled) return;
        settled = true;
        options.signal.removeEventListener('abort', onAbort);
        thread.off('message', onMessage).off('error', onError).off('exit', onExit);
        this.busy.delete(worker);
        if (keep) this.giveBack(worker);
        else void thread.terminate();
        action();
      };
      const onAbort = () => finish(false, () => reject(new AppError('CANCELLED', 'Cancelled.')));
      let batches = Promise.resolve();
      const onBatch = (batch: unknown) => {
        batches = batches
          .then(async () => {
            if (settled) return;
            if (!options.onBatch) throw new Error('The worker sent a batch nobody takes.');
            await options.onBatch(batch);
            if (!settled) thread.postMessage({ id, ack: true } satisfies AckMessage);
          })
          .catch((error: unknown) => finish(false, () => reject(error)));
      };
      const onMessage = (message: ReplyMessage) => {
        if (message.id !== id) return;
        if (message.type === 'progress') options.onProgress?.(message.progress, message.message);
        else if (message.type === 'batch') onBatch(message.batch);
        // The worker sends `done` only once every batch was taken.
        else if (message.type === 'done') finish(true, () => resolve(message.result as T));
        else finish(true, () => reject(errorFromWorker(message)));
      };
      const onError = (error: Error) => finish(false, () => reject(error));
      const onExit = (code: number) =>
        finish(false, () => reject(new Error(`The worker stopped unexpectedly (exit code ${code}).`)));
      options.signal.addEventListener('abort', onAbort, { once: true });
      thread.on('message', onMessage).on('error', onError).on('exit', onExit);
      thread.postMessage({ id, input } satisfies TaskMessage);
    });
  }

  /** Ends the threads no task is using (busy ones end when idle). */
  async releaseIdle(): Promise<void> {
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((worker) => this.end(worker)));
  }

  /** Ends every thread; tasks still running fail. A later `run` starts a new thread. */
  async close(): Promise<void> {
    const busy = [...this.busy];
    await Promise.all([this.releaseIdle(), ...busy.map((worker) => this.end(worker))]);
  }

  private take(): PooledWorker {
    const warm = this.idle.pop();
    if (warm) {
      clearTimeout(warm.idleTimer);
      warm.thread.ref();
      return warm;
    }
    const thread = startWorker(this.script, this.options.resourceLimits);
    const worker: PooledWorker = { thread, tasks: 0 };
    // An idle thread that dies (out of memory) leaves the pool; its error is not the engine's to throw.
    thread
      .on('error', () => undefined)
      .on('exit', () => {
        const index = this.idle.indexOf(worker);
        if (index >= 0) this.idle.splice(index, 1);
        clearTimeout(worker.idleTimer);
      });
    return worker;
  }

  private giveBack(worker: PooledWorker): void {
    worker.tasks++;
    if (this.idle.length >= this.options.maxIdle || worker.tasks >= (this.options.maxTasks ?? Infinity)) {
      void this.end(worker);
      return;
    }
    worker.thread.unref();
    worker.idleTimer = setTimeout(() => {
      const index = this.idle.indexOf(worker);
      if (index >= 0) this.idle.splice(index, 1);
      void this.end(worker);
    }, this.options.idleMs);
    worker.idleTimer.unref();
    this.idle.push(worker);
  }

  private async end(worker: PooledWorker): Promise<void> {
    clearTimeout(worker.idleTimer);
    await worker.thread.terminate();
  }
}

/**
 * The same start-up as `runWorkerTask` threads: a .ts worker (tests, tsx) registers tsx in the
 * thread first, since Node 20 does not carry loader hooks into workers.
 */
function startWorker(script: WorkerScript, resourceLimits?: ResourceLimits): Worker {
  const options = resourceLimits ? { resourceLimits } : {};
  if (!script.fromSource) return new Worker(script.url, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(script.url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), options);
}

/**
 * Hands a batch of a task's output to the engine's thread (moving the buffers of a
 * `Transferring`). Resolves once the batch before it was taken, so at most two are on their way.
 */
export type BatchEmitter = (batch: unknown) => Promise<void>;

/** The worker side: runs `task` for each input it is sent, one at a time, reporting back each. */
export function serveWarmTasks<I, O>(
  task: (
    input: I,
    progress: ProgressReporter,
    emit: BatchEmitter,
  ) => Promise<O | Transferring<O>> | O | Transferring<O>,
): void {
  const port = parentPort;
  if (!port) throw new Error('serveWarmTasks must run inside a worker thread');
  const send = (message: ReplyMessage, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  const unwrap = (value: unknown): [unknown, Transferable[]] =>
    value instanceof Transferring ? [value.result, value.transfer] : [value, []];
  /** Per task: resolves its last batch's acknowledgement. */
  const acks = new Map<number, () => void>();
  port.on('message', (message: TaskMessage | AckMessage) => {
    if ('ack' in message) {
      acks.get(message.id)?.();
      return;
    }
    const { id, input } = message;
    const progress: ProgressReporter = (value, text = null) =>
      send({ id, type: 'progress', progress: value, message: text });
    let taken: Promise<void> = Promise.resolve();
    const emit: BatchEmitter = async (batch) => {
      await taken;
      taken = new Promise((resolve) => acks.set(id, resolve));
      const [value, transfer] = unwrap(batch);
      send({ id, type: 'batch', batch: value }, transfer);
    };
    Promise.resolve()
      .then(() => task(input as I, progress, emit))
      .then(
        async (result) => {
          await taken;
          acks.delete(id);
          const [value, transfer] = unwrap(result);
          send({ id, type: 'done', result: value }, transfer);
        },
        (error: unknown) => {
          acks.delete(id);
          send({ id, type: 'failed', ...workerFailure(error) });
        },
      );
  });
}
