/**
 * What a note holds and which cards it makes. Fields are Markdown (with KaTeX math). A basic note
 * makes one card, a basic-and-reversed note two, a cloze note one per deletion number, an image
 * occlusion note one per mask group (the group's masks hidden, the others shown or not).
 */
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import type { NoteContent } from '../../../contract/index.js';
import { clozeCardNumbers, clozeFullText, parseCloze, renderCloze, type ClozeMarkup } from './cloze.js';

export type { NoteContent, NoteKind, OcclusionMask } from '../../../contract/index.js';

/** The cards a note makes, by ordinal; throws `ClozeSyntaxError` for a cloze left open. */
export function cardOrdinals(content: NoteContent): number[] {
  switch (content.kind) {
    case 'basic':
      return [0];
    case 'basic-reversed':
      return [0, 1];
    case 'cloze':
      return clozeCardNumbers(parseCloze(content.text)).map((number) => number - 1);
    case 'image-occlusion':
      return [...new Set(content.masks.map((mask) => mask.group))]
        .sort((a, b) => a - b)
        .map((group) => group - 1);
  }
}

export interface CardSides {
  front: string;
  back: string;
  /** For image occlusion: which mask group this card hides. */
  occludedGroup?: number;
}

/** The Markdown on each side of card `ordinal` of a note. */
export function cardSides(content: NoteContent, ordinal: number, markup?: ClozeMarkup): CardSides {
  switch (content.kind) {
    case 'basic':
      return { front: content.front, back: content.back };
    case 'basic-reversed':
      return ordinal === 1
        ? { front: content.back, back: content.front }
        : { front: content.front, back: content.back };
    case 'cloze': {
      const nodes = parseCloze(content.text);
      const back = renderCloze(nodes, ordinal + 1, 'back', markup);
      return {
        front: renderCloze(nodes, ordinal + 1, 'front', markup),
        back: content.extra ? `${back}\n\n${content.extra}` : back,
      };
    }
    case 'image-occlusion':
      return { front: content.header, back: content.back, occludedGroup: ordinal + 1 };
  }
}

const PARSE_OPTIONS = {
  extensions: [gfm(), math()],
  mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
};

/** The words of a Markdown field, without its markup: what search indexes. */
export function plainText(markdown: string): string {
  return toString(fromMarkdown(markdown, PARSE_OPTIONS) as Root, { includeImageAlt: true })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The note's first field as text, for search results and lists. */
export function firstFieldText(content: NoteContent): string {
  switch (content.kind) {
    case 'cloze':
      return plainText(clozeFullText(parseCloze(content.text)));
    case 'image-occlusion':
      return plainText(content.header);
    default:
      return plainText(content.front);
  }
}

/** Two notes whose first fields read the same (ignoring markup, case and spacing) are duplicates. */
export function duplicateKey(content: NoteContent): string {
  return firstFieldText(content).toLocaleLowerCase();
}
