import type { MaterialPage } from '@little-monster/core/contract';
import { MarkedText } from './MarkedText';
import type { PageSpan } from './viewer-link';

/** Slides, documents and text (and anything this window cannot draw): the page's text, spans marked. */
export function PageTextView({ page, spans }: { page: MaterialPage; spans: readonly PageSpan[] }) {
  return (
    <div className="page-text-view">
      {page.text.trim() ? (
        <MarkedText className="page-text" text={page.text} spans={spans} />
      ) : (
        <p className="muted">No text was found on this page.</p>
      )}
      {page.notes ? (
        <section className="page-notes" aria-label="Speaker notes">
          <h2 className="subheading">Speaker notes</h2>
          <p className="page-text">{page.notes}</p>
        </section>
      ) : null}
    </div>
  );
}
