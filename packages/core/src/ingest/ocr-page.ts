import type { OcrPage } from '../ai/ocr/ocr-engine.js';
import type { ExtractedPage } from './extracted-document.js';

/** An OCR reading as a page; `size` overrides the image's pixels (a PDF page keeps its size in points). */
export function pageFromOcr(
  number: number,
  ocr: OcrPage,
  size: { width: number; height: number } = ocr,
): ExtractedPage {
  return {
    number,
    text: ocr.text,
    blocks: ocr.blocks,
    words: ocr.words,
    source: 'ocr',
    ocrConfidence: ocr.confidence,
    width: size.width,
    height: size.height,
  };
}
