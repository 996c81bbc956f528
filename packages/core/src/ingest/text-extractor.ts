import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { AppError } from '../contract/index.js';
import { looksLikeMarkdown } from './detect-file-type.js';
import type { DocumentOutline, ExtractedDocument, ExtractedPage, PageBlock } from './extracted-document.js';
import { PageCutter } from './text-pages.js';

type MarkdownNode = ReturnType<typeof fromMarkdown>['children'][number];
type TextFormat = 'markdown' | 'text';

const PASTED_TITLE_LENGTH = 80;

/** Text the student pasted: Markdown if it looks like it, titled by its first line unless given a title. */
export function extractPastedText(text: string, title?: string): ExtractedDocument {
  const normalized = normalizeText(text);
  if (!normalized.trim())
    throw new AppError('INVALID_INPUT', 'There is no text to import. Paste some text first.');
  const firstLine = normalized
    .trim()
    .split('\n', 1)[0]!
    .replace(/^#+\s*/, '')
    .trim();
  const fallbackTitle =
    firstLine.length > PASTED_TITLE_LENGTH
      ? `${firstLine.slice(0, PASTED_TITLE_LENGTH - 1).trimEnd()}…`
      : firstLine;
  return extractText(normalized, {
    format: looksLikeMarkdown(normalized) ? 'markdown' : 'text',
    fallbackTitle: title?.trim() || fallbackTitle,
  });
}

/** Text or Markdown in memory, as pages (see TextPages). */
export function extractText(
  raw: string,
  options: { format: TextFormat; fallbackTitle: string },
): ExtractedDocument {
  const pages = new TextPages(options.format);
  const all = [...pages.add(normalizeText(raw)), ...pages.finish()];
  return { ...pages.outline(options.fallbackTitle), pages: all };
}

/**
 * Turns text into pages as it arrives: long text is cut into pages of a bounded size
 * (text-pages.ts); plain text gains paragraph blocks, Markdown keeps its source as the text and
 * gains heading, list, code and table blocks (each page parsed on its own, so a huge file is never
 * one huge tree). The title is the Markdown's front-matter title or first top-level heading.
 * Pages are handed out as they are completed, so a book never has to be held whole.
 */
export class TextPages {
  private readonly cutter: PageCutter;
  private pageCount = 0;
  private title: string | null = null;
  private visibleText = false;

  constructor(
    private readonly format: TextFormat,
    maxChars?: number,
  ) {
    this.cutter = new PageCutter({ markdown: format === 'markdown', ...(maxChars ? { maxChars } : {}) });
  }

  /** Adds normalized text (see normalizeText); returns the pages it completed. */
  add(text: string): ExtractedPage[] {
    return this.cutter.push(text).map((page) => this.page(page));
  }

  /** The last page (an empty page if the text had none). */
  finish(): ExtractedPage[] {
    const last = this.cutter.finish().map((page) => this.page(page));
    return this.pageCount === 0 ? [this.page('')] : last;
  }

  /** What the document is, once finished. */
  outline(fallbackTitle: string): DocumentOutline {
    const markdown = this.format === 'markdown';
    return {
      type: markdown ? 'markdown' : 'text',
      mimeType: markdown ? 'text/markdown' : 'text/plain',
      title: this.title ?? fallbackTitle,
      warnings: this.visibleText ? [] : ['This file contains no text.'],
    };
  }

  private page(text: string): ExtractedPage {
    const number = ++this.pageCount;
    this.visibleText ||= text.trim() !== '';
    let blocks: PageBlock[];
    if (this.format === 'markdown') {
      // Front matter can only open the document.
      const parsed = markdownBlocks(text, { frontMatter: number === 1 });
      blocks = parsed.blocks;
      if (number === 1) this.title = parsed.title;
    } else {
      blocks = paragraphBlocks(text);
    }
    return { number, text, blocks, words: [], source: 'document' };
  }
}

/** One line-ending convention and no byte-order mark, so offsets mean the same everywhere. */
export function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Runs of non-blank lines are paragraphs. */
export function paragraphBlocks(text: string): PageBlock[] {
  return [...text.matchAll(/\S[^\n]*(?:\n[ \t]*\S[^\n]*)*/g)].map((match) => ({
    kind: 'paragraph',
    start: match.index,
    end: match.index + match[0].trimEnd().length,
  }));
}

const FRONT_MATTER = /^---\n([\s\S]*?)\n---(?:\n|$)/;

function markdownBlocks(
  text: string,
  options: { frontMatter: boolean },
): { blocks: PageBlock[]; title: string | null } {
  // Front matter is metadata, not content: blank it out (keeping offsets) but read its title.
  const frontMatter = options.frontMatter ? FRONT_MATTER.exec(text) : null;
  const frontTitle = frontMatter?.[1]
    ?.match(/^title:\s*(.+)$/m)?.[1]
    ?.trim()
    .replace(/^(['"])(.*)\1$/, '$2');
  const source = frontMatter ? text.replace(FRONT_MATTER, (found) => found.replace(/[^\n]/g, ' ')) : text;
  const tree = fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const blocks: PageBlock[] = [];
  let firstHeading: string | null = null;
  for (const node of tree.children) {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    const kind = blockKind(node);
    if (start === undefined || end === undefined || !kind) continue;
    if (node.type === 'heading') {
      blocks.push({ kind, level: node.depth, start, end });
      if (node.depth === 1) firstHeading ??= plainText(node).trim() || null;
    } else {
      blocks.push({ kind, start, end });
    }
  }
  return { blocks, title: frontTitle || firstHeading };
}

function blockKind(node: MarkdownNode): PageBlock['kind'] | null {
  switch (node.type) {
    case 'heading':
      return 'heading';
    case 'list':
      return 'list';
    case 'code':
      return 'code';
    case 'table':
      return 'table';
    case 'paragraph':
    case 'blockquote':
    case 'html':
    case 'footnoteDefinition':
      return 'paragraph';
    default:
      return null; // thematic breaks, link definitions: no text of their own
  }
}

function plainText(node: { value?: unknown; children?: unknown[] }): string {
  if (typeof node.value === 'string') return node.value;
  return (node.children ?? []).map((child) => plainText(child as { value?: unknown })).join('');
}
