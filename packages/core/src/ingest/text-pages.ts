/**
 * Long text is cut into pages: a page is what the viewer shows at once, what a search hit opens,
 * and what one `materials.page` answer carries, so none may be huge. About ten printed pages each.
 */
export const TEXT_PAGE_CHARS = 25_000;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Cuts text, given in pieces as it is read, into pages of at most `maxChars`. A page ends at the
 * last paragraph break in its second half (in Markdown, not inside a fenced code block), else at
 * the last line break, else the last space; never between the two halves of a surrogate pair.
 * Joined, the pages are the text.
 */
export class PageCutter {
  private pending = '';
  /** Inside a fenced code block at the start of `pending` (Markdown only). */
  private inFence = false;

  constructor(private readonly options: { markdown: boolean; maxChars?: number } = { markdown: false }) {}

  private get maxChars(): number {
    return this.options.maxChars ?? TEXT_PAGE_CHARS;
  }

  /** Adds text; returns the pages it completed. */
  push(text: string): string[] {
    this.pending += text;
    const pages: string[] = [];
    // Strictly longer: a page's end is chosen seeing everything up to its last possible character.
    while (this.pending.length > this.maxChars) {
      const end = this.cut();
      pages.push(this.pending.slice(0, end));
      this.pending = this.pending.slice(end);
    }
    return pages;
  }

  /** The last page (empty text gives none). */
  finish(): string[] {
    const last = this.pending;
    this.pending = '';
    return last ? [last] : [];
  }

  private cut(): number {
    const max = this.maxChars;
    const earliest = Math.floor(max / 2);
    let paragraphEnd = -1;
    let lineEnd = -1;
    let fenced = this.inFence;
    let fencedAtCut = fenced;
    for (let lineStart = 0; lineStart < max;) {
      const newline = this.pending.indexOf('\n', lineStart);
      const next = newline === -1 ? this.pending.length : newline + 1;
      if (next > max) break;
      const line = this.pending.slice(lineStart, newline === -1 ? next : newline);
      if (this.options.markdown && FENCE.test(line)) fenced = !fenced;
      if (newline !== -1 && next >= earliest) {
        lineEnd = next;
        // A blank line ends a paragraph; inside a code fence it does not.
        if (!fenced && line.trim() === '' && lineStart > 0) {
          paragraphEnd = next;
          fencedAtCut = fenced;
        }
      }
      lineStart = next;
    }
    let end = paragraphEnd;
    if (end === -1 && lineEnd !== -1) {
      end = lineEnd;
      fencedAtCut = this.fenceStateAt(end);
    }
    if (end === -1) {
      const space = this.pending.lastIndexOf(' ', max - 1);
      end = space >= earliest ? space + 1 : max;
      if (isHighSurrogate(this.pending.charCodeAt(end - 1))) end--;
      fencedAtCut = this.fenceStateAt(end);
    }
    this.inFence = fencedAtCut;
    return end;
  }

  /** Whether `pending[end]` is inside a code fence (Markdown only). */
  private fenceStateAt(end: number): boolean {
    if (!this.options.markdown) return false;
    let fenced = this.inFence;
    for (const line of this.pending.slice(0, end).split('\n')) if (FENCE.test(line)) fenced = !fenced;
    return fenced;
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** `text` cut into pages (see PageCutter). */
export function cutIntoPages(text: string, options: { markdown: boolean; maxChars?: number }): string[] {
  const cutter = new PageCutter(options);
  return [...cutter.push(text), ...cutter.finish()];
}
