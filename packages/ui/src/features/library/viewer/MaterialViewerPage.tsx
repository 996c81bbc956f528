import { useCallback, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Material, MaterialPage } from '@little-monster/core/contract';
import { PageHeader } from '../../../app/components/PageHeader';
import { ErrorState, Loading } from '../../../app/components/States';
import { useEngine } from '../../../app/engine-context';
import { isRpcCallError } from '../../../transport/client';
import { classNameOf, useClassLookup } from '../../classes/class-lookup';
import { MATERIAL_TYPE_LABELS } from '../material-labels';
import { useMaterial, useMaterialPage } from '../queries';
import { rangesOnPage } from './highlight';
import { ImagePageView } from './ImagePageView';
import { MarkedText } from './MarkedText';
import { PageNav } from './PageNav';
import { PageTextView } from './PageTextView';
import { usePdfSupport } from './pdf-support';
import { PdfPageView } from './PdfPageView';
import { decodeSpans, type PageSpan } from './viewer-link';

/** Draws the page the way its type allows here; the text view is the fallback for everything. */
function PageContent({
  material,
  page,
  spans,
}: {
  material: Material;
  page: MaterialPage;
  spans: PageSpan[];
}) {
  const files = useEngine().transport.files;
  const pdf = usePdfSupport();
  const [cannotDraw, setCannotDraw] = useState<string | null>(null);
  const onCannotDraw = useCallback((reason: string) => setCannotDraw(reason), []);
  const spansHere = rangesOnPage(spans, page.pageNumber);

  if (files && material.type === 'pdf' && pdf && !cannotDraw) {
    return (
      <>
        <PdfPageView
          pdf={pdf}
          url={files.urlOf(material.id)}
          page={page}
          spans={spans}
          onCannotDraw={onCannotDraw}
        />
        {page.text.trim() ? (
          <details className="page-text-details">
            <summary>Text of this page</summary>
            <MarkedText className="page-text" text={page.text} spans={spansHere} />
          </details>
        ) : null}
      </>
    );
  }
  if (files && material.type === 'image') {
    return <ImagePageView src={files.urlOf(material.id)} title={material.title} page={page} spans={spans} />;
  }
  return (
    <>
      {cannotDraw ? (
        <p className="muted">This PDF could not be drawn here ({cannotDraw}). Here is its text.</p>
      ) : null}
      <PageTextView page={page} spans={spansHere} />
    </>
  );
}

function Viewer({ material }: { material: Material }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const classes = useClassLookup();
  const spans = decodeSpans(searchParams.get('hl'));
  const pageCount = Math.max(1, material.pageCount);
  const asked = Number(searchParams.get('page') ?? spans[0]?.page ?? 1);
  const pageNumber = Number.isInteger(asked) ? Math.min(Math.max(asked, 1), pageCount) : 1;
  const ready = material.status === 'ready' && material.pageCount > 0;
  const page = useMaterialPage(material.id, pageNumber, ready);

  const goTo = (next: number) =>
    setSearchParams(
      (current) => {
        const params = new URLSearchParams(current);
        params.set('page', String(next));
        return params;
      },
      { replace: true },
    );

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
          <PageNav page={pageNumber} pageCount={pageCount} onGo={goTo} />
          {page.isPending ? (
            <Loading label={`Loading page ${pageNumber}…`} />
          ) : page.isError ? (
            <ErrorState error={page.error} what={`page ${pageNumber}`} onRetry={() => void page.refetch()} />
          ) : (
            <PageContent key={material.id} material={material} page={page.data} spans={spans} />
          )}
        </div>
      )}
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
