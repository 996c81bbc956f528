import { parentPort, Worker, workerData } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../contract/index.js';

/** A failure as it crosses from a worker thread: an AppError keeps its code and details. */
export type WorkerFailure = { message: string; code?: ErrorCode; details?: unknown };

type WorkerMessage =
  | { type: 'progress'; progress: number | null; message: string | null }
  | { type: 'done'; result: unknown }
  | ({ type: 'failed' } & WorkerFailure);

export function workerFailure(error: unknown): WorkerFailure {
  if (error instanceof AppError)
    return {
      message: error.message,
      code: error.code,
      ...(error.details === undefined ? {} : { details: error.details }),
    };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** The error a worker's failure message stands for, an AppError again when it was one. */
export function errorFromWorker(failure: WorkerFailure): Error {
  return failure.code
    ? new AppError(failure.code, failure.message, failure.details)
    : new Error(failure.message);
}

export type ProgressReporter = (progress: number | null, message?: string | null) => void;

export interface WorkerScript {
  url: URL;
  /** Running from TypeScript source (tests, tsx): the worker is a .ts file too. */
  fromSource: boolean;
}

/** The worker module `name` beside the module at `fromUrl`, in the same form (.ts or .js). */
export function workerScript(fromUrl: string, name: string): WorkerScript {
  const fromSource = fromUrl.endsWith('.ts');
  return { url: new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, fromUrl), fromSource };
}

function startWorker(script: WorkerScript, workerData: unknown): Worker {
  if (!script.fromSource) return new Worker(script.url, { workerData });
  // Node 20 does not carry loader hooks into workers, so register tsx inside the thread first.
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(script.url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData });
}

/**
 * Runs CPU-heavy or blocking work in a worker thread so the engine keeps answering calls.
 * Aborting terminates the thread; its partial output is the task's to clean up.
 */
export function runWorkerTask<T>(
  script: WorkerScript,
  input: unknown,
  options: { signal: AbortSignal; onProgress?: ProgressReporter },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal.aborted) return reject(new AppError('CANCELLED', 'Cancelled.'));
    const worker = startWorker(script, input);
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      action();
    };
    const onAbort = () => {
      settle(() => reject(new AppError('CANCELLED', 'Cancelled.')));
      void worker.terminate();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.progress, message.message);
      else if (message.type === 'done') settle(() => resolve(message.result as T));
      else settle(() => reject(errorFromWorker(message)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`The worker stopped unexpectedly (exit code ${code}).`))),
    );
  });
}

/** The worker side: runs `task` on the thread's input and reports back once. */
export function serveWorkerTask<I, O>(task: (input: I, progress: ProgressReporter) => Promise<O> | O): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerTask must run inside a worker thread');
  const send = (message: WorkerMessage) => port.postMessage(message);
  const progress: ProgressReporter = (value, message = null) =>
    send({ type: 'progress', progress: value, message });
  Promise.resolve()
    .then(() => task(workerData as I, progress))
    .then(
      (result) => send({ type: 'done', result }),
      (error: unknown) => send({ type: 'failed', ...workerFailure(error) }),
    )
    .finally(() => port.close());
}
