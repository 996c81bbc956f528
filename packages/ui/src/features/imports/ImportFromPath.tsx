import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

/**
 * Imports a file or folder by its path on this computer; the engine reads it directly, so this
 * works in the desktop app and in the browser mode alike.
 */
export function ImportFromPath({
  onImport,
  startOpen,
  focusOnArrival = false,
}: {
  onImport(path: string): void;
  /** Open from the start where it is the only way to import files. */
  startOpen: boolean;
  /** Take the cursor once the page has opened (after the shell has focused the page heading). */
  focusOnArrival?: boolean;
}) {
  const [open, setOpen] = useState(startOpen);
  const [path, setPath] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const fieldId = useId();

  useEffect(() => {
    if (!focusOnArrival) return;
    const timer = setTimeout(() => input.current?.focus());
    return () => clearTimeout(timer);
  }, [focusOnArrival]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const trimmed = path.trim();
    if (!trimmed) return;
    onImport(trimmed);
    setPath('');
  }

  if (!open) {
    return (
      <button type="button" className="button button-quiet import-path-toggle" onClick={() => setOpen(true)}>
        Import from a path…
      </button>
    );
  }
  return (
    <form className="import-path" onSubmit={onSubmit} aria-label="Import from a path">
      <div className="field">
        <label htmlFor={fieldId}>Path of a file or folder on this computer</label>
        <input
          ref={input}
          id={fieldId}
          type="text"
          value={path}
          autoFocus={!startOpen}
          spellCheck={false}
          autoComplete="off"
          placeholder="/home/you/Documents/lecture-3.pdf"
          onChange={(e) => setPath(e.target.value)}
        />
      </div>
      <button type="submit" className="button" disabled={!path.trim()}>
        Import
      </button>
    </form>
  );
}
