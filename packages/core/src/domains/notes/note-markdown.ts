/**
 * A note's Markdown made safe to show and to export: no raw HTML, and no link or image whose
 * address is not http(s), mailto or a lecture stamp (`#t=754`). Also the note's words for lists
 * and search. Markdown is read as a syntax tree (CommonMark + GFM + math), never with regexes.
 */
import type { Nodes, Parent, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown, mathToMarkdown } from 'mdast-util-math';
import { toMarkdown } from 'mdast-util-to-markdown';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import { STAMP_HREF, STAMP_LINK } from '../../contract/index.js';

const PARSE_OPTIONS = {
  extensions: [gfm(), math()],
  mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
};

export const parseNoteMarkdown = (markdown: string): Root => fromMarkdown(markdown, PARSE_OPTIONS);

/** Addresses a note may link to: the web, mail, and its own lecture stamps. */
export function isSafeUrl(url: string): boolean {
  if (STAMP_HREF.test(url)) return true;
  return /^(https?:\/\/|mailto:)/i.test(url.trim());
}

/**
 * The Markdown without raw HTML and unsafe links (a link keeps its words, an unsafe image its
 * description). A note that has neither comes back exactly as written, byte for byte: what the
 * editor saved is what it shows again.
 */
export function sanitizeNoteMarkdown(markdown: string): string {
  const tree = parseNoteMarkdown(markdown);
  if (!cleanChildren(tree)) return markdown;
  return toMarkdown(tree, { extensions: [gfmToMarkdown(), mathToMarkdown()] });
}

/** Removes what is unsafe below `parent`, in place; true when anything changed. */
function cleanChildren(parent: Parent): boolean {
  let changed = false;
  const kept: Nodes[] = [];
  for (const node of parent.children as Nodes[]) {
    if (node.type === 'html') {
      changed = true;
      continue;
    }
    if ((node.type === 'link' || node.type === 'definition') && !isSafeUrl(node.url)) {
      changed = true;
      if (node.type === 'link') {
        cleanChildren(node);
        kept.push(...node.children);
      }
      continue;
    }
    if (node.type === 'image' && !isSafeUrl(node.url)) {
      changed = true;
      if (node.alt) kept.push({ type: 'text', value: node.alt });
      continue;
    }
    if ('children' in node && cleanChildren(node)) changed = true;
    kept.push(node);
  }
  parent.children = kept as Parent['children'];
  return changed;
}

/** Stamps `[12:34](#t=754)` as the plain `[12:34]` a reader outside the app understands. */
export const withPlainStamps = (markdown: string) => markdown.replace(STAMP_LINK, '[$1]');

/** The note's words without markup, on one line: what lists show of it. */
export function noteExcerpt(markdown: string, maxChars = 160): string {
  const text = wordsOf(parseNoteMarkdown(withPlainStamps(markdown)))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxChars ? `${text.slice(0, maxChars - 1).trimEnd()}…` : text;
}

/** Inline pieces run together ("**N**ADH" is one word); blocks are separated by a space. */
function wordsOf(node: Nodes): string {
  if (node.type === 'image') return node.alt ?? '';
  if ('value' in node) return node.type === 'html' ? '' : node.value;
  if (!('children' in node)) return '';
  const inline =
    node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell' || isPhrasing(node);
  return (node.children as Nodes[]).map(wordsOf).join(inline ? '' : ' ');
}

const isPhrasing = (node: Nodes) =>
  ['emphasis', 'strong', 'delete', 'link', 'linkReference'].includes(node.type);
