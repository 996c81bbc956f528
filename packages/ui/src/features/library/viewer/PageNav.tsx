import { useId, useState, type FormEvent } from 'react';

/** Previous / next, where we are, and a jump to any page. Only for items of more than one page. */
export function PageNav({
  page,
  pageCount,
  onGo,
}: {
  page: number;
  /** Pages of a PDF, slides of a deck. */
  pageCount: number;
  onGo(page: number): void;
}) {
  const [typed, setTyped] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fieldId = useId();
  const problemId = useId();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const wanted = Number(typed ?? page);
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > pageCount) {
      setProblem(`Type a page number from 1 to ${pageCount}.`);
      return;
    }
    setProblem(null);
    setTyped(null);
    onGo(wanted);
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
      <form className="page-jump" onSubmit={onSubmit} noValidate>
        <label htmlFor={fieldId}>Go to page</label>
        <input
          id={fieldId}
          type="number"
          inputMode="numeric"
          min={1}
          max={pageCount}
          value={typed ?? String(page)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
          onChange={(e) => {
            setTyped(e.target.value);
            setProblem(null);
          }}
          onBlur={() => !problem && setTyped(null)}
        />
        <button type="submit" className="button button-small">
          Go
        </button>
        {problem ? (
          <p id={problemId} className="field-hint text-error" role="alert">
            {problem}
          </p>
        ) : null}
      </form>
    </nav>
  );
}
