import { useId, useState, type FormEvent } from 'react';

/** Previous / next, where we are, and a jump to any page. */
export function PageNav({
  page,
  pageCount,
  onGo,
}: {
  page: number;
  /** Pages of a PDF, slides of a deck, or 1 for a photo or a document. */
  pageCount: number;
  onGo(page: number): void;
}) {
  const [typed, setTyped] = useState<string | null>(null);
  const fieldId = useId();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const wanted = Number(typed);
    if (Number.isInteger(wanted) && wanted >= 1 && wanted <= pageCount) onGo(wanted);
    setTyped(null);
  }

  return (
    <nav className="page-nav" aria-label="Pages">
      <button
        type="button"
        className="button button-small"
        disabled={page <= 1}
        onClick={() => onGo(page - 1)}
      >
        Previous page
      </button>
      <p className="page-count" aria-live="polite">
        {`Page ${page} of ${pageCount}`}
      </p>
      <button
        type="button"
        className="button button-small"
        disabled={page >= pageCount}
        onClick={() => onGo(page + 1)}
      >
        Next page
      </button>
      {pageCount > 1 ? (
        <form className="page-jump" onSubmit={onSubmit}>
          <label htmlFor={fieldId}>Go to page</label>
          <input
            id={fieldId}
            type="number"
            min={1}
            max={pageCount}
            value={typed ?? String(page)}
            onChange={(e) => setTyped(e.target.value)}
            onBlur={() => setTyped(null)}
          />
          <button type="submit" className="button button-small">
            Go
          </button>
        </form>
      ) : null}
    </nav>
  );
}
