import { workerScript } from '../workers/worker-task.js';
import { WarmWorkers } from '../workers/warm-workers.js';

/**
 * The pdf.js threads (pdf-worker.ts): one stays warm between imports, a second import at the same
 * time gets a thread of its own. Nothing starts until the first PDF is read.
 */
export const pdfWorkers = new WarmWorkers(workerScript(import.meta.url, 'pdf-worker'), {
  idleMs: 30_000,
  maxIdle: 1,
});

/** Ends the idle pdf.js thread now rather than when its idle time runs out (engine shutdown). */
export const releasePdfWorkers = (): Promise<void> => pdfWorkers.releaseIdle();
