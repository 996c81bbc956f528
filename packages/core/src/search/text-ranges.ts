/** A character range [start, end) of some text. */
export interface Range {
  start: number;
  end: number;
}

/**
 * Sentence ranges of `text` within [start, end): a sentence ends at . ! ? or … (with closing
 * quotes or brackets) before whitespace and a capital, digit or opening quote, or at a blank
 * line. Not linguistics, only good places to cut: "e.g. The" may split, which is harmless.
 */
export function sentenceRanges(text: string, start: number, end: number): Range[] {
  const ranges: Range[] = [];
  const boundary = /[.!?…]["'”’)\]]*(\s+)(?=["'“‘([]?[\p{Lu}\p{N}])|\n[ \t]*\n\s*/gu;
  boundary.lastIndex = start;
  let from = start;
  for (let match = boundary.exec(text); match && match.index < end; match = boundary.exec(text)) {
    const spaceStart = match[1] === undefined ? match.index : match.index + match[0].length - match[1].length;
    const next = match.index + match[0].length;
    if (next > end) break;
    if (spaceStart > from) ranges.push({ start: from, end: spaceStart });
    from = next;
  }
  if (end > from) ranges.push({ start: from, end });
  return ranges;
}

/** Word ranges (runs of non-whitespace) of `text` within [start, end). */
export function wordRanges(text: string, start: number, end: number): Range[] {
  const ranges: Range[] = [];
  const word = /\S+/g;
  word.lastIndex = start;
  for (let match = word.exec(text); match && match.index < end; match = word.exec(text)) {
    ranges.push({ start: match.index, end: Math.min(end, match.index + match[0].length) });
  }
  return ranges;
}
