import { useEffect, useRef } from 'react';
import { markSpans, type MarkTone } from './highlight';

/**
 * A page's text as React text nodes with the marks in <mark>; the find's current match, or else
 * the first mark, scrolls into view.
 */
export function MarkedText({
  text,
  spans,
  className,
}: {
  text: string;
  spans: readonly { start: number; end: number; tone?: MarkTone }[];
  className?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const segments = markSpans(text, spans);
  const focus = segments.find((segment) => segment.tone === 'current') ?? segments.find((s) => s.marked);
  const focusKey = focus ? `${focus.tone}:${segments.indexOf(focus)}` : undefined;
  useEffect(() => {
    if (focusKey === undefined) return;
    const target =
      container.current?.querySelector('mark.mark-current') ?? container.current?.querySelector('mark');
    target?.scrollIntoView?.({ block: 'center' });
  }, [focusKey, text]);
  return (
    <div ref={container} className={className}>
      {segments.map((segment, index) =>
        segment.marked ? (
          <mark key={index} className={`mark-${segment.tone ?? 'passage'}`}>
            {segment.text}
          </mark>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </div>
  );
}
