import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { explainError } from '../../../app/error-messages';
import type { Find } from './use-find';

/** The find field: Enter goes to the next match, Shift+Enter to the previous, Escape closes it. */
export function FindBar({ find, focusKey }: { find: Find; focusKey: number }) {
  const input = useRef<HTMLInputElement>(null);
  const fieldId = useId();
  const statusId = useId();

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusKey]);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      if (event.shiftKey) find.previous();
      else find.next();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      find.close();
    }
  }

  const wanted = find.text.trim();
  const status = find.error
    ? `The find did not work: ${explainError(find.error).message}`
    : !wanted
      ? ''
      : find.matches.length
        ? `${find.position} of ${find.matches.length}${find.truncated ? '+' : ''}`
        : find.searching
          ? 'Searching…'
          : 'Not found in this document';

  return (
    <div className="find-bar" role="search" aria-label="Find in this document">
      <label htmlFor={fieldId} className="visually-hidden">
        Find in this document
      </label>
      <input
        ref={input}
        id={fieldId}
        type="search"
        value={find.text}
        placeholder="Find in this document"
        aria-describedby={statusId}
        maxLength={500}
        onChange={(event) => find.setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <p id={statusId} className={find.error ? 'find-status text-error' : 'find-status'} aria-live="polite">
        {status}
      </p>
      <button
        type="button"
        className="button button-small"
        disabled={find.matches.length === 0}
        onClick={find.previous}
      >
        Previous match
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={find.matches.length === 0}
        onClick={find.next}
      >
        Next match
      </button>
      <button type="button" className="button button-small" onClick={find.close}>
        Close find
      </button>
    </div>
  );
}
