import type { TokenCounter } from '../../ai/tokenizer/token-counter.js';
import type { PageSink } from '../../ingest/extract-document.js';
import type { DocumentOutline } from '../../ingest/extracted-document.js';
import type { ProgressReporter } from '../../workers/worker-task.js';

/** The content-addressed store the original files live in. */
export interface FileStore {
  put(source: Buffer | AsyncIterable<Uint8Array>): Promise<{ sha256: string; bytes: number }>;
  pathOf(sha256: string): string;
  has(sha256: string): Promise<boolean>;
  remove(sha256: string): Promise<void>;
}

/** The background import of a material's file (the job queue's import jobs). */
export interface ImportJobs {
  /** Queues the import; returns the job's id. Runs inside the caller's transaction. */
  start(materialId: string, name: string): string;
  /** Stops the import if it is still queued or running; an import that has ended is left alone. */
  cancel(jobId: string): void;
}

/** Turns a stored file into pages of text with positions, and the measure its passages are sized with. */
export interface DocumentReader {
  /** Real tokens of a text, for sizing passages: resolved before any page is saved. */
  tokenCounter(): Promise<TokenCounter>;
  /** Reads the file, handing its pages on in order as they are read; returns what else is known of it. */
  read(
    file: { path: string; name: string },
    options: { signal: AbortSignal; onProgress: ProgressReporter; onPages: PageSink },
  ): Promise<DocumentOutline>;
}
