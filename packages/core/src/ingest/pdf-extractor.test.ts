import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractOcrEngine } from '../ai/ocr/tesseract-ocr-engine.js';
import type { ExtractedDocument } from './extracted-document.js';
import { extractPdf } from './pdf-extractor.js';
import { fixture } from './test-support/fixtures.js';
import { wordAccuracy, wordRecall } from './test-support/word-accuracy.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');
const pageText = (document: ExtractedDocument, number: number) =>
  flat(document.pages.find((page) => page.number === number)?.text ?? '');

describe('extractPdf', () => {
  let ocr: TesseractOcrEngine;
  let folder: string;
  const signal = new AbortController().signal;

  beforeAll(() => {
    ocr = new TesseractOcrEngine();
    folder = mkdtempSync(join(tmpdir(), 'lm-pdf-'));
  });
  afterAll(async () => {
    await ocr.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('reads a text PDF page by page, with sentences on the pages they are printed on', async () => {
    const fractions: number[] = [];
    const document = await extractPdf(fixture('pdf/tracemonkey.pdf'), 'tracemonkey', ocr, {
      signal,
      onProgress: (fraction) => fractions.push(fraction),
    });
    expect(document).toMatchObject({
      type: 'pdf',
      mimeType: 'application/pdf',
      title: 'Trace-based Just-in-Time Type Specialization for Dynamic Languages',
      warnings: [],
    });
    expect(document.pages.map((page) => page.number)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    ]);
    const phrases: [number, string][] = [
      [1, 'We have implemented a dynamic compiler for JavaScript based on our technique'],
      [2, 'Hence, recording and compiling a trace speculates that the path and typing will be exactly'],
      [5, 'These move statements are then optimized away by the compiler using copy propagation'],
      [9, 'trace stitching has a noticeable cost'],
      [14, 'Customization: Optimizing Compiler Technology for SELF'],
    ];
    for (const [number, phrase] of phrases) {
      expect(pageText(document, number)).toContain(phrase);
      expect(pageText(document, number === 1 ? 2 : number - 1)).not.toContain(phrase);
    }
    for (const page of document.pages) {
      expect(page).toMatchObject({ source: 'text-layer', width: 612, height: 792 });
      expect(page.words.length).toBeGreaterThan(100);
      for (const word of page.words) {
        expect(page.text.slice(word.start, word.start + word.text.length)).toBe(word.text);
        const [x, y, width, height] = word.box;
        expect(Math.min(x, y, width, height)).toBeGreaterThanOrEqual(0);
        expect(Math.max(x + width, y + height)).toBeLessThanOrEqual(1.0001);
      }
    }
    // The abstract's first word sits in the left column, about a third of the way down page 1.
    const abstract = document.pages[0]!.words.find((word) => word.text === 'Dynamic' && word.box[1] > 0.3);
    expect(abstract?.box[0]).toBeLessThan(0.5);
    const title = document.pages[0]!.blocks[0]!;
    expect(title).toMatchObject({ kind: 'heading', level: 1 });
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
  });

  it('notices an unusable text layer and reads those pages by OCR', async () => {
    const messages: string[] = [];
    // Pages 1-3 only, to keep the suite fast: page 1 has a good text layer, pages 2-3 unmapped
    // glyphs. Batches of one page make page 3 take the path later pages of a long PDF take.
    const document = await extractPdf(fixture('pdf/TAMReview.pdf'), 'TAMReview', ocr, {
      signal,
      pages: [1, 2, 3],
      renderBatch: 1,
      onProgress: (_fraction, message) => messages.push(message),
    });
    expect(document.title).toBe(
      'Overview of the Technology Acceptance Model: Origins, Developments and Future Directions',
    );
    const [first, second, third] = document.pages;
    expect(first).toMatchObject({ number: 1, source: 'text-layer' });
    expect(flat(first!.text)).toContain('User acceptance of technology has been an important field of study');
    expect(second).toMatchObject({ number: 2, source: 'ocr', width: 595.22, height: 842 });
    expect(flat(second!.text)).toContain('Overview of the Technology Acceptance Model');
    expect(flat(second!.text)).toContain(
      'User acceptance of technology has been an important field of study',
    );
    expect(second!.ocrConfidence).toBeGreaterThan(80);
    expect(second!.words.every((word) => word.confidence !== undefined)).toBe(true);
    expect(third).toMatchObject({ number: 3, source: 'ocr' });
    expect(flat(third!.text)).toContain('Technology Acceptance Model');
    expect(messages).toContain('Recognizing text on page 2 of 23');
    expect(messages).toContain('Recognizing text on page 3 of 23');
    expect(document.warnings).toEqual([]);
  });

  it('reads a scanned page (an image with no text layer) by OCR', async () => {
    const document = await extractPdf(fixture('pdf/scanned-page.pdf'), 'scanned-page', ocr, { signal });
    const [page] = document.pages;
    expect(page).toMatchObject({ number: 1, source: 'ocr' });
    const reference = readFileSync(fixture('images/tracemonkey-page2.txt'), 'utf8');
    const recall = wordRecall(reference, page!.text);
    console.log(
      `OCR of scanned-page.pdf (a noisy, 3°-rotated photo in a PDF): word recall ${recall.toFixed(3)}, 1 - WER ${wordAccuracy(reference, page!.text).toFixed(3)}, mean confidence ${page!.ocrConfidence}`,
    );
    expect(recall).toBeGreaterThan(0.8);
  });

  it('imports what a damaged PDF still holds, and says what was lost', async () => {
    const repaired = await extractPdf(fixture('pdf/helloworld-bad.pdf'), 'helloworld-bad', ocr, { signal });
    expect(repaired.pages.map((page) => [page.number, page.text, page.source])).toEqual([
      [1, 'Hello, world!', 'text-layer'],
    ]);
    expect(repaired.warnings).toEqual([
      'This PDF is damaged: its table of contents was broken and had to be rebuilt, so some of its content may be missing. Compare it with the original.',
    ]);

    // Zero out 200 kB in the middle of a good PDF: page 11's content stream is hit.
    const bytes = readFileSync(fixture('pdf/tracemonkey.pdf'));
    bytes.fill(0, 300_000, 500_000);
    const holed = join(folder, 'holed.pdf');
    writeFileSync(holed, bytes);
    const partial = await extractPdf(holed, 'holed', ocr, { signal });
    expect(partial.pages).toHaveLength(14);
    expect(partial.warnings).toEqual([
      'Page 11: part of the text could not be read (the file is damaged there).',
    ]);
  });

  it('imports a PDF that has only an owner password (it opens without one)', async () => {
    const document = await extractPdf(fixture('pdf/empty_protected.pdf'), 'empty_protected', ocr, { signal });
    expect(document.pages).toHaveLength(1);
    expect(document.warnings).toEqual([
      'No text was found in this PDF, so it cannot be searched or used by the tutor.',
    ]);
  });

  it('refuses a password-protected PDF with what to do', async () => {
    expect(
      spawnSync('qpdf', ['--version']).status,
      'qpdf is not installed (scripts/install-system-deps.sh installs it): cannot make an encrypted PDF',
    ).toBe(0);
    const locked = join(folder, 'locked.pdf');
    const made = spawnSync('qpdf', [
      '--encrypt',
      'user',
      'owner',
      '256',
      '--',
      fixture('pdf/tracemonkey.pdf'),
      locked,
    ]);
    expect(made.status).toBe(0);
    await expect(extractPdf(locked, 'locked', ocr, { signal })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'This PDF is password-protected. Remove the password and import it again.',
    });
  });

  it('refuses a PDF with nothing readable in it', async () => {
    const garbage = join(folder, 'garbage.pdf');
    writeFileSync(garbage, '%PDF-1.4\nthis is not really a PDF at all\n');
    await expect(extractPdf(garbage, 'garbage', ocr, { signal })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^This PDF is damaged and could not be read\./),
    });
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const extraction = extractPdf(fixture('pdf/TAMReview.pdf'), 'TAMReview', ocr, {
      signal: controller.signal,
      pages: [2, 3, 4],
      onProgress: (_fraction, message) => {
        if (message.startsWith('Recognizing')) controller.abort();
      },
    });
    await expect(extraction).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
