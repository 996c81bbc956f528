import { useEffect, useRef } from 'react';
import { markSpans } from './highlight';
import type { PageSpan } from './viewer-link';

/** A page's text as React text nodes with the spans in <mark>; the first mark scrolls into view. */
export function MarkedText({
  text,
  spans,
  className,
}: {
  text: string;
  spans: readonly PageSpan[];
  className?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const segments = markSpans(text, spans);
  const hasMarks = segments.some((segment) => segment.marked);
  useEffect(() => {
    if (hasMarks) container.current?.querySelector('mark')?.scrollIntoView?.({ block: 'center' });
  }, [hasMarks, text]);
  return (
    <div ref={container} className={className}>
      {segments.map((segment, index) =>
        segment.marked ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </div>
  );
}
