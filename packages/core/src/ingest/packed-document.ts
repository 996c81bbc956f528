import type { ExtractedPage, PageBlock } from './extracted-document.js';

const BLOCK_KINDS: PageBlock['kind'][] = ['heading', 'paragraph', 'list', 'code', 'table'];
/** Per block: start, end, kind (index in BLOCK_KINDS), level (0 for none). */
const BLOCK_FIELDS = 4;

/** Pages whose text and blocks are packed in two buffers (see packPages). */
export interface PackedPages {
  /** Each page without its text and blocks, and where they end in `text` and `blocks`. */
  pages: (Omit<ExtractedPage, 'text' | 'blocks' | 'words'> & { textEnd: number; blockEnd: number })[];
  /** Every page's text, UTF-8, one after the other. */
  text: Uint8Array;
  blocks: Uint32Array;
}

/**
 * Packs pages for the trip from a worker thread: thousands of small strings and block objects
 * would cost the receiving thread one long structured-clone pause, while two buffers are moved in
 * an instant. Pages without word positions only (text, Markdown, Word, PowerPoint).
 */
export function packPages(pages: ExtractedPage[]): { packed: PackedPages; transfer: ArrayBuffer[] } {
  const encoder = new TextEncoder();
  const encoded = pages.map((page) => encoder.encode(page.text));
  const text = new Uint8Array(encoded.reduce((sum, bytes) => sum + bytes.length, 0));
  const blocks = new Uint32Array(pages.reduce((sum, page) => sum + page.blocks.length, 0) * BLOCK_FIELDS);
  let textEnd = 0;
  let blockEnd = 0;
  const described = pages.map((page, index) => {
    text.set(encoded[index]!, textEnd);
    textEnd += encoded[index]!.length;
    for (const block of page.blocks) {
      blocks.set(
        [block.start, block.end, BLOCK_KINDS.indexOf(block.kind), block.level ?? 0],
        blockEnd * BLOCK_FIELDS,
      );
      blockEnd++;
    }
    const { text: _text, blocks: _blocks, words: _words, ...rest } = page;
    return { ...rest, textEnd, blockEnd };
  });
  return {
    packed: { pages: described, text, blocks },
    transfer: [text.buffer as ArrayBuffer, blocks.buffer as ArrayBuffer],
  };
}

/** Lets the engine's thread answer calls between pieces of a long unpacking. */
const YIELD_EVERY_BYTES = 1 << 20;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** The pages again, decoded a piece at a time with turns of the event loop between. */
export async function unpackPages(packed: PackedPages): Promise<ExtractedPage[]> {
  const decoder = new TextDecoder();
  const pages: ExtractedPage[] = [];
  let textStart = 0;
  let blockStart = 0;
  let sinceYield = 0;
  for (const { textEnd, blockEnd, ...page } of packed.pages) {
    const blocks: PageBlock[] = [];
    for (let index = blockStart; index < blockEnd; index++) {
      const at = index * BLOCK_FIELDS;
      const level = packed.blocks[at + 3]!;
      blocks.push({
        kind: BLOCK_KINDS[packed.blocks[at + 2]!]!,
        start: packed.blocks[at]!,
        end: packed.blocks[at + 1]!,
        ...(level ? { level } : {}),
      });
    }
    pages.push({
      ...page,
      text: decoder.decode(packed.text.subarray(textStart, textEnd)),
      blocks,
      words: [],
    });
    sinceYield += textEnd - textStart;
    textStart = textEnd;
    blockStart = blockEnd;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      sinceYield = 0;
      await nextTurn();
    }
  }
  return pages;
}
