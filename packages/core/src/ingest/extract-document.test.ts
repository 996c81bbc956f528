import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractOcrEngine } from '../ai/ocr/tesseract-ocr-engine.js';
import { MAX_IMPORT_BYTES } from './detect-file-type.js';
import { extractDocument } from './extract-document.js';
import { fixture } from './test-support/fixtures.js';
import { croppedPage } from './test-support/images.js';
import { makeDocx, makePptx } from './test-support/office-files.js';

describe('extractDocument', () => {
  let folder: string;
  let ocr: TesseractOcrEngine;
  const signal = new AbortController().signal;
  const write = (name: string, content: string | Buffer) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'lm-extract-'));
    ocr = new TesseractOcrEngine();
  });
  afterAll(async () => {
    await ocr.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('picks the reader by content, whatever the stored file is called', async () => {
    // Stored files are content-addressed: no extension. The student's name is passed beside.
    const cases: [string, string | Buffer, string, string][] = [
      ['Week 3 notes.md', '# Mitosis\n\nFour phases.\n', 'markdown', 'Mitosis'],
      ['reading.txt', 'Plain notes.\n', 'text', 'reading'],
      ['Essay draft.docx', await makeDocx([{ paragraph: 'Body only.' }]), 'document', 'Essay draft'],
      ['Lecture 1.pptx', await makePptx([{ title: 'Welcome', boxes: [['Syllabus']] }]), 'slides', 'Welcome'],
    ];
    for (const [index, [name, content, type, title]] of cases.entries()) {
      const path = write(`blob-${index}`, content);
      const fractions: number[] = [];
      const document = await extractDocument(
        { path, name },
        { ocr },
        {
          signal,
          onProgress: (fraction) => fractions.push(fraction),
        },
      );
      expect({ name, type: document.type, title: document.title, warnings: document.warnings }).toEqual({
        name,
        type,
        title,
        warnings: [],
      });
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
      expect(fractions.at(-1)).toBe(1);
    }
  });

  it('imports a PNG named .pdf as an image, with a warning', async () => {
    const path = write('blob-png', await croppedPage(fixture('images/tracemonkey-page2.png'), 0.12));
    const document = await extractDocument({ path, name: 'Lecture scan.pdf' }, { ocr }, { signal });
    expect(document).toMatchObject({ type: 'image', mimeType: 'image/png', title: 'Lecture scan' });
    expect(document.warnings).toEqual(['This file is a PNG image although its name ends in .pdf.']);
    expect(document.pages).toHaveLength(1);
    expect(document.pages[0]).toMatchObject({ number: 1, source: 'ocr', width: 1275 });
    expect(document.pages[0]!.text.replace(/\s+/g, ' ')).toContain('Hence, recording and compiling a trace');
  });

  it('reads a PDF', async () => {
    const document = await extractDocument(
      { path: fixture('pdf/helloworld-bad.pdf'), name: 'hello.pdf' },
      { ocr },
      { signal },
    );
    expect(document).toMatchObject({
      type: 'pdf',
      title: 'hello',
      pages: [{ number: 1, text: 'Hello, world!' }],
    });
  });

  it('refuses empty, oversized and unsupported files with a clear message', async () => {
    await expect(
      extractDocument({ path: write('empty', ''), name: 'notes.txt' }, { ocr }, { signal }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'This file is empty (0 bytes), so there is nothing to import.',
    });
    const huge = write('huge', '%PDF-1.7\n');
    truncateSync(huge, MAX_IMPORT_BYTES + 1);
    await expect(
      extractDocument({ path: huge, name: 'book.pdf' }, { ocr }, { signal }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('larger than the 200 MB Little Monster can import'),
    });
    await expect(
      extractDocument({ path: process.execPath, name: 'node' }, { ocr }, { signal }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /^This file is a program \(ELF executable\), which Little Monster cannot import/,
      ),
    });
  });

  it('does nothing once cancelled', async () => {
    const cancelled = AbortSignal.abort();
    await expect(
      extractDocument({ path: write('late', 'text'), name: 'late.txt' }, { ocr }, { signal: cancelled }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
