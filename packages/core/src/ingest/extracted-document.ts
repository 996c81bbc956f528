import type { PageBlock } from '../ai/ocr/ocr-engine.js';
import type { MaterialType, PageWord } from '../contract/index.js';

export type { MaterialType, PageBlock, PageWord };

/** One page of a PDF, one slide, one image, or the single "page" of a document or text. */
export interface ExtractedPage {
  /** 1-based. */
  number: number;
  text: string;
  blocks: PageBlock[];
  /** Where words sit on the page (0..1 of width and height), for highlighting; empty when unknown. */
  words: PageWord[];
  /** Speaker notes of a slide. */
  notes?: string;
  source: 'text-layer' | 'ocr' | 'document';
  /** Mean OCR word confidence, 0..100. */
  ocrConfidence?: number;
  /** Page size in PDF points or image pixels. */
  width?: number;
  height?: number;
}

/** What an importer makes of a file, before it is stored, chunked and indexed. */
export interface ExtractedDocument {
  type: MaterialType;
  mimeType: string;
  /** A title found in the file (PDF metadata, first heading), or the file name without extension. */
  title: string;
  pages: ExtractedPage[];
  /** Problems that did not stop the import ("page 7 could not be read and was skipped"). */
  warnings: string[];
}

/** A document without its pages: what is known of it once its pages have been handed on. */
export type DocumentOutline = Omit<ExtractedDocument, 'pages'>;
