import { useEffect, useRef, useState } from 'react';
import type { MaterialPage } from '@little-monster/core/contract';
import type { PageMark } from './highlight';
import type { PageSize, PdfDocumentView, PdfSupport } from './pdf-support';
import { PdfPageView } from './PdfPageView';
import { ThumbnailRail } from './ThumbnailRail';
import { pageLayout, usePageRoom } from './use-page-room';
import type { Zoom } from './zoom';

/** From this many pages on, the thumbnails rail is shown beside the page. */
export const RAIL_FROM_PAGES = 3;

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

function usePageSize(document: PdfDocumentView | undefined, pageNumber: number) {
  const [size, setSize] = useState<{ key: string; size: PageSize } | null>(null);
  useEffect(() => {
    if (!document) return;
    let live = true;
    document.pageSize(pageNumber).then(
      (found) => live && setSize({ key: `${pageNumber}`, size: found }),
      // Not sized: the page is drawn at the column's width.
      () => live && setSize({ key: `${pageNumber}`, size: { width: 0, height: 0 } }),
    );
    return () => {
      live = false;
    };
  }, [document, pageNumber]);
  return size?.key === `${pageNumber}` ? size.size : null;
}

/** A PDF: the thumbnails rail (long documents) and the page, drawn at the zoom asked for. */
export function PdfView({
  pdf,
  url,
  page,
  marks,
  zoom,
  onScale,
  onGo,
  onCannotDraw,
}: {
  pdf: PdfSupport;
  url: string;
  page: MaterialPage;
  marks: readonly PageMark[];
  zoom: Zoom;
  /** The scale the page shows at now (the zoom's label, and where + and − step from). */
  onScale(scale: number): void;
  onGo(page: number): void;
  /** The PDF could not be opened or drawn: the viewer shows the page's text instead. */
  onCannotDraw(reason: string): void;
}) {
  const { document, error } = useOpenPdf(pdf, url);
  const column = useRef<HTMLDivElement>(null);
  const room = usePageRoom(column);
  const size = usePageSize(document, page.pageNumber);
  const layout = pageLayout(zoom, size, room);

  useEffect(() => {
    if (error) onCannotDraw(error);
  }, [error, onCannotDraw]);
  useEffect(() => {
    if (layout) onScale(layout.scale);
  }, [layout?.scale, onScale]); // eslint-disable-line react-hooks/exhaustive-deps

  const withRail = document && document.pageCount >= RAIL_FROM_PAGES;
  return (
    <div className={withRail ? 'pdf-view with-rail' : 'pdf-view'}>
      {withRail ? <ThumbnailRail document={document} page={page.pageNumber} onGo={onGo} /> : null}
      <div ref={column} className="page-column">
        {document && size ? (
          <PdfPageView
            document={document}
            page={page}
            width={layout?.width ?? room.width}
            height={layout?.height ?? null}
            marks={marks}
            onCannotDraw={onCannotDraw}
          />
        ) : (
          <div className="page-stage page-stage-pending" aria-busy="true" />
        )}
      </div>
    </div>
  );
}
