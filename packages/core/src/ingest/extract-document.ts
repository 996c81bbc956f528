import { basename, extname } from 'node:path';
import type { OcrEngine } from '../ai/ocr/ocr-engine.js';
import { AppError } from '../contract/index.js';
import { cleanDocument } from './clean-pages.js';
import { detectFileType, type DetectedFormat } from './detect-file-type.js';
import type {
  DocumentOutline,
  ExtractedDocument,
  ExtractedPage,
  MaterialType,
} from './extracted-document.js';
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

/** Takes a document's next pages, in order; resolves once they are saved (a rejection stops the reading). */
export type PageSink = (pages: ExtractedPage[], type: MaterialType) => Promise<void>;

/** What each format is stored as. */
const MATERIAL_TYPES: Record<DetectedFormat, MaterialType> = {
  pdf: 'pdf',
  png: 'image',
  jpeg: 'image',
  webp: 'image',
  tiff: 'image',
  pptx: 'slides',
  docx: 'document',
  markdown: 'markdown',
  text: 'text',
};

/** Pages of an in-memory document handed on per call: about this many characters. */
const HANDED_ON_CHARS = 1 << 20;

/**
 * Reads any supported file into pages of text with positions, choosing the reader by the file's
 * content (`name` is the name the student knows it by; `path` may be a content-addressed blob).
 * Every reader's text is cleaned the same way (clean-text.ts) before it is stored or searched.
 * The pages go to `onPages` as they are read (a text file of hundreds of megabytes is never held
 * whole); what is known of the document at the end is returned.
 */
export async function readDocument(
  file: { path: string; name: string },
  deps: { ocr: OcrEngine },
  options: ExtractOptions & { onPages: PageSink },
): Promise<DocumentOutline> {
  const { signal } = options;
  if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
  const detected = await detectFileType(file, {
    ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
  });
  const type = MATERIAL_TYPES[detected.format];
  const onPages = (pages: ExtractedPage[]) => options.onPages(pages, type);
  const title = basename(file.name, extname(file.name)).trim() || file.name;
  let reported = 0;
  const onProgress = (fraction: number, message: string) => {
    reported = Math.max(reported, Math.min(1, fraction));
    options.onProgress?.(reported, message);
  };
  // Reader threads report a fraction when they know one, else only what they are doing.
  const workerProgress = (fraction: number | null, message?: string | null) =>
    onProgress(fraction ?? reported, message ?? 'Reading');
  /** PDFs and images are read whole (their pages are bounded), cleaned, then handed on. */
  const handOn = async (extracted: ExtractedDocument): Promise<DocumentOutline> => {
    const { pages, ...outline } = cleanDocument(extracted);
    let batch: ExtractedPage[] = [];
    let chars = 0;
    for (const page of pages) {
      batch.push(page);
      chars += page.text.length;
      if (chars < HANDED_ON_CHARS) continue;
      await onPages(batch);
      batch = [];
      chars = 0;
    }
    if (batch.length > 0) await onPages(batch);
    return outline;
  };
  // Each reader loads on first use (mammoth, micromark, pdf.js glue…): not at engine start.
  const outline = await (async () => {
    switch (detected.format) {
      case 'pdf': {
        const { extractPdf } = await import('./pdf-extractor.js');
        return handOn(
          await extractPdf(file.path, title, deps.ocr, {
            signal,
            onProgress,
            ...(options.pages ? { pages: options.pages } : {}),
          }),
        );
      }
      case 'png':
      case 'jpeg':
      case 'webp':
      case 'tiff': {
        const { extractImage } = await import('./image-extractor.js');
        return handOn(
          await extractImage(file.path, detected.mimeType, title, deps.ocr, { signal, onProgress }),
        );
      }
      case 'pptx':
      case 'docx':
        return readInDocumentWorker(
          { kind: detected.format, path: file.path, title },
          { signal, onProgress: workerProgress, onPages },
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
          { signal, onProgress: workerProgress, onPages },
        );
    }
  })();
  if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
  onProgress(1, 'Done');
  return { ...outline, warnings: [...detected.warnings, ...outline.warnings] };
}

/** The whole document at once (see readDocument): for files known to be of a reasonable size. */
export async function extractDocument(
  file: { path: string; name: string },
  deps: { ocr: OcrEngine },
  options: ExtractOptions,
): Promise<ExtractedDocument> {
  const pages: ExtractedPage[] = [];
  const outline = await readDocument(file, deps, {
    ...options,
    onPages: async (read) => {
      pages.push(...read);
    },
  });
  return { ...outline, pages };
}
