import { useEffect, useRef, useState } from 'react';
import type { MaterialPage } from '@little-monster/core/contract';
import { wordsInSpans } from './highlight';
import { HighlightOverlay } from './HighlightOverlay';
import type { PdfDocumentView, PdfSupport } from './pdf-support';
import type { PageSpan } from './viewer-link';

/** Width the page is drawn at when the stage has not been laid out yet. */
const FALLBACK_WIDTH = 800;

function useOpenPdf(pdf: PdfSupport, url: string) {
  const [state, setState] = useState<{ url: string; document?: PdfDocumentView; error?: string }>({ url });
  useEffect(() => {
    let opened: PdfDocumentView | undefined;
    let live = true;
    pdf.open(url).then(
      (document) => {
        if (live) setState({ url, document });
        else document.close();
        opened = document;
      },
      (error: unknown) =>
        live && setState({ url, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
      opened?.close();
    };
  }, [pdf, url]);
  return state.url === url ? state : { url };
}

/** A PDF page drawn by pdf.js, with the hit's words marked over it. */
export function PdfPageView({
  pdf,
  url,
  page,
  spans,
  onCannotDraw,
}: {
  pdf: PdfSupport;
  url: string;
  page: MaterialPage;
  spans: readonly PageSpan[];
  /** The PDF could not be opened or drawn: the viewer shows the page's text instead. */
  onCannotDraw(reason: string): void;
}) {
  const { document, error } = useOpenPdf(pdf, url);
  const canvas = useRef<HTMLCanvasElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<number | null>(null);
  const pageNumber = page.pageNumber;

  useEffect(() => {
    if (error) onCannotDraw(error);
  }, [error, onCannotDraw]);

  useEffect(() => {
    if (!document || !canvas.current) return;
    const controller = new AbortController();
    const width = stage.current?.clientWidth || FALLBACK_WIDTH;
    document.renderPage(pageNumber, canvas.current, width, controller.signal).then(
      () => !controller.signal.aborted && setDrawn(pageNumber),
      (failure: unknown) =>
        !controller.signal.aborted &&
        onCannotDraw(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => controller.abort();
  }, [document, pageNumber, onCannotDraw]);

  return (
    <div ref={stage} className="page-stage" aria-busy={drawn !== pageNumber}>
      <canvas ref={canvas} className="page-canvas" role="img" aria-label={`Page ${pageNumber}`} />
      {drawn === pageNumber ? <HighlightOverlay words={wordsInSpans(page.words, spans, pageNumber)} /> : null}
    </div>
  );
}
