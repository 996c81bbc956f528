import { AppError } from '../contract/index.js';
import { workerScript, type ProgressReporter } from '../workers/worker-task.js';
import type { DocumentTask } from './document-worker.js';
import type { ExtractedDocument } from './extracted-document.js';
import { unpackDocument, type PackedDocument } from './packed-document.js';
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

/** Reads a text, Markdown, Word or PowerPoint file in a reader thread. */
export async function readInDocumentWorker(
  task: DocumentTask,
  options: { signal: AbortSignal; onProgress?: ProgressReporter },
): Promise<ExtractedDocument> {
  let packed: PackedDocument;
  try {
    packed = await documentWorkers.run<PackedDocument>(task, options);
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
  return unpackDocument(packed);
}

/** Ends the idle reader thread now (engine shutdown). */
export const releaseDocumentWorkers = (): Promise<void> => documentWorkers.releaseIdle();
