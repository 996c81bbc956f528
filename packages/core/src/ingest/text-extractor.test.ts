import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractedPage } from './extracted-document.js';
import { TesseractOcrEngine } from '../ai/ocr/tesseract-ocr-engine.js';
import { extractDocument } from './extract-document.js';
import { extractPastedText, extractText } from './text-extractor.js';
import { TEXT_PAGE_CHARS } from './text-pages.js';

/** Every word of the pages in order: pages are cleaned (trimmed), so what is between them may not survive. */
const wordsOf = (pages: { text: string }[]) =>
  pages.flatMap((page) => page.text.split(/\s+/).filter(Boolean));

const blockTexts = (page: ExtractedPage) =>
  page.blocks.map((block) => ({
    kind: block.kind,
    ...(block.level ? { level: block.level } : {}),
    text: page.text.slice(block.start, block.end),
  }));

describe('text and Markdown extraction', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'lm-text-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps Markdown source as the text, with headings, lists, code and tables as blocks', () => {
    const source = [
      '# Cell biology',
      '',
      'Cells are the *basic* unit of life.',
      '',
      '## Organelles',
      '',
      '- Nucleus',
      '- Mitochondria',
      '',
      '```python',
      'print("ATP")',
      '```',
      '',
      '| Part | Job |',
      '|------|-----|',
      '| Ribosome | Protein |',
      '',
    ].join('\r\n');
    const document = extractText(source, { format: 'markdown', fallbackTitle: 'notes' });
    expect(document).toMatchObject({
      type: 'markdown',
      mimeType: 'text/markdown',
      title: 'Cell biology',
      warnings: [],
    });
    const [page] = document.pages;
    expect(page!.text).not.toContain('\r');
    expect(blockTexts(page!)).toEqual([
      { kind: 'heading', level: 1, text: '# Cell biology' },
      { kind: 'paragraph', text: 'Cells are the *basic* unit of life.' },
      { kind: 'heading', level: 2, text: '## Organelles' },
      { kind: 'list', text: '- Nucleus\n- Mitochondria' },
      { kind: 'code', text: '```python\nprint("ATP")\n```' },
      { kind: 'table', text: '| Part | Job |\n|------|-----|\n| Ribosome | Protein |' },
    ]);
    expect(page).toMatchObject({ number: 1, source: 'document', words: [] });
  });

  it('takes the title from front matter, which is not content', () => {
    const document = extractText('---\ntitle: "Week 4: Genetics"\ntags: [bio]\n---\n\nMendel grew peas.\n', {
      format: 'markdown',
      fallbackTitle: 'week4',
    });
    expect(document.title).toBe('Week 4: Genetics');
    expect(blockTexts(document.pages[0]!)).toEqual([{ kind: 'paragraph', text: 'Mendel grew peas.' }]);
  });

  it('splits plain text into paragraphs at blank lines', () => {
    const document = extractText('\uFEFFFirst line\nstill first.\n\n  \nSecond paragraph.\n', {
      format: 'text',
      fallbackTitle: 'notes',
    });
    expect(document).toMatchObject({ type: 'text', title: 'notes' });
    expect(blockTexts(document.pages[0]!)).toEqual([
      { kind: 'paragraph', text: 'First line\nstill first.' },
      { kind: 'paragraph', text: 'Second paragraph.' },
    ]);
  });

  it('titles pasted text by its first line, and refuses an empty paste', () => {
    const pasted = extractPastedText('## Lecture 5 recap\n\nEnzymes lower activation energy.');
    expect(pasted).toMatchObject({ type: 'markdown', title: 'Lecture 5 recap' });
    expect(extractPastedText('Plain words here.', 'My note').title).toBe('My note');
    expect(() => extractPastedText('  \n ')).toThrow('There is no text to import. Paste some text first.');
  });

  const readFile = (name: string, content: string | Buffer) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    // Text never needs OCR: an engine that is never started.
    return extractDocument(
      { path, name },
      { ocr: new TesseractOcrEngine() },
      { signal: new AbortController().signal },
    );
  };

  it('reads files, and says where a file is not valid UTF-8 instead of refusing it', async () => {
    expect((await readFile('good.md', '# Title\n\nBody\n')).title).toBe('Title');
    // Valid UTF-8 for as far as the type check looks (64 KB), then one broken character.
    const valid = 'All fine here. '.repeat(5000);
    const bad = await readFile(
      'bad.txt',
      Buffer.concat([Buffer.from(valid), Buffer.from([0xc3, 0x28]), Buffer.from(' and after')]),
    );
    expect(wordsOf(bad.pages)).toEqual(wordsOf([{ text: `${valid}\uFFFD( and after` }]));
    expect(bad.warnings).toEqual([
      'This file is not valid UTF-8 in one place: those characters could not be read and show as �. Save it as UTF-8 in a text editor and import it again to keep them.',
    ]);
  });

  it('reads UTF-16 (little- and big-endian, with a byte-order mark) and Windows-1252 text', async () => {
    const text = 'Résumé: café ☕ and “quotes”\r\nsecond line';
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = Buffer.from(utf16le);
    utf16be.swap16();
    for (const [name, bytes] of [
      ['le.txt', utf16le],
      ['be.txt', utf16be],
    ] as const) {
      const document = await readFile(name, bytes);
      expect({
        name,
        type: document.type,
        text: document.pages[0]!.text,
        warnings: document.warnings,
      }).toEqual({
        name,
        type: 'text',
        text: 'Résumé: café ☕ and “quotes”\nsecond line',
        warnings: [],
      });
    }
    // “ ” € and é as an old Windows editor saves them: not UTF-8, so read as Windows-1252.
    const windows = Buffer.from([0x93, 0x51, 0x94, 0x20, 0x80, 0x35, 0x20, 0x63, 0x61, 0x66, 0xe9]);
    expect((await readFile('old.txt', windows)).pages[0]!.text).toBe('“Q” €5 café');
  });

  it('refuses what is truly binary, even named .txt', async () => {
    await expect(
      readFile('data.txt', Buffer.from([0x41, 0x00, 0x42, 0x01, 0x02, 0x00, 0x43])),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /^This file is binary data of an unknown kind although its name ends in \.txt/,
      ),
    });
  });

  it('cuts long text into pages at paragraph breaks, each with its own blocks, losing nothing', async () => {
    const paragraph = (index: number) => `Paragraph ${index} ${'word '.repeat(200)}\n`;
    const source = Array.from({ length: 200 }, (_, index) => paragraph(index)).join('\n');
    const document = await readFile('long.txt', source);
    expect(document.pages.length).toBeGreaterThan(source.length / TEXT_PAGE_CHARS);
    expect(document.pages.map((page) => page.number)).toEqual(document.pages.map((_, index) => index + 1));
    expect(wordsOf(document.pages)).toEqual(wordsOf([{ text: source }]));
    for (const page of document.pages) {
      expect(page.text.length).toBeLessThanOrEqual(TEXT_PAGE_CHARS);
      expect(page.text).toMatch(/^Paragraph \d+ /);
      expect(blockTexts(page).every((block) => block.text.startsWith('Paragraph '))).toBe(true);
    }
  });

  it('never cuts a Markdown code block in two, and keeps the title from the first page', () => {
    const code = '```\n' + 'x = 1\n\n'.repeat(3000) + '```\n';
    const source = `# Big notes\n\n${'Intro sentence. '.repeat(1000)}\n\n${code}\nAfter the code.\n`;
    const document = extractText(source, { format: 'markdown', fallbackTitle: 'x' });
    expect(document.title).toBe('Big notes');
    const pageWithFence = document.pages.find((page) => page.text.includes('```'))!;
    expect(pageWithFence.text.match(/```/g)).toHaveLength(2);
    expect(blockTexts(pageWithFence).some((block) => block.kind === 'code')).toBe(true);
  });

  it('warns when a file has no text at all', () => {
    expect(extractText('\n\n', { format: 'text', fallbackTitle: 'blank' }).warnings).toEqual([
      'This file contains no text.',
    ]);
  });
});
