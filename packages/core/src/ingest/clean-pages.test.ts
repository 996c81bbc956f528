import { afterAll, describe, expect, it } from 'vitest';
import { TesseractOcrEngine } from '../ai/ocr/tesseract-ocr-engine.js';
import { cleanDocument, cleanPage, documentVocabulary } from './clean-pages.js';
import { extractDocument } from './extract-document.js';
import type { ExtractedPage } from './extracted-document.js';
import { fixture } from './test-support/fixtures.js';
import { releasePdfWorkers } from './warm-pdf-workers.js';

const ocr = new TesseractOcrEngine();
afterAll(async () => {
  await ocr.close();
  await releasePdfWorkers();
});

/** The words a highlight of [start, end) covers, as the viewer picks them (by their first character). */
const wordsIn = (page: ExtractedPage, start: number, end: number) =>
  page.words.filter((word) => word.start >= start && word.start < end).map((word) => word.text);

describe('cleanPage', () => {
  const text = 'Results\n\nA  na¨ıve trace dupli-\ncation ﬁx';
  const word = (what: string, box: number) => ({
    text: what,
    start: text.indexOf(what),
    box: [box, 0, 0.1, 0.02] as [number, number, number, number],
  });
  const page: ExtractedPage = {
    number: 3,
    text,
    blocks: [
      { kind: 'heading', level: 1, start: 0, end: 7 },
      { kind: 'paragraph', start: 9, end: text.length },
    ],
    words: [word('na¨ıve', 0.1), word('dupli-', 0.3), word('cation', 0.1), word('ﬁx', 0.2)],
    source: 'text-layer',
  };
  const cleaned = cleanPage(page, documentVocabulary([page])).page;

  it('cleans the text and keeps its structure on the cleaned text', () => {
    expect(cleaned.text).toBe('Results\n\nA naïve trace duplication fix');
    expect(cleaned.blocks.map((block) => cleaned.text.slice(block.start, block.end))).toEqual([
      'Results',
      'A naïve trace duplication fix',
    ]);
  });

  it('moves the words onto the cleaned text, so a highlight of a joined word covers both halves', () => {
    const start = cleaned.text.indexOf('duplication');
    expect(wordsIn(cleaned, start, start + 'duplication'.length)).toEqual(['dupli', 'cation']);
    expect(cleaned.words.map((w) => w.box[0])).toEqual([0.1, 0.3, 0.1, 0.2]);
    const fix = cleaned.words.at(-1)!;
    expect(fix.text).toBe('fix');
    expect(cleaned.text.slice(fix.start, fix.start + 3)).toBe('fix');
  });

  it('cleans speaker notes too, and leaves typed accents of documents alone', () => {
    const slide: ExtractedPage = {
      number: 1,
      text: 'Caf´e  menu',
      notes: 'Say the word exam-\nple aloud',
      blocks: [],
      words: [],
      source: 'document',
    };
    const result = cleanPage(slide, documentVocabulary([slide])).page;
    expect(result.text).toBe('Caf´e menu');
    expect(result.notes).toBe('Say the word example aloud');
  });
});

describe('cleanDocument on a real PDF', () => {
  it('reads tracemonkey.pdf with its accents repaired and every word still on its text', async () => {
    const document = await extractDocument(
      { path: fixture('pdf/tracemonkey.pdf'), name: 'tracemonkey.pdf' },
      { ocr },
      { signal: new AbortController().signal, pages: [2, 13] },
    );
    const [page2, page13] = document.pages;
    expect(page2!.text).toContain('a naïve implementation');
    expect(page2!.text).not.toMatch(/¨|\u0131/);
    expect(page13!.text).toContain('much greater tail duplication');
    for (const page of document.pages) {
      for (const word of page.words) {
        // Each word box still sits at its word: the cleaned text there starts with the word.
        expect(page.text.slice(word.start, word.start + word.text.length)).toBe(word.text);
      }
    }
    expect(cleanDocument(document)).toEqual(document); // cleaning again changes nothing
  });
});
