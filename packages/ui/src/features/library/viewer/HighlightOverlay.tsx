import { useEffect, useRef } from 'react';
import type { PageWord } from './highlight';

export const percent = (fraction: number) => `${(fraction * 100).toFixed(3)}%`;

/** Marks over the drawn page where the highlighted words sit (boxes are 0..1 of the page). */
export function HighlightOverlay({ words }: { words: readonly PageWord[] }) {
  const layer = useRef<HTMLDivElement>(null);
  const first = words[0]?.start;
  useEffect(() => {
    if (first !== undefined) layer.current?.firstElementChild?.scrollIntoView?.({ block: 'center' });
  }, [first]);
  if (words.length === 0) return null;
  return (
    <div ref={layer} className="highlight-layer" aria-hidden="true">
      {words.map((word) => (
        <div
          key={word.start}
          className="highlight-box"
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
