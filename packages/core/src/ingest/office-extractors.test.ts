import { describe, expect, it } from 'vitest';
import { extractDocx } from './docx-extractor.js';
import type { ExtractedPage } from './extracted-document.js';
import { extractSlides } from './slides-extractor.js';
import { makeDocx, makePptx } from './test-support/office-files.js';
import { scratchFolder } from './test-support/scratch-folder.js';

const blockTexts = (page: ExtractedPage) =>
  page.blocks.map((block) => ({
    kind: block.kind,
    ...(block.level ? { level: block.level } : {}),
    text: page.text.slice(block.start, block.end),
  }));

describe('Office documents', () => {
  const { write } = scratchFolder('lm-office-');

  it('reads a presentation slide by slide in show order, with titles, text boxes, tables and notes', async () => {
    const path = write(
      'biology.pptx',
      await makePptx(
        [
          {
            title: 'Cell biology',
            boxes: [
              ['Cells are the unit of life', 'Membranes separate inside from outside'],
              ['Grouped caption'],
            ],
            notes: 'Remind them about Friday’s quiz.\nBring the microscope.',
            table: [
              ['Organelle', 'Job'],
              ['Mitochondria', 'Energy'],
            ],
          },
          { title: 'Photosynthesis', boxes: [['Light reactions happen in the thylakoid']] },
        ],
        { title: 'Biology 101' },
      ),
    );
    const document = await extractSlides(path, 'biology');
    expect(document).toMatchObject({ type: 'slides', title: 'Biology 101', warnings: [] });
    expect(document.pages.map((page) => page.number)).toEqual([1, 2]);
    const [first, second] = document.pages;
    expect(blockTexts(first!)).toEqual([
      { kind: 'heading', level: 1, text: 'Cell biology' },
      { kind: 'paragraph', text: 'Cells are the unit of life\nMembranes separate inside from outside' },
      { kind: 'paragraph', text: 'Grouped caption' },
      { kind: 'table', text: 'Organelle | Job\nMitochondria | Energy' },
    ]);
    // The slide number placeholder is not content.
    expect(first!.text).not.toMatch(/^1$/m);
    expect(first).toMatchObject({
      notes: 'Remind them about Friday’s quiz.\nBring the microscope.',
      source: 'document',
      width: 960,
      height: 540,
    });
    expect(second!.text).toBe('Photosynthesis\n\nLight reactions happen in the thylakoid');
    expect(second!.notes).toBeUndefined();
  });

  it('titles a presentation by its first slide when it has no document title', async () => {
    const path = write('untitled.pptx', await makePptx([{ title: 'Genetics: Mendel', boxes: [] }]));
    expect((await extractSlides(path, 'untitled')).title).toBe('Genetics: Mendel');
  });

  it('reads a Word document into headings, paragraphs, lists and tables', async () => {
    const path = write(
      'guide.docx',
      await makeDocx([
        { title: 'Study guide' },
        { heading: 1, text: 'Cells' },
        { paragraph: 'Cells & tissues <are> "fun".' },
        { bullets: ['Nucleus', 'Ribosome'] },
        { heading: 2, text: 'Summary table' },
        {
          table: [
            ['Part', 'Job'],
            ['Ribosome', 'Protein'],
          ],
        },
      ]),
    );
    const document = await extractDocx(path, 'guide');
    expect(document).toMatchObject({ type: 'document', title: 'Study guide', warnings: [] });
    expect(blockTexts(document.pages[0]!)).toEqual([
      { kind: 'heading', level: 1, text: 'Study guide' },
      { kind: 'heading', level: 1, text: 'Cells' },
      { kind: 'paragraph', text: 'Cells & tissues <are> "fun".' },
      { kind: 'list', text: '• Nucleus\n• Ribosome' },
      { kind: 'heading', level: 2, text: 'Summary table' },
      { kind: 'table', text: 'Part | Job\nRibosome | Protein' },
    ]);
  });

  it('says a damaged Office file cannot be opened', async () => {
    const path = write('broken.docx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 7)]));
    await expect(extractDocx(path, 'broken')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^This Word document is damaged and could not be opened/),
    });
    await expect(extractSlides(path, 'broken')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^This presentation is damaged and could not be opened/),
    });
  });
});
