import type { PageBlock } from './extracted-document.js';

/** Joins blocks of text with blank lines between them, remembering where each block sits. */
export class PageTextBuilder {
  private text = '';
  private readonly blocks: PageBlock[] = [];

  /** Appends a block; empty text adds nothing. Returns the block's start offset, or null. */
  addBlock(kind: PageBlock['kind'], content: string, level?: number): number | null {
    const trimmed = content.replace(/^\n+|\s+$/g, '');
    if (!trimmed.trim()) return null;
    if (this.text) this.text += '\n\n';
    const start = this.text.length;
    this.text += trimmed;
    this.blocks.push(
      level === undefined
        ? { kind, start, end: this.text.length }
        : { kind, level, start, end: this.text.length },
    );
    return start;
  }

  finish(): { text: string; blocks: PageBlock[] } {
    return { text: this.text, blocks: this.blocks };
  }
}
