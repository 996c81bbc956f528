import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../ingest/test-support/fixtures.js';
import { croppedPage, greyTiff, reencoded } from '../../ingest/test-support/images.js';
import { wordAccuracy, wordRecall } from '../../ingest/test-support/word-accuracy.js';
import type { OcrPage } from './ocr-engine.js';
import { TesseractOcrEngine } from './tesseract-ocr-engine.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');
const FIRST_LINES =
  'Hence, recording and compiling a trace speculates that the path and typing will be exactly';

function expectBoxesOnTheImage(page: OcrPage) {
  for (const word of page.words) {
    expect(page.text.slice(word.start, word.start + word.text.length)).toBe(word.text);
    const [x, y, width, height] = word.box;
    expect(Math.min(x, y, width, height)).toBeGreaterThanOrEqual(0);
    expect(Math.max(x + width, y + height)).toBeLessThanOrEqual(1);
  }
}

describe('TesseractOcrEngine', () => {
  let engine: TesseractOcrEngine;
  let reference: string;
  const signal = new AbortController().signal;

  beforeAll(() => {
    engine = new TesseractOcrEngine();
    reference = readFileSync(fixture('images/tracemonkey-page2.txt'), 'utf8');
  });
  afterAll(() => engine.close());

  it('reads a clean page image with at least 90% of its words right', async () => {
    const page = await engine.recognize(readFileSync(fixture('images/tracemonkey-page2.png')), { signal });
    const recall = wordRecall(reference, page.text);
    console.log(
      `OCR of tracemonkey-page2.png (clean, 150 dpi): word recall ${recall.toFixed(3)}, 1 - WER ${wordAccuracy(reference, page.text).toFixed(3)}, mean confidence ${page.confidence}`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(page).toMatchObject({ width: 1275, height: 1650, rotation: 0 });
    expect(page.confidence).toBeGreaterThan(80);
    expect(flat(page.text)).toContain(FIRST_LINES);
    expectBoxesOnTheImage(page);
    // The page's first word is printed at the top left.
    const first = page.words[0]!;
    expect(first.text).toBe('Hence,');
    expect(first.box[0]).toBeLessThan(0.15);
    expect(first.box[1]).toBeLessThan(0.15);
    expect(page.blocks.length).toBeGreaterThan(5);
  });

  it('reads a noisy, slightly rotated phone photo of the page', async () => {
    const page = await engine.recognize(readFileSync(fixture('images/tracemonkey-page2-photo.jpg')), {
      signal,
    });
    const recall = wordRecall(reference, page.text);
    console.log(
      `OCR of tracemonkey-page2-photo.jpg (3° rotation, noise, blur): word recall ${recall.toFixed(3)}, 1 - WER ${wordAccuracy(reference, page.text).toFixed(3)}, mean confidence ${page.confidence}`,
    );
    expect(recall).toBeGreaterThan(0.8);
    expect(page.rotation).toBe(0);
  });

  it('reads a page scanned sideways or upside down', async () => {
    const sideways = await engine.recognize(
      await croppedPage(fixture('images/tracemonkey-page2.png'), 0.3, 90),
      {
        signal,
      },
    );
    expect(flat(sideways.text)).toContain(FIRST_LINES);

    const upsideDown = await engine.recognize(
      await croppedPage(fixture('images/tracemonkey-page2.png'), 0.3, 180),
      {
        signal,
      },
    );
    expect(flat(upsideDown.text)).toContain(FIRST_LINES);
    expect(upsideDown.rotation).toBe(180);
    expectBoxesOnTheImage(upsideDown);
    // Boxes stay on the picture as the student sees it: upside down, the first word is bottom right.
    const first = upsideDown.words[0]!;
    expect(first.text).toBe('Hence,');
    expect(first.box[0]).toBeGreaterThan(0.8);
    expect(first.box[1]).toBeGreaterThan(0.5);
  });

  it('reads TIFF and WebP images', async () => {
    const crop = await croppedPage(fixture('images/tracemonkey-page2.png'), 0.12);
    const tiff = await engine.recognize(await greyTiff(crop), { signal });
    expect(flat(tiff.text)).toContain('Hence, recording and compiling a trace');
    const fromWebp = await engine.recognize(await reencoded(crop, 'image/webp'), { signal });
    expect(flat(fromWebp.text)).toContain('Hence, recording and compiling a trace');
    // The canvas cannot decode TIFF: turning one over relies on tesseract's own decoding of it.
    const upsideDown = await croppedPage(fixture('images/tracemonkey-page2.png'), 0.3, 180);
    const turnedTiff = await engine.recognize(await greyTiff(upsideDown), { signal });
    expect(turnedTiff.rotation).toBe(180);
    expect(flat(turnedTiff.text)).toContain('Hence, recording and compiling a trace');
  });

  it('stops a recognition when cancelled, and works again afterwards', async () => {
    const controller = new AbortController();
    const recognition = engine.recognize(readFileSync(fixture('images/tracemonkey-page2.png')), {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    await expect(recognition).rejects.toMatchObject({ code: 'CANCELLED' });
    const again = await engine.recognize(await croppedPage(fixture('images/tracemonkey-page2.png'), 0.12), {
      signal,
    });
    expect(flat(again.text)).toContain('Hence, recording');
  });

  it('says when the bytes are not an image it can read', async () => {
    await expect(engine.recognize(Buffer.from('not an image at all'), { signal })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^This image could not be read/),
    });
  });
});
