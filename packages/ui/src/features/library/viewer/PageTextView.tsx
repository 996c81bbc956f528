import type { MaterialPage } from '@little-monster/core/contract';
import type { PageMark } from './highlight';
import { MarkedText } from './MarkedText';

/** Slides, documents and text (and anything this window cannot draw): the page's text, marks shown. */
export function PageTextView({ page, spans }: { page: MaterialPage; spans: readonly PageMark[] }) {
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
