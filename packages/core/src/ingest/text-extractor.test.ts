import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractedPage } from './extracted-document.js';
import { extractPastedText, extractText, extractTextFile } from './text-extractor.js';

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

  it('reads files, and explains a file that is not UTF-8 throughout', async () => {
    const good = join(folder, 'good.md');
    writeFileSync(good, '# Title\n\nBody\n');
    expect((await extractTextFile(good, 'markdown', 'good')).title).toBe('Title');
    const bad = join(folder, 'bad.txt');
    writeFileSync(bad, Buffer.concat([Buffer.from('fine so far '), Buffer.from([0xc3, 0x28])]));
    await expect(extractTextFile(bad, 'text', 'bad')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^Part of this text file is saved in another character set/),
    });
  });

  it('warns when a file has no text at all', () => {
    expect(extractText('\n\n', { format: 'text', fallbackTitle: 'blank' }).warnings).toEqual([
      'This file contains no text.',
    ]);
  });
});
