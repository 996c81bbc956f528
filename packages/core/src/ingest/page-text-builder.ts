import type { PageBlock } from './extracted-document.js';
import { cutIntoPages } from './text-pages.js';

interface BuiltPage {
  text: string;
  blocks: PageBlock[];
}

/**
 * Joins blocks of text with blank lines between them, remembering where each block sits. Given a
 * page size, it starts a new page before a block that would not fit (a single block longer than
 * a page is cut across pages), so no page of a long document is huge.
 */
export class PageTextBuilder {
  private readonly pages: BuiltPage[] = [];
  private page: BuiltPage = { text: '', blocks: [] };

  constructor(private readonly maxChars = Infinity) {}

  /** Appends a block; empty text adds nothing. */
  addBlock(kind: PageBlock['kind'], content: string, level?: number): void {
    const trimmed = content.replace(/^\n+|\s+$/g, '');
    if (!trimmed.trim()) return;
    if (this.page.text && this.page.text.length + 2 + trimmed.length > this.maxChars) this.nextPage();
    const pieces =
      trimmed.length > this.maxChars
        ? cutIntoPages(trimmed, { markdown: false, maxChars: this.maxChars })
        : [trimmed];
    pieces.forEach((piece, index) => {
      if (index > 0) this.nextPage();
      if (this.page.text) this.page.text += '\n\n';
      const start = this.page.text.length;
      this.page.text += piece;
      this.page.blocks.push(
        level === undefined
          ? { kind, start, end: this.page.text.length }
          : { kind, level, start, end: this.page.text.length },
      );
    });
  }

  /** All the text as one page (slides, whose page is the slide). */
  finish(): BuiltPage {
    return this.page;
  }

  /** The pages, at least one. */
  finishPages(): BuiltPage[] {
    return [...this.pages, this.page];
  }

  private nextPage(): void {
    this.pages.push(this.page);
    this.page = { text: '', blocks: [] };
  }
}
