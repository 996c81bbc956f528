import { readFile } from 'node:fs/promises';
import type { OcrEngine } from '../ai/ocr/ocr-engine.js';
import type { ExtractedDocument } from './extracted-document.js';
import { pageFromOcr } from './ocr-page.js';

/** A photo or scan of a page: one page of OCR'd text, boxes on the image as the student sees it. */
export async function extractImage(
  path: string,
  mimeType: string,
  fallbackTitle: string,
  ocr: OcrEngine,
  options: { signal: AbortSignal; onProgress?: (fraction: number, message: string) => void },
): Promise<ExtractedDocument> {
  options.onProgress?.(0, 'Recognizing text in the image');
  const reading = await ocr.recognize(await readFile(path), { signal: options.signal });
  options.onProgress?.(1, 'Recognized the text');
  const warnings: string[] = reading.text.trim()
    ? []
    : [
        'No text was found in this image. If it is a photo of a page, try a sharper, well-lit photo taken straight on.',
      ];
  return { type: 'image', mimeType, title: fallbackTitle, pages: [pageFromOcr(1, reading)], warnings };
}
