import type { MaterialPage } from '@little-monster/core/contract';
import type { PageSpan } from './viewer-link';

export type PageWord = MaterialPage['words'][number];

/** The character ranges of `spans` that fall on `page`. */
export const rangesOnPage = (spans: readonly PageSpan[], page: number) =>
  spans.filter((span) => span.page === page);

/** The words to highlight: those whose first character lies inside one of the page's spans. */
export function wordsInSpans(
  words: readonly PageWord[],
  spans: readonly PageSpan[],
  page: number,
): PageWord[] {
  const ranges = rangesOnPage(spans, page);
  if (ranges.length === 0) return [];
  return words.filter((word) => ranges.some((range) => word.start >= range.start && word.start < range.end));
}

export interface TextSegment {
  text: string;
  marked: boolean;
}

/** Splits a page's text into plain and marked runs (overlapping or unsorted spans are merged). */
export function markSpans(text: string, spans: readonly Pick<PageSpan, 'start' | 'end'>[]): TextSegment[] {
  const ranges = spans
    .map((span) => ({ start: Math.max(0, span.start), end: Math.min(text.length, span.end) }))
    .filter((range) => range.end > range.start)
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  const segments: TextSegment[] = [];
  let at = 0;
  for (const range of merged) {
    if (range.start > at) segments.push({ text: text.slice(at, range.start), marked: false });
    segments.push({ text: text.slice(range.start, range.end), marked: true });
    at = range.end;
  }
  if (at < text.length || segments.length === 0) segments.push({ text: text.slice(at), marked: false });
  return segments;
}
