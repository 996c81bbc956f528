import { createContext, useContext } from 'react';

/** A page's size at 100 %, in CSS pixels. */
export interface PageSize {
  width: number;
  height: number;
}

/** One opened PDF, drawn a page at a time. */
export interface PdfDocumentView {
  readonly pageCount: number;
  /** The page's size at 100 % (for "fit page" and the zoom levels). */
  pageSize(pageNumber: number): Promise<PageSize>;
  /** Draws a page onto `canvas`, `cssWidth` CSS pixels wide; aborting stops the drawing. */
  renderPage(
    pageNumber: number,
    canvas: HTMLCanvasElement,
    cssWidth: number,
    signal: AbortSignal,
  ): Promise<void>;
  /**
   * Lays the page's text into `container` as pdf.js's text layer: invisible spans over the drawn
   * glyphs, so the student can select, copy and find the page's words.
   */
  renderTextLayer(
    pageNumber: number,
    container: HTMLElement,
    cssWidth: number,
    signal: AbortSignal,
  ): Promise<void>;
  close(): void;
}

/**
 * Draws PDFs in the page (pdf.js). Handed in by the entry that mounts the app, because loading
 * pdf.js and its worker is bundler-specific (the browser build's Vite provides it; a build without
 * it shows PDFs as their page text instead).
 */
export interface PdfSupport {
  open(url: string): Promise<PdfDocumentView>;
}

export const PdfSupportContext = createContext<PdfSupport | null>(null);

export const usePdfSupport = () => useContext(PdfSupportContext);
