/** A top-level piece of an answer's markdown and where it starts in the answer. */
export interface MarkdownBlock {
  start: number;
  source: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:\s|$)/;

/**
 * Cuts markdown into top-level blocks at blank lines, so each block can be rendered on its own.
 * Conservative: never inside a fenced code block or a `$$` math block, never before an indented
 * line (it may continue a list item) or a list item (it may continue the list). Each block
 * renders the same alone as in the whole text, except for link reference definitions and
 * footnotes that point across blocks, which model answers do not use.
 *
 * Where a cut falls depends only on the text before it, so when an answer grows at the end its
 * earlier blocks come out the same (and, memoised, are not rendered again).
 */
export function splitBlocks(text: string, offset = 0): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  let blockStart = 0;
  let fence: { char: string; length: number } | null = null;
  let inMath = false;
  let afterBlank = false;
  let position = 0;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const end = newline === -1 ? text.length : newline + 1;
    const line = text.slice(position, newline === -1 ? text.length : newline);
    const blank = line.trim() === '';

    if (!fence && !inMath && afterBlank && !blank && !/^\s/.test(line) && !LIST_ITEM.test(line)) {
      blocks.push({ start: offset + blockStart, source: text.slice(blockStart, position) });
      blockStart = position;
    }

    if (fence) {
      const close = FENCE.exec(line);
      if (
        close?.[1] &&
        close[1][0] === fence.char &&
        close[1].length >= fence.length &&
        !line.slice(close[0].length).trim()
      ) {
        fence = null;
      }
    } else if (inMath) {
      if (line.includes('$$')) inMath = false;
    } else {
      const open = FENCE.exec(line);
      const trimmed = line.trim();
      if (open?.[1]) fence = { char: open[1][0]!, length: open[1].length };
      else if (trimmed.startsWith('$$') && !trimmed.slice(2).includes('$$')) inMath = true;
    }
    afterBlank = blank;
    position = end;
  }
  if (blockStart < text.length || blocks.length === 0) {
    blocks.push({ start: offset + blockStart, source: text.slice(blockStart) });
  }
  return blocks;
}
