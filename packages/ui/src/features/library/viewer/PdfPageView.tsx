import { useEffect, useRef, useState } from 'react';
import type { MaterialPage } from '@little-monster/core/contract';
import { markedWords, type PageMark } from './highlight';
import { HighlightOverlay } from './HighlightOverlay';
import type { PdfDocumentView } from './pdf-support';

/**
 * One PDF page drawn by pdf.js at `width` CSS pixels, with pdf.js's text layer over it (select,
 * copy) and the marked words (a hit's passage, the find's matches) highlighted under the text.
 */
export function PdfPageView({
  document,
  page,
  width,
  height,
  marks,
  onCannotDraw,
}: {
  document: PdfDocumentView;
  page: MaterialPage;
  width: number;
  /** Reserved before the drawing arrives, so the column does not jump. */
  height: number | null;
  marks: readonly PageMark[];
  onCannotDraw(reason: string): void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const textLayer = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<string | null>(null);
  const pageNumber = page.pageNumber;
  const drawing = `${pageNumber}@${width}`;

  useEffect(() => {
    if (!canvas.current) return;
    const controller = new AbortController();
    document.renderPage(pageNumber, canvas.current, width, controller.signal).then(
      () => !controller.signal.aborted && setDrawn(drawing),
      (failure: unknown) =>
        !controller.signal.aborted &&
        onCannotDraw(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => controller.abort();
  }, [document, pageNumber, width, drawing, onCannotDraw]);

  useEffect(() => {
    const container = textLayer.current;
    if (!container) return;
    const controller = new AbortController();
    // Without a text layer the page still reads (its text is under "Text of this page").
    document.renderTextLayer(pageNumber, container, width, controller.signal).catch(() => undefined);
    return () => {
      controller.abort();
      container.replaceChildren();
    };
  }, [document, pageNumber, width]);

  return (
    <div
      className="page-stage"
      style={{ width: `${width}px`, ...(height ? { minHeight: `${height}px` } : {}) }}
      aria-busy={drawn !== drawing}
    >
      <canvas ref={canvas} className="page-canvas" role="img" aria-label={`Page ${pageNumber}`} />
      {drawn === drawing ? <HighlightOverlay words={markedWords(page.words, marks)} /> : null}
      <div ref={textLayer} className="pdf-text-layer" />
    </div>
  );
}
