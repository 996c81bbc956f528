import { useEffect, useRef } from 'react';
import type { MarkedWord } from './highlight';

export const percent = (fraction: number) => `${(fraction * 100).toFixed(3)}%`;

/**
 * Marks over the drawn page where the marked words sit (boxes are 0..1 of the page). The find's
 * current match, or else the first mark, is scrolled into view whenever it changes.
 */
export function HighlightOverlay({ words }: { words: readonly MarkedWord[] }) {
  const layer = useRef<HTMLDivElement>(null);
  const focus = words.find((marked) => marked.tone === 'current') ?? words[0];
  const focusKey = focus ? `${focus.tone}:${focus.word.start}` : undefined;
  useEffect(() => {
    if (focusKey === undefined) return;
    const target =
      layer.current?.querySelector('.highlight-current') ?? layer.current?.firstElementChild ?? null;
    target?.scrollIntoView?.({ block: 'center', inline: 'nearest' });
  }, [focusKey]);
  if (words.length === 0) return null;
  return (
    <div ref={layer} className="highlight-layer" aria-hidden="true">
      {words.map(({ word, tone }) => (
        <div
          key={word.start}
          className={`highlight-box highlight-${tone}`}
          style={{
            left: percent(word.box[0]),
            top: percent(word.box[1]),
            width: percent(word.box[2]),
            height: percent(word.box[3]),
          }}
        />
      ))}
    </div>
  );
}
