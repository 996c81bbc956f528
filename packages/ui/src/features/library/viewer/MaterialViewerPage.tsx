import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { Material, MaterialPage } from '@little-monster/core/contract';
import { PageHeader } from '../../../app/components/PageHeader';
import { ErrorState, Loading } from '../../../app/components/States';
import { useEngine } from '../../../app/engine-context';
import { isRpcCallError } from '../../../transport/client';
import { classNameOf, useClassLookup } from '../../classes/class-lookup';
import { ReadAloudButton } from '../../read-aloud/ReadAloudButton';
import { NoteEditorDialog } from '../../study/NoteEditorDialog';
import type { TutorLocationState } from '../../tutor/ChatPane';
import { MATERIAL_TYPE_LABELS } from '../material-labels';
import { useMaterial, useMaterialPage } from '../queries';
import { FindBar } from './FindBar';
import { rangesOnPage, type PageMark } from './highlight';
import { ImagePageView } from './ImagePageView';
import { MarkedText } from './MarkedText';
import { PageNav } from './PageNav';
import { PageTextView } from './PageTextView';
import { usePdfSupport } from './pdf-support';
import { PdfView } from './PdfView';
import { useFind } from './use-find';
import { useSelectedText } from './use-selected-text';
import { useViewerKeys } from './use-viewer-keys';
import { decodeSpans } from './viewer-link';
import { FIT_WIDTH, stepZoom, type Zoom } from './zoom';
import { ZoomControls } from './ZoomControls';

/** How the page is drawn here: pdf.js, the photo with its OCR words, or the page's text. */
function drawingOf(material: Material, canDrawPdf: boolean, hasFiles: boolean) {
  if (hasFiles && material.type === 'pdf' && canDrawPdf) return 'pdf';
  if (hasFiles && material.type === 'image') return 'image';
  return 'text';
}

/** Draws the page the way its type allows here; the text view is the fallback for everything. */
function PageContent({
  material,
  page,
  marks,
  zoom,
  onScale,
  onGo,
}: {
  material: Material;
  page: MaterialPage;
  marks: PageMark[];
  zoom: Zoom;
  onScale(scale: number): void;
  onGo(page: number): void;
}) {
  const files = useEngine().transport.files;
  const pdf = usePdfSupport();
  const [cannotDraw, setCannotDraw] = useState<string | null>(null);
  const onCannotDraw = useCallback((reason: string) => setCannotDraw(reason), []);
  const drawing = drawingOf(material, Boolean(pdf) && !cannotDraw, Boolean(files));

  if (files && pdf && drawing === 'pdf') {
    return (
      <>
        <PdfView
          pdf={pdf}
          url={files.urlOf(material.id)}
          page={page}
          marks={marks}
          zoom={zoom}
          onScale={onScale}
          onGo={onGo}
          onCannotDraw={onCannotDraw}
        />
        {page.text.trim() ? (
          <details className="page-text-details">
            <summary>Text of this page</summary>
            <MarkedText className="page-text" text={page.text} spans={marks} />
          </details>
        ) : null}
      </>
    );
  }
  if (files && drawing === 'image') {
    return (
      <ImagePageView
        src={files.urlOf(material.id)}
        title={material.title}
        page={page}
        marks={marks}
        zoom={zoom}
        onScale={onScale}
      />
    );
  }
  return (
    <>
      {cannotDraw ? (
        <p className="muted">This PDF could not be drawn here ({cannotDraw}). Here is its text.</p>
      ) : null}
      <PageTextView page={page} spans={marks} />
    </>
  );
}

/** "Ask about this page": a new conversation in the material's class, its question begun. */
function useAskAboutPage(material: Material, pageNumber: number, pageCount: number) {
  const navigate = useNavigate();
  return () => {
    const where = pageCount > 1 ? `page ${pageNumber} of “${material.title}”` : `“${material.title}”`;
    const state: TutorLocationState = { focusComposer: true, draft: `About ${where}: ` };
    navigate(material.classId ? `/tutor?class=${encodeURIComponent(material.classId)}` : '/tutor', { state });
  };
}

