import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { TranscriptSegment } from '@little-monster/core/contract';
import { isRpcCallError } from '../../transport/client';
import { formatClock } from './lecture-text';
import { useEditSegment } from './queries';

/** The line being played: the last one that started at or before the position. */
export function activeSegmentIndex(segments: readonly TranscriptSegment[], positionMs: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (segments[middle]!.startMs <= positionMs) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** Keys that scroll a focused list: pressing them means the student is reading elsewhere. */
const SCROLL_KEYS = new Set(['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown']);

function EditLine({ segment, onDone }: { segment: TranscriptSegment; onDone(): void }) {
  const [text, setText] = useState(segment.text);
  const [error, setError] = useState('');
  const edit = useEditSegment();
  const fieldId = useId();

  function save(event?: FormEvent) {
    event?.preventDefault();
    if (text.trim() === segment.text) return onDone();
    edit.mutate(
      { id: segment.id, text },
      {
        onSuccess: onDone,
        onError(failure) {
          if (isRpcCallError(failure, 'INVALID_INPUT'))
            setError(failure.fieldIssues[0]?.message ?? failure.message);
        },
      },
    );
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onDone();
    }
  }

  return (
    <form className="segment-edit" onSubmit={save} aria-busy={edit.isPending}>
      <label className="visually-hidden" htmlFor={fieldId}>
        Text of the line at {formatClock(segment.startMs)}
      </label>
      <textarea
        id={fieldId}
        value={text}
        rows={2}
        autoFocus
        maxLength={5000}
        aria-invalid={Boolean(error)}
        onChange={(e) => {
          setText(e.target.value);
          setError('');
        }}
        onKeyDown={onKeyDown}
      />
      {error ? <p className="field-error">{error}</p> : null}
      <div className="row">
        <button type="submit" className="button button-small button-primary" disabled={edit.isPending}>
          Save
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The transcript beside the player: the line being played is marked and kept in view, unless the
 * student has scrolled away to read (then a button brings playback back into view). A click on a
 * line plays from there; a line's text can be corrected, its times stay.
 */
export function TranscriptLines({
  segments,
  positionMs,
  onPlay,
}: {
  segments: readonly TranscriptSegment[];
  positionMs: number;
  onPlay(ms: number): void;
}) {
  const active = activeSegmentIndex(segments, positionMs);
  const [follow, setFollow] = useState(true);
  const [editingId, setEditingId] = useState<number | null>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!follow || active < 0) return;
    const line = list.current?.children[active];
    if (line && typeof line.scrollIntoView === 'function') line.scrollIntoView({ block: 'nearest' });
  }, [active, follow]);

  const stopFollowing = () => setFollow(false);

  return (
    <div className="transcript">
      {!follow && active >= 0 ? (
        <button
          type="button"
          className="button button-small transcript-follow"
          onClick={() => setFollow(true)}
        >
          Follow playback
        </button>
      ) : null}
      <ol
        ref={list}
        className="transcript-lines"
        aria-label="Transcript"
        onWheel={stopFollowing}
        onTouchMove={stopFollowing}
        onKeyDown={(event) => {
          if (SCROLL_KEYS.has(event.key) && event.target === event.currentTarget) stopFollowing();
        }}
        tabIndex={0}
      >
        {segments.map((segment, index) => (
          <li
            key={segment.id}
            className={`segment${index === active ? ' is-playing' : ''}`}
            aria-current={index === active ? 'true' : undefined}
          >
            {editingId === segment.id ? (
              <EditLine segment={segment} onDone={() => setEditingId(null)} />
            ) : (
              <>
                <button
                  type="button"
                  className="segment-line"
                  onClick={() => {
                    setFollow(true);
                    onPlay(segment.startMs);
                  }}
                >
                  <span className="segment-time">{formatClock(segment.startMs)}</span>
                  <span className="segment-text">{segment.text || '…'}</span>
                </button>
                {segment.edited ? <span className="badge segment-edited">edited</span> : null}
                <button
                  type="button"
                  className="button button-quiet button-small segment-edit-button"
                  aria-label={`Edit the line at ${formatClock(segment.startMs)}`}
                  onClick={() => setEditingId(segment.id)}
                >
                  Edit
                </button>
              </>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
