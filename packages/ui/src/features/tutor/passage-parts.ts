/** A piece of a page's text: plain, or inside the cited passage. */
export interface PassagePart {
  text: string;
  cited: boolean;
}

/**
 * Cuts text into plain and cited pieces by character ranges (the passage's spans on one page),
 * so the panel can mark the passage inside its page. Ranges may overlap or fall outside the
 * text (a page re-read since); they are clamped and merged.
 */
export function markPassage(text: string, ranges: readonly { start: number; end: number }[]): PassagePart[] {
  const clamped = ranges
    .map(({ start, end }) => ({ start: Math.max(0, start), end: Math.min(text.length, end) }))
    .filter(({ start, end }) => end > start)
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const range of clamped) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  const parts: PassagePart[] = [];
  let at = 0;
  for (const { start, end } of merged) {
    if (start > at) parts.push({ text: text.slice(at, start), cited: false });
    parts.push({ text: text.slice(start, end), cited: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), cited: false });
  return parts;
}