function Viewer({ material }: { material: Material }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const classes = useClassLookup();
  const files = useEngine().transport.files;
  const pdf = usePdfSupport();
  const spans = decodeSpans(searchParams.get('hl'));
  const pageCount = Math.max(1, material.pageCount);
  const asked = Number(searchParams.get('page') ?? spans[0]?.page ?? 1);
  const pageNumber = Number.isInteger(asked) ? Math.min(Math.max(asked, 1), pageCount) : 1;
  const ready = material.status === 'ready' && material.pageCount > 0;
  const page = useMaterialPage(material.id, pageNumber, ready);
  const [zoom, setZoom] = useState<Zoom>(FIT_WIDTH);
  const [scale, setScale] = useState<number | null>(null);
  const [findFocus, setFindFocus] = useState(0);
  const [cardDraft, setCardDraft] = useState<string | null>(null);
  const pageArea = useRef<HTMLDivElement>(null);
  const selection = useSelectedText(pageArea);
  const zoomable = drawingOf(material, Boolean(pdf), Boolean(files)) !== 'text';

  const goTo = useCallback(
    (next: number) =>
      setSearchParams(
        (current) => {
          const params = new URLSearchParams(current);
          params.set('page', String(Math.min(Math.max(next, 1), pageCount)));
          return params;
        },
        { replace: true },
      ),
    [setSearchParams, pageCount],
  );
  const find = useFind(material.id, goTo);
  const ask = useAskAboutPage(material, pageNumber, pageCount);

  useViewerKeys({
    onPage:
      pageCount > 1
        ? (direction) =>
            goTo({ next: pageNumber + 1, previous: pageNumber - 1, first: 1, last: pageCount }[direction])
        : undefined,
    onZoom: zoomable ? (step) => setZoom(step === 0 ? FIT_WIDTH : stepZoom(scale ?? 1, step)) : undefined,
    onFind: () => {
      find.show();
      setFindFocus((n) => n + 1);
    },
  });

  // A new page is read from its top (unless a mark on it scrolls itself into view).
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (pageArea.current && pageArea.current.getBoundingClientRect().top < 0)
      pageArea.current.scrollIntoView?.({ block: 'start' });
  }, [pageNumber]);

  const marks: PageMark[] = [
    ...rangesOnPage(spans, pageNumber).map((span) => ({
      start: span.start,
      end: span.end,
      tone: 'passage' as const,
    })),
    ...find.marksOn(pageNumber),
  ];

  return (
    <>
      <PageHeader
        title={material.title}
        description={
          <>
            {MATERIAL_TYPE_LABELS[material.type]} · {classNameOf(classes.byId, material.classId)} ·{' '}
            <Link to="/library">Back to the library</Link>
          </>
        }
      />
      {!ready ? (
        <p className="state state-empty" role="status">
          {material.status === 'importing'
            ? 'This material is still being imported. Its pages appear here when the import finishes.'
            : 'This material has no pages.'}
        </p>
      ) : (
        <div className="viewer">
          <div className="viewer-toolbar">
            {pageCount > 1 ? <PageNav page={pageNumber} pageCount={pageCount} onGo={goTo} /> : null}
            <div className="row viewer-actions">
              {zoomable ? <ZoomControls zoom={zoom} scale={scale} onZoom={setZoom} /> : null}
              <button
                type="button"
                className="button button-small"
                aria-keyshortcuts="Control+F"
                onClick={() => {
                  find.show();
                  setFindFocus((n) => n + 1);
                }}
              >
                Find
              </button>
              <button type="button" className="button button-small" onClick={ask}>
                {pageCount > 1 ? 'Ask about this page' : 'Ask about this'}
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={!selection}
                title={selection ? undefined : 'Select some text on the page first'}
                onClick={() => selection && setCardDraft(selection)}
              >
                Make a card from selection
              </button>
              {page.data?.text.trim() ? (
                <ReadAloudButton
                  readingKey={`material:${material.id}:${pageNumber}`}
                  text={page.data.text}
                  format="plain"
                  what={`page ${pageNumber}`}
                />
              ) : null}
            </div>
            {find.open ? <FindBar find={find} focusKey={findFocus} /> : null}
          </div>
          <div ref={pageArea} className="viewer-page-area">
            {page.isPending ? (
              <Loading label={`Loading page ${pageNumber}…`} />
            ) : page.isError ? (
              <ErrorState
                error={page.error}
                what={`page ${pageNumber}`}
                onRetry={() => void page.refetch()}
              />
            ) : (
              <PageContent
                key={material.id}
                material={material}
                page={page.data}
                marks={marks}
                zoom={zoom}
                onScale={setScale}
                onGo={goTo}
              />
            )}
          </div>
        </div>
      )}
      {cardDraft !== null ? (
        <NoteEditorDialog
          target={{ classId: material.classId }}
          draft={{
            kind: 'basic',
            front: '',
            // The study domain keeps no source link yet: the card names where it came from.
            back: `${cardDraft}\n\n*${material.title}${pageCount > 1 ? `, page ${pageNumber}` : ''}*`,
          }}
          onClose={() => setCardDraft(null)}
        />
      ) : null}
    </>
  );
}

export function MaterialViewerPage() {
  const { id = '' } = useParams();
  const material = useMaterial(id);
  if (material.isPending) return <Loading label="Opening…" />;
  if (material.isError) {
    if (isRpcCallError(material.error, 'NOT_FOUND')) {
      return (
        <>
          <PageHeader title="Material not found" />
          <p className="state state-empty">
            It may have been deleted. <Link to="/library">Back to the library</Link>
          </p>
        </>
      );
    }
    return <ErrorState error={material.error} what="this material" onRetry={() => void material.refetch()} />;
  }
  return <Viewer material={material.data} />;
}
