import type { ExtractedDocument, ExtractedPage, MaterialType } from '../../ingest/extracted-document.js';
import type { ProgressReporter } from '../../jobs/worker-task.js';

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

/** Turns a stored file into pages of text with positions. */
export type DocumentExtractor = (
  file: { path: string; name: string },
  options: { signal: AbortSignal; onProgress: ProgressReporter },
) => Promise<ExtractedDocument>;

/** Keeps the search index (chunks, keyword and vector entries) in step with a material's pages. */
export interface MaterialIndex {
  /** Replaces the material's chunks (cut by the kind of material); runs inside the caller's transaction. */
  replace(materialId: string, pages: ExtractedPage[], type: MaterialType): void;
  /** Removes the material's chunks and every index entry made from them. */
  remove(materialId: string): void;
  /** Called after an import commits, e.g. to embed the new chunks in the background. */
  afterImport?(materialId: string): void;
}
