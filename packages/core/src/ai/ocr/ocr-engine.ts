import type { PageWord } from '../../contract/index.js';

/** A structural part of a page's text (a heading, paragraph, list…), as a character range of it. */
export interface PageBlock {
  kind: 'heading' | 'paragraph' | 'list' | 'code' | 'table';
  /** Heading level (1 = title) for headings. */
  level?: number;
  start: number;
  end: number;
}

/** Clockwise quarter turns that were applied to an image to read it upright. */
export type Rotation = 0 | 90 | 180 | 270;

/** What OCR read on one image. */
export interface OcrPage {
  /** Paragraphs separated by blank lines, lines by line breaks, words by spaces. */
  text: string;
  /** Paragraphs (and the rare heading or table tesseract recognises) as ranges of `text`. */
  blocks: PageBlock[];
  /**
   * Each word with its offset in `text`, its box as 0..1 of the image as given (not as turned
   * upright, so highlights land on the picture the student sees) and its confidence, 0..100.
   */
  words: PageWord[];
  /** Mean word confidence, 0..100; 0 when nothing was read. */
  confidence: number;
  /** Size of the image as given, in pixels. */
  width: number;
  height: number;
  /**
   * How far the engine turned the image before reading it; 0 when it was read as given
   * (tesseract itself also reads text running top to bottom, i.e. a page turned 90°).
   */
  rotation: Rotation;
}

export interface OcrOptions {
  /** Aborting stops the recognition in progress and rejects with AppError('CANCELLED'). */
  signal: AbortSignal;
  /** Resolution when known (a rendered PDF page); otherwise it is estimated from the image. */
  dpi?: number;
}

/** Reads printed text in images. Implementations run the work off the calling thread. */
export interface OcrEngine {
  /** `image` is the bytes of a PNG, JPEG, WebP or TIFF file. */
  recognize(image: Buffer, options: OcrOptions): Promise<OcrPage>;
  /** Frees the engine's worker; the engine may be used again afterwards (it starts a new one). */
  close(): Promise<void>;
}
