import { readFileSync } from 'node:fs';
import { cleanDocument } from '../../ingest/clean-pages.js';
import type { ExtractedPage, PageBlock } from '../../ingest/extracted-document.js';
import { fixture } from '../../ingest/test-support/fixtures.js';

export const TRACEMONKEY_PDF = fixture('pdf/tracemonkey.pdf');

let cached: Promise<ExtractedPage[]> | undefined;

/**
 * tracemonkey.pdf's 14 pages as an importer would hand them over: the text layer (pdf.js),
 * lines joined by newlines, cleaned (clean-text.ts), and numbered section titles ("3.3 Blacklisting") marked as
 * heading blocks with the rest of the text as paragraphs between them.
 */
export function tracemonkeyPages(): Promise<ExtractedPage[]> {
  cached ??= readPages();
  return cached;
}

async function readPages(): Promise<ExtractedPage[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const data = new Uint8Array(readFileSync(TRACEMONKEY_PDF));
  const pdf = await getDocument({ data, isEvalSupported: false, useSystemFonts: false }).promise;
  const pages: ExtractedPage[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    let text = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      text += item.str;
      if (item.hasEOL) text += '\n';
    }
    pages.push({ number, text, blocks: headingBlocks(text), words: [], source: 'text-layer' });
  }
  await pdf.destroy();
  return cleanDocument({
    type: 'pdf',
    mimeType: 'application/pdf',
    title: 'tracemonkey',
    pages,
    warnings: [],
  }).pages;
}

const SECTION_TITLE = /^(\d+(?:\.\d+)*)\.?\s+[A-Z][^\n.]{2,60}$/gm;

function headingBlocks(text: string): PageBlock[] {
  const blocks: PageBlock[] = [];
  let covered = 0;
  for (const match of text.matchAll(SECTION_TITLE)) {
    const start = match.index;
    if (start > covered) blocks.push({ kind: 'paragraph', start: covered, end: start });
    const level = match[1]!.split('.').length;
    blocks.push({ kind: 'heading', level, start, end: start + match[0].length });
    covered = start + match[0].length;
  }
  if (covered < text.length) blocks.push({ kind: 'paragraph', start: covered, end: text.length });
  return blocks;
}
