import type { GeneratedItem } from '@little-monster/core/contract';
import { useKeepItem, useRegenerateItem } from './queries';

/** "Source changed" / "Source removed" on an item, with "Regenerate this item" and "Keep as is". */
export function StaleFlag({ item }: { item: GeneratedItem }) {
  const keep = useKeepItem();
  const regenerate = useRegenerateItem();
  if (!item.stale) return null;
  return (
    <div className="generate-stale" role="note">
      <span className="badge badge-warning">
        {item.stale === 'changed' ? 'Source changed' : 'Source removed'}
      </span>
      {item.stale === 'changed' ? (
        <button
          type="button"
          className="button button-small"
          disabled={regenerate.isPending}
          onClick={() => regenerate.mutate(item.id)}
        >
          {regenerate.isPending ? 'Writing again…' : 'Regenerate this item'}
        </button>
      ) : null}
      <button type="button" className="button button-small" onClick={() => keep.mutate(item.id)}>
        Keep as is
      </button>
      {regenerate.isError ? (
        <span className="text-error" role="alert">
          {regenerate.error.message}
        </span>
      ) : null}
    </div>
  );
}

/** Where an item came from: the material and page, or the lecture and time. */
export function SourceLine({ item }: { item: GeneratedItem }) {
  return (
    <p className="muted generate-sources">
      From{' '}
      {item.sources
        .map((source) => {
          const { location } = source;
          const place =
            location.kind === 'time'
              ? `${Math.floor(location.startSec / 60)}:${String(Math.floor(location.startSec % 60)).padStart(2, '0')}`
              : location.pageStart === null
                ? null
                : `page ${location.pageStart}`;
          return place ? `${source.title}, ${place}` : source.title;
        })
        .join('; ')}
    </p>
  );
}
