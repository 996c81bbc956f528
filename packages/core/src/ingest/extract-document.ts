import { basename, extname } from 'node:path';
import type { OcrEngine } from '../ai/ocr/ocr-engine.js';
import { AppError } from '../contract/index.js';
import { cleanDocument } from './clean-pages.js';
import { detectFileType } from './detect-file-type.js';
import type { ExtractedDocument } from './extracted-document.js';
import { readInDocumentWorker } from './warm-document-workers.js';

export interface ExtractOptions {
  signal: AbortSignal;
  /** Called as work advances: a fraction 0..1 that never goes back, and what is happening. */
  onProgress?: (fraction: number, message: string) => void;
  /** PDFs only: read just these pages (1-based). */
  pages?: number[];
  /** Refuse larger files; defaults to MAX_IMPORT_BYTES. */
  maxBytes?: number;
}

/**
 * Reads any supported file into pages of text with positions, choosing the reader by the file's
 * content (`name` is the name the student knows it by; `path` may be a content-addressed blob).
 * Every reader's text is cleaned the same way (clean-text.ts) before it is stored or searched.
 */
export async function extractDocument(
  file: { path: string; name: string },
  deps: { ocr: OcrEngine },
  options: ExtractOptions,
): Promise<ExtractedDocument> {
  const { signal } = options;
  if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
  const detected = await detectFileType(file, {
    ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
  });
  const title = basename(file.name, extname(file.name)).trim() || file.name;
  let reported = 0;
  const onProgress = (fraction: number, message: string) => {
    reported = Math.max(reported, Math.min(1, fraction));
    options.onProgress?.(reported, message);
  };
  // Reader threads report a fraction when they know one, else only what they are doing.
  const workerProgress = (fraction: number | null, message?: string | null) =>
    onProgress(fraction ?? reported, message ?? 'Reading');
  // Each reader loads on first use (mammoth, micromark, pdf.js glue…): not at engine start.
  const extracted = await (async () => {
    switch (detected.format) {
      case 'pdf': {
        const { extractPdf } = await import('./pdf-extractor.js');
        return extractPdf(file.path, title, deps.ocr, {
          signal,
          onProgress,
          ...(options.pages ? { pages: options.pages } : {}),
        });
      }
      case 'png':
      case 'jpeg':
      case 'webp':
      case 'tiff': {
        const { extractImage } = await import('./image-extractor.js');
        return extractImage(file.path, detected.mimeType, title, deps.ocr, { signal, onProgress });
      }
      case 'pptx':
      case 'docx':
        return readInDocumentWorker(
          { kind: detected.format, path: file.path, title },
          { signal, onProgress: workerProgress },
        );
      case 'markdown':
      case 'text':
        return readInDocumentWorker(
          {
            kind: 'text',
            path: file.path,
            format: detected.format,
            encoding: detected.encoding ?? 'utf-8',
            title,
          },
          { signal, onProgress: workerProgress },
        );
    }
  })();
  if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
  onProgress(1, 'Done');
  return cleanDocument({ ...extracted, warnings: [...detected.warnings, ...extracted.warnings] });
}
