import { createContext, useContext } from 'react';

/** One opened PDF, drawn a page at a time. */
export interface PdfDocumentView {
  readonly pageCount: number;
  /** Draws a page onto `canvas`, `cssWidth` CSS pixels wide; aborting stops the drawing. */
  renderPage(
    pageNumber: number,
    canvas: HTMLCanvasElement,
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
