import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { fixture } from '../../ingest/test-support/fixtures.js';
import { hugeJpeg, hugePng, hugeTiff, hugeWebp } from '../../ingest/test-support/hostile-files.js';
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

  it('refuses an image whose header says it is over the pixel budget, in every format, before any decoder sees it', async () => {
    // 30000 x 30000 RGB: 3.6 GB decoded, enough to bring down the process that decodes it.
    for (const image of [
      hugePng(30_000, 30_000),
      hugeJpeg(65_000, 65_000),
      hugeWebp(16_000, 16_000),
      hugeTiff(30_000, 20_000),
    ]) {
      await expect(engine.recognize(image, { signal })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(
          /^This image is \d+ × \d+ pixels \(\d+ megapixels\): more than the 50 megapixels Little Monster reads.*Scale it down/,
        ),
      });
    }
  });

  it('scales a very wide image down in its worker thread and reports its size as given', async () => {
    const canvas = createCanvas(6400, 900);
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, 6400, 900);
    context.fillStyle = '#000';
    context.font = '220px sans-serif';
    context.fillText('Photosynthesis needs light', 200, 550);
    const page = await engine.recognize(canvas.toBuffer('image/png'), { signal });
    expect(page).toMatchObject({ width: 6400, height: 900, rotation: 0 });
    expect(flat(page.text)).toMatch(/Photosynthesis needs light/);
  });

  it('says when the bytes are not an image it can read', async () => {
    await expect(engine.recognize(Buffer.from('not an image at all'), { signal })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^This image could not be read/),
    });
  });
});
