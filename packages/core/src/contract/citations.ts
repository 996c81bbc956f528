/**
 * The citation grammar the tutor's answers use, shared by the engine (which keeps only citations
 * of real sources) and the UI (which draws them as chips). A citation is `[n]` after a claim,
 * n being a numbered source of the prompt; models also write `[1, 2]`, `[1; 2]`, `[1][2]` and
 * `[2-4]`. Brackets right after a word or `)` are not a citation (`a[1]` is an index).
 */

/** One bracketed group of source numbers (1 to 3 digits each), as a RegExp source. */
export const CITATION_GROUP = String.raw`\[\s*\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\s*\]`;

/** Where a citation may start: not right after a word character or `)`. */
export const CITATION_START = String.raw`(?<![\w)])`;

/** A range is short in practice; a longer one is not a citation of every source between. */
const MAX_RANGE = 9;

/** Every number a citation (or a run of them) cites, in order, once each: `[2-4]` is 2, 3, 4. */
export function citedNumbers(citation: string): number[] {
  const numbers: number[] = [];
  for (const [, from, to] of citation.matchAll(/(\d+)(?:\s*[–-]\s*(\d+))?/g)) {
    const start = Number(from);
    const end = to === undefined ? start : Number(to);
    if (end < start || end - start > MAX_RANGE) continue;
    for (let n = start; n <= end; n += 1) numbers.push(n);
  }
  return [...new Set(numbers)];
}
