import { useEffect, useRef } from 'react';

/** Acts on the checked materials; "Select all" covers the ones shown. */
export function BulkActions({
  shown,
  selected,
  onSelectAll,
  onMove,
  onDelete,
}: {
  shown: number;
  selected: number;
  onSelectAll(all: boolean): void;
  onMove(): void;
  onDelete(): void;
}) {
  const selectAll = useRef<HTMLInputElement>(null);
  const some = selected > 0 && selected < shown;
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = some;
  }, [some]);
  return (
    <div className="bulk-actions" role="group" aria-label="Selected materials">
      <label className="toggle">
        <input
          ref={selectAll}
          type="checkbox"
          checked={shown > 0 && selected === shown}
          onChange={(e) => onSelectAll(e.target.checked)}
        />
        Select all
      </label>
      {selected > 0 ? (
        <>
          <span className="bulk-count">{selected} selected</span>
          <button type="button" className="button button-small" onClick={onMove}>
            Move to class…
          </button>
          <button type="button" className="button button-small button-danger-quiet" onClick={onDelete}>
            Delete…
          </button>
        </>
      ) : null}
    </div>
  );
}
