import { AppError } from '../contract/index.js';
import { workerScript, type ProgressReporter } from '../workers/worker-task.js';
import type { DocumentTask } from './document-worker.js';
import type { DocumentOutline, ExtractedPage } from './extracted-document.js';
import { unpackPages, type PackedPages } from './packed-document.js';
import { WarmWorkers } from '../workers/warm-workers.js';

/**
 * The document reader threads (document-worker.ts), kept warm between imports like pdf.js's. A
 * thread may not grow past a fixed memory budget: a file that is far larger inside than on disk
 * ends its thread, not the engine.
 */
const documentWorkers = new WarmWorkers(workerScript(import.meta.url, 'document-worker'), {
  idleMs: 30_000,
  maxIdle: 1,
  resourceLimits: { maxOldGenerationSizeMb: 2048 },
});

/**
 * Reads a text, Markdown, Word or PowerPoint file in a reader thread, whose cleaned pages arrive in
 * order, a batch at a time, at `onPages`; the next batch is read meanwhile, and sent once
 * `onPages` has settled the one before. A batch `onPages` refuses stops the reading.
 */
export async function readInDocumentWorker(
  task: DocumentTask,
  options: {
    signal: AbortSignal;
    onProgress?: ProgressReporter;
    onPages: (pages: ExtractedPage[]) => Promise<void>;
  },
): Promise<DocumentOutline> {
  const { onPages, ...rest } = options;
  try {
    return await documentWorkers.run<DocumentOutline>(task, {
      ...rest,
      onBatch: async (batch) => onPages(await unpackPages(batch as PackedPages)),
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
    throw new AppError(
      'INVALID_INPUT',
      outOfMemory
        ? 'Reading this file needed more memory than Little Monster allows for one file: it may be damaged, or far larger inside than it looks. Split it into smaller files and import those.'
        : `This file could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Ends the idle reader thread now (engine shutdown). */
export const releaseDocumentWorkers = (): Promise<void> => documentWorkers.releaseIdle();
