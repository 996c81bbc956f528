import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { AppError } from '../contract/index.js';
import type { ExtractedDocument } from './extracted-document.js';
import {
  childrenOf,
  coreTitle,
  openOoxml,
  tagOf,
  textValueOf,
  type OoxmlPackage,
  type XmlNode,
  WORD_LIMITS,
} from './ooxml.js';
import { PageTextBuilder } from './page-text-builder.js';
import { TEXT_PAGE_CHARS } from './text-pages.js';

/** Word's own title styles count as headings too (mammoth maps only "Heading N" by default). */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

const htmlParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  trimValues: false,
  parseTagValue: false,
  unpairedTags: ['br', 'img', 'hr'],
});

/** A Word document becomes pages of about ten printed pages: headings, paragraphs, lists and tables as blocks. */
export async function extractDocx(path: string, fallbackTitle: string): Promise<ExtractedDocument> {
  const pkg = await openOoxml(path, 'Word document', WORD_LIMITS);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: await storedZipOf(pkg) },
      {
        styleMap: STYLE_MAP,
        ignoreEmptyParagraphs: true,
        // Pictures carry no text we can use here; leave them out instead of inlining megabytes of base64.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    html = result.value;
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      'This Word document could not be read: it may be damaged. Open it in Word, save a new copy and import that.',
    );
  }
  const elements = htmlParser.parse(`<body>${html}</body>`) as XmlNode[];
  const builder = new PageTextBuilder(TEXT_PAGE_CHARS);
  let firstHeading: string | null = null;
  for (const element of elements.flatMap(childrenOf)) {
    const tag = tagOf(element) ?? '';
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      const text = inlineText(element).trim();
      builder.addBlock('heading', text, Number(heading[1]));
      if (heading[1] === '1') firstHeading ??= text || null;
    } else if (tag === 'ul' || tag === 'ol') {
      builder.addBlock('list', listLines(element, 0).join('\n'));
    } else if (tag === 'table') {
      builder.addBlock('table', tableLines(element).join('\n'));
    } else {
      builder.addBlock('paragraph', inlineText(element).trim());
    }
  }
  const pages = builder.finishPages();
  return {
    type: 'document',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    title: coreTitle(pkg) ?? firstHeading ?? fallbackTitle,
    pages: pages.map(({ text, blocks }, index) => ({
      number: index + 1,
      text,
      blocks,
      words: [],
      source: 'document',
    })),
    warnings: pages.some((page) => page.text.trim()) ? [] : ['This Word document contains no text.'],
  };
}

/**
 * mammoth opens only zips: it gets one made again of the XML parts already read within the
 * limits, stored without compression, so nothing it reads can inflate further (and the
 * pictures, which it is not asked to convert, are left out).
 */
function storedZipOf(pkg: OoxmlPackage): Promise<Buffer> {
  const zip = new JSZip();
  for (const path of pkg.paths()) zip.file(path, pkg.part(path)!);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

/** Text of an element's inline content; nested lists and tables are read by their own helpers. */
function inlineText(node: XmlNode): string {
  const value = textValueOf(node);
  if (value !== undefined) return value;
  const tag = tagOf(node);
  if (tag === 'br') return '\n';
  if (tag === 'ul' || tag === 'ol' || tag === 'table') return '';
  return childrenOf(node).map(inlineText).join('');
}

function listLines(list: XmlNode, depth: number): string[] {
  const ordered = tagOf(list) === 'ol';
  const lines: string[] = [];
  let index = 0;
  for (const item of childrenOf(list).filter((child) => tagOf(child) === 'li')) {
    index++;
    const marker = ordered ? `${index}.` : '•';
    lines.push(`${'  '.repeat(depth)}${marker} ${inlineText(item).trim()}`);
    for (const nested of childrenOf(item).filter((child) => ['ul', 'ol'].includes(tagOf(child) ?? ''))) {
      lines.push(...listLines(nested, depth + 1));
    }
  }
  return lines;
}

function tableLines(table: XmlNode): string[] {
  const rows: XmlNode[] = [];
  const collectRows = (node: XmlNode) => {
    for (const child of childrenOf(node)) {
      if (tagOf(child) === 'tr') rows.push(child);
      else if (['thead', 'tbody', 'tfoot'].includes(tagOf(child) ?? '')) collectRows(child);
    }
  };
  collectRows(table);
  return rows.map((row) =>
    childrenOf(row)
      .filter((cell) => ['td', 'th'].includes(tagOf(cell) ?? ''))
      .map((cell) => inlineText(cell).replace(/\s+/g, ' ').trim())
      .join(' | '),
  );
}
