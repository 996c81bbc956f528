import type { MaterialPage } from '@little-monster/core/contract';
import type { PageSpan } from './viewer-link';

export type PageWord = MaterialPage['words'][number];

/**
 * Why a range of the page is marked: the passage a search hit or a citation opened, a match of
 * the viewer's find, or the match the find is on now (the strongest).
 */
export type MarkTone = 'passage' | 'match' | 'current';

export interface PageMark {
  start: number;
  end: number;
  tone: MarkTone;
}

const STRENGTH: Record<MarkTone, number> = { passage: 0, match: 1, current: 2 };
const stronger = (a: MarkTone | undefined, b: MarkTone) => (a && STRENGTH[a] >= STRENGTH[b] ? a : b);

/** The character ranges of `spans` that fall on `page`. */
export const rangesOnPage = (spans: readonly PageSpan[], page: number) =>
  spans.filter((span) => span.page === page);

export interface MarkedWord {
  word: PageWord;
  tone: MarkTone;
}

/**
 * The words under the marks, each with its strongest mark. A passage marks the words it starts
 * (as search gives whole words); a find match marks every word it touches, a part of a word too.
 */
export function markedWords(words: readonly PageWord[], marks: readonly PageMark[]): MarkedWord[] {
  if (marks.length === 0) return [];
  const marked: MarkedWord[] = [];
  for (const word of words) {
    const end = word.start + word.text.length;
    let tone: MarkTone | undefined;
    for (const mark of marks) {
      const hit =
        mark.tone === 'passage'
          ? word.start >= mark.start && word.start < mark.end
          : word.start < mark.end && end > mark.start;
      if (hit) tone = stronger(tone, mark.tone);
    }
    if (tone) marked.push({ word, tone });
  }
  return marked;
}

export interface TextSegment {
  text: string;
  marked: boolean;
  /** The strongest mark over this run, when marked. */
  tone?: MarkTone;
}

/**
 * Splits a page's text into plain and marked runs (overlapping or unsorted marks are merged; where
 * marks of different tones overlap, the stronger one shows). A span without a tone is a passage.
 */
export function markSpans(
  text: string,
  spans: readonly (Pick<PageSpan, 'start' | 'end'> & { tone?: MarkTone })[],
): TextSegment[] {
  const ranges = spans
    .map((span) => ({
      start: Math.max(0, span.start),
      end: Math.min(text.length, span.end),
      tone: span.tone ?? 'passage',
    }))
    .filter((range) => range.end > range.start);
  const cuts = [...new Set([0, text.length, ...ranges.flatMap((range) => [range.start, range.end])])].sort(
    (a, b) => a - b,
  );
  const segments: TextSegment[] = [];
  for (let index = 0; index + 1 < cuts.length || segments.length === 0; index++) {
    const [from = 0, to = text.length] = [cuts[index], cuts[index + 1]];
    let tone: MarkTone | undefined;
    for (const range of ranges) if (range.start <= from && range.end >= to) tone = stronger(tone, range.tone);
    const last = segments[segments.length - 1];
    const piece = text.slice(from, to);
    if (last && last.tone === tone) last.text += piece;
    else segments.push(tone ? { text: piece, marked: true, tone } : { text: piece, marked: false });
  }
  return segments;
}
