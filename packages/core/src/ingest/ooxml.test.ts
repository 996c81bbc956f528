import { describe, expect, it } from 'vitest';
import { extractDocx } from './docx-extractor.js';
import { OOXML_LIMITS, openOoxml } from './ooxml.js';
import { extractSlides } from './slides-extractor.js';
import {
  entityBombDocx,
  externalEntityDocx,
  manyPartsDocx,
  zipBombDocx,
} from './test-support/hostile-files.js';
import { makeDocx, makePptx } from './test-support/office-files.js';
import { TEXT_PAGE_CHARS } from './text-pages.js';
import { scratchFolder } from './test-support/scratch-folder.js';

describe('Office files are unpacked within limits', () => {
  const { write } = scratchFolder('lm-ooxml-');

  it('refuses a zip bomb from its directory, before inflating anything', async () => {
    // 100 MB of text in a file of about 100 KB: the part's declared size is over the limit.
    const bomb = write('bomb.docx', zipBombDocx(100_000_000));
    await expect(extractDocx(bomb, 'bomb')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /^This Word document unpacks to far more than it holds on disk \(one part is 96 MB\).*save it again in Office/,
      ),
    });
  });

  it('refuses a part that packs far better than any real document', async () => {
    // 10 MB fits the size limit, but packs about 1000 to 1.
    const dense = write('dense.docx', zipBombDocx(10_000_000));
    await expect(extractDocx(dense, 'dense')).rejects.toMatchObject({
      message: expect.stringMatching(
        /unpacks to far more than it holds on disk \(one part is \d+ times its packed size\)/,
      ),
    });
  });

  it('stops a part that inflates past the size its zip declares', async () => {
    const liar = write('liar.docx', zipBombDocx(100_000_000, { lie: true }));
    await expect(extractDocx(liar, 'liar')).rejects.toMatchObject({
      message: expect.stringMatching(
        /unpacks to far more than it holds on disk \(a part is larger than its zip says\)/,
      ),
    });
  });

  it('caps the total of many parts that are each small', async () => {
    const many = write('many.docx', manyPartsDocx(40, 100_000));
    await expect(
      openOoxml(many, 'Word document', { ...OOXML_LIMITS, maxTotalBytes: 2_000_000 }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/unpacks to far more than it holds on disk \(3\.9 MB of text\)/),
    });
  });

  it('refuses a Word document of thousands of parts, each small, before inflating any', async () => {
    // 2,000 parts of 100 KB: each far under the part limit, together under the text limit.
    const parts = write('parts.docx', manyPartsDocx(2_000, 100_000));
    await expect(extractDocx(parts, 'parts')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /^This Word document is made of 2,003 parts, far more than a real Word document has \(Little Monster reads up to 1,000\).*save it again in Office/,
      ),
    });
  });

  it('refuses a file whose parts, pictures included, unpack to more than any real one', async () => {
    const parts = write('media.docx', manyPartsDocx(40, 100_000));
    await expect(
      openOoxml(parts, 'Word document', { ...OOXML_LIMITS, maxUnpackedBytes: 2_000_000 }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/unpacks to far more than it holds on disk \(3\.9 MB in all\)/),
    });
  });

  it('refuses XML with a document type declaration: entity bombs and external entities', async () => {
    const laughs = write('laughs.docx', entityBombDocx());
    await expect(extractDocx(laughs, 'laughs')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /^This Word document contains a document type declaration, which Office never writes/,
      ),
    });
    const secret = write('secret.txt', 'the contents of a private file');
    const external = write('external.docx', externalEntityDocx(secret));
    const refusal = await extractDocx(external, 'external').catch((error: Error) => error);
    expect(refusal).toMatchObject({ message: expect.stringMatching(/document type declaration/) });
    expect(JSON.stringify(refusal)).not.toContain('private file');
  });

  it('still reads real documents and presentations, a long document as several pages', async () => {
    const paragraphs = Array.from({ length: 120 }, (_, index) => ({
      paragraph: `Paragraph ${index}: ${'the cell cycle has four phases, '.repeat(20)}`,
    }));
    const document = await extractDocx(
      write('long.docx', await makeDocx([{ title: 'Biology' }, ...paragraphs])),
      'long',
    );
    expect(document.title).toBe('Biology');
    expect(document.pages.length).toBeGreaterThan(1);
    for (const page of document.pages) expect(page.text.length).toBeLessThanOrEqual(TEXT_PAGE_CHARS);
    expect(document.pages.map((page) => page.text).join('\n\n')).toContain('Paragraph 119: the cell cycle');
    const slides = await extractSlides(
      write('deck.pptx', await makePptx([{ title: 'Welcome', boxes: [['Hi']] }])),
      'deck',
    );
    expect(slides.pages[0]!.text).toBe('Welcome\n\nHi');
  });
});
