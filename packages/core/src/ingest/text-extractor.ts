import { readFile } from 'node:fs/promises';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { AppError } from '../contract/index.js';
import { looksLikeMarkdown } from './detect-file-type.js';
import type { ExtractedDocument, PageBlock } from './extracted-document.js';

type MarkdownNode = ReturnType<typeof fromMarkdown>['children'][number];

const PASTED_TITLE_LENGTH = 80;

/** Reads a UTF-8 text or Markdown file as one page; Markdown keeps its source and gains blocks. */
export async function extractTextFile(
  path: string,
  format: 'markdown' | 'text',
  fallbackTitle: string,
): Promise<ExtractedDocument> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(path));
  } catch (error) {
    if (error instanceof TypeError) {
      throw new AppError(
        'INVALID_INPUT',
        'Part of this text file is saved in another character set, so some letters cannot be read. Open it in a text editor, save it with the encoding “UTF-8”, and import it again.',
      );
    }
    throw error;
  }
  return extractText(text, { format, fallbackTitle });
}

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

export function extractText(
  raw: string,
  options: { format: 'markdown' | 'text'; fallbackTitle: string },
): ExtractedDocument {
  const text = normalizeText(raw);
  const warnings = text.trim() ? [] : ['This file contains no text.'];
  if (options.format === 'text') {
    return {
      type: 'text',
      mimeType: 'text/plain',
      title: options.fallbackTitle,
      pages: [{ number: 1, text, blocks: paragraphBlocks(text), words: [], source: 'document' }],
      warnings,
    };
  }
  const { blocks, title } = markdownBlocks(text);
  return {
    type: 'markdown',
    mimeType: 'text/markdown',
    title: title ?? options.fallbackTitle,
    pages: [{ number: 1, text, blocks, words: [], source: 'document' }],
    warnings,
  };
}

/** One line-ending convention and no byte-order mark, so offsets mean the same everywhere. */
function normalizeText(text: string): string {
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

function markdownBlocks(text: string): { blocks: PageBlock[]; title: string | null } {
  // Front matter is metadata, not content: blank it out (keeping offsets) but read its title.
  const frontMatter = FRONT_MATTER.exec(text);
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
