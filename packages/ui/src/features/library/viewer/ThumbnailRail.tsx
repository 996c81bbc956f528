import { useEffect, useRef, useState } from 'react';
import type { PdfDocumentView } from './pdf-support';

const THUMBNAIL_WIDTH = 96;

/** One page's thumbnail, drawn the first time it scrolls into the rail's view. */
function Thumbnail({
  document,
  pageNumber,
  current,
  onGo,
}: {
  document: PdfDocumentView;
  pageNumber: number;
  current: boolean;
  onGo(page: number): void;
}) {
  const button = useRef<HTMLButtonElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);

  useEffect(() => {
    const element = button.current;
    // Without IntersectionObserver nothing is drawn: the rail still pages by number.
    if (!element || visible || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setVisible(true);
      },
      { root: element.closest('.thumbnail-rail'), rootMargin: '200px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [visible]);

  useEffect(() => {
    if (!visible || !canvas.current) return;
    const controller = new AbortController();
    // A thumbnail that cannot be drawn stays a numbered blank: the page itself says why.
    document
      .renderPage(pageNumber, canvas.current, THUMBNAIL_WIDTH, controller.signal)
      .catch(() => undefined);
    return () => controller.abort();
  }, [visible, document, pageNumber]);

  useEffect(() => {
    if (current) button.current?.scrollIntoView?.({ block: 'nearest' });
  }, [current]);

  return (
    <li>
      <button
        ref={button}
        type="button"
        className="thumbnail"
        aria-label={`Page ${pageNumber}`}
        aria-current={current ? 'page' : undefined}
        data-drawn={visible || undefined}
        onClick={() => onGo(pageNumber)}
      >
        <canvas ref={canvas} className="thumbnail-canvas" aria-hidden="true" />
        <span className="thumbnail-number">{pageNumber}</span>
      </button>
    </li>
  );
}

/** The pages of a long PDF down the side; only those scrolled into view are drawn. */
export function ThumbnailRail({
  document,
  page,
  onGo,
}: {
  document: PdfDocumentView;
  page: number;
  onGo(page: number): void;
}) {
  const pages = Array.from({ length: document.pageCount }, (_, index) => index + 1);
  return (
    <nav className="thumbnail-rail" aria-label="Page thumbnails">
      <ol>
        {pages.map((pageNumber) => (
          <Thumbnail
            key={pageNumber}
            document={document}
            pageNumber={pageNumber}
            current={pageNumber === page}
            onGo={onGo}
          />
        ))}
      </ol>
    </nav>
  );
}
