import { describe, expect, it } from 'vitest';
import { layoutTextLayer, type PdfPageGeometry, type PdfTextRun } from './pdf-text-layout.js';
import { assessTextLayer } from './text-layer-quality.js';

/** A US-letter page in PDF user space (origin bottom-left), as pdf.js's scale-1 viewport maps it. */
const letter: PdfPageGeometry = { width: 612, height: 792, toViewport: (x, y) => [x, 792 - y] };

/** A run of `str` at (x, y) in a `size`-point font, 0.5 em per character. */
const run = (str: string, x: number, y: number, size = 10, hasEOL = false): PdfTextRun => ({
  str,
  transform: [size, 0, 0, size, x, y],
  width: str.length * size * 0.5,
  hasEOL,
  fontName: 'f1',
});

describe('layoutTextLayer', () => {
  it('builds lines, paragraphs and a heading from positioned runs', () => {
    const layout = layoutTextLayer(
      [
        run('Chapter 1', 72, 700, 20, true),
        run('Cells are', 72, 660),
        run('small.', 122, 660, 10, true), // a gap between runs becomes a space
        run('They divide.', 72, 648, 10, true),
        run('Indented start of', 92, 636, 10, true),
        run('a new paragraph.', 72, 624),
      ],
      { f1: { ascent: 0.8, descent: -0.2 } },
      letter,
    );
    expect(layout.text).toBe(
      'Chapter 1\n\nCells are small.\nThey divide.\n\nIndented start of\na new paragraph.',
    );
    expect(
      layout.blocks.map((block) => [block.kind, block.level, layout.text.slice(block.start, block.end)]),
    ).toEqual([
      ['heading', 1, 'Chapter 1'],
      ['paragraph', undefined, 'Cells are small.\nThey divide.'],
      ['paragraph', undefined, 'Indented start of\na new paragraph.'],
    ]);
  });

  it('places every word where it is printed, as fractions of the page', () => {
    const layout = layoutTextLayer([run('Hello world', 100, 700)], {}, letter);
    expect(layout.words.map((word) => word.text)).toEqual(['Hello', 'world']);
    const [hello, world] = layout.words;
    expect(layout.text.slice(world!.start, world!.start + 5)).toBe('world');
    expect(hello!.box[0]).toBeCloseTo(100 / 612, 4); // left edge at x = 100
    expect(hello!.box[1]).toBeCloseTo((792 - 708) / 792, 4); // top at the ascent, 8 pt above the baseline
    expect(hello!.box[3]).toBeCloseTo(10 / 792, 4); // one em tall
    expect(world!.box[0]).toBeCloseTo((100 + 6 * 5) / 612, 4); // after "Hello " at 5 pt a character
  });

  it('keeps a word whole when a font change splits it over two runs', () => {
    const layout = layoutTextLayer([run('Photo', 72, 700), run('synthesis', 97, 700)], {}, letter);
    expect(layout.text).toBe('Photosynthesis');
    expect(layout.words).toHaveLength(1);
    expect(layout.words[0]).toMatchObject({ text: 'Photosynthesis', start: 0 });
    expect(layout.words[0]!.box[2]).toBeCloseTo((14 * 5) / 612, 4);
  });

  it('follows the viewport of a rotated page', () => {
    // /Rotate 90: user (x, y) lands at (y, x) on a landscape viewport.
    const rotated: PdfPageGeometry = { width: 792, height: 612, toViewport: (x, y) => [y, x] };
    const layout = layoutTextLayer([run('Sideways', 100, 300)], {}, rotated);
    const [x, y] = layout.words[0]!.box;
    expect(x).toBeCloseTo(298 / 792, 2);
    expect(y).toBeCloseTo(100 / 612, 2);
  });
});

describe('assessTextLayer', () => {
  const prose =
    'Dynamic languages such as JavaScript are more difficult to compile than statically typed ones. Since no concrete type information is available, traditional compilers need to emit generic code.';

  it('accepts ordinary prose, including other scripts', () => {
    expect(assessTextLayer(prose)).toEqual({ usable: true });
    expect(
      assessTextLayer(
        '細胞は生命の基本単位である。細胞膜は内と外を分ける。ミトコンドリアはエネルギーを作る。',
      ),
    ).toEqual({
      usable: true,
    });
  });

  it('rejects pages without text, with unmapped glyphs, or with letters that are not words', () => {
    expect(assessTextLayer('  12 \n')).toEqual({ usable: false, reason: 'no-text' });
    expect(
      assessTextLayer(
        '\u0002\u0003\u0004\u0005 \u0003\u0006\u0004\u0007\b OverviewoftheModel \u0016\b\u001f\u0015\u0019\u0019',
      ),
    ).toEqual({
      usable: false,
      reason: 'unmapped-glyphs',
    });
    expect(assessTextLayer('\uE000\uE001\uE002 \uE003\uE004 \uFFFD\uFFFD text text text text')).toMatchObject(
      {
        usable: false,
        reason: 'unmapped-glyphs',
      },
    );
    expect(assessTextLayer('xqzt bcdfg hjkl mnpqr stvwx zzkt qrst bcd fgh jklm npq rst')).toEqual({
      usable: false,
      reason: 'not-words',
    });
  });
});
