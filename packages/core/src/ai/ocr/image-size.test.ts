import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../ingest/test-support/fixtures.js';
import { hugeJpeg, hugePng, hugeTiff, hugeWebp } from '../../ingest/test-support/hostile-files.js';
import { greyTiff, reencoded } from '../../ingest/test-support/images.js';
import { exifOrientation } from './exif-orientation.js';
import { imageSize } from './image-size.js';

describe('imageSize', () => {
  it('reads the size of PNG, JPEG and WebP images from their headers, as the decoder sees it', async () => {
    const png = readFileSync(fixture('images/tracemonkey-page2.png'));
    const photo = readFileSync(fixture('images/tracemonkey-page2-photo.jpg'));
    const small = createCanvas(37, 23);
    small.getContext('2d').fillRect(0, 0, 10, 10);
    const images = [
      png,
      photo,
      await reencoded(png, 'image/jpeg'),
      await reencoded(png, 'image/webp'),
      small.toBuffer('image/webp'),
      small.toBuffer('image/png'),
    ];
    // Lossy (VP8) and lossless (VP8L) WebP as other tools write them; the canvas writes VP8X.
    if (spawnSync('ffmpeg', ['-version']).status === 0) {
      const folder = mkdtempSync(join(tmpdir(), 'lm-webp-'));
      writeFileSync(join(folder, 'in.png'), small.toBuffer('image/png'));
      for (const lossless of ['0', '1']) {
        const out = join(folder, `out${lossless}.webp`);
        const args = ['-loglevel', 'error', '-y', '-i', join(folder, 'in.png'), '-c:v', 'libwebp'];
        spawnSync('ffmpeg', [...args, '-lossless', lossless, out]);
        images.push(readFileSync(out));
      }
      rmSync(folder, { recursive: true, force: true });
    }
    for (const image of images) {
      const decoded = await loadImage(image);
      expect(imageSize(image)).toEqual({ width: decoded.width, height: decoded.height });
    }
  });

  it('reads the size of a TIFF from its first directory', async () => {
    const png = readFileSync(fixture('images/tracemonkey-page2.png'));
    const decoded = await loadImage(png);
    expect(imageSize(await greyTiff(png))).toEqual({ width: decoded.width, height: decoded.height });
    expect(imageSize(hugeTiff(30_000, 20_000))).toEqual({ width: 30_000, height: 20_000 });
  });

  it('reads the size a header claims without trusting the rest of the file', () => {
    expect(imageSize(hugePng(30_000, 30_000))).toEqual({ width: 30_000, height: 30_000 });
    expect(imageSize(hugeJpeg(65_000, 65_000))).toEqual({ width: 65_000, height: 65_000 });
    expect(imageSize(hugeWebp(16_000, 16_000))).toEqual({ width: 16_000, height: 16_000 });
  });

  it('says nothing of formats it does not read, or of bytes that are no image', async () => {
    const png = readFileSync(fixture('images/tracemonkey-page2.png'));
    expect(imageSize(Buffer.from('not an image at all, just some text'))).toBeNull();
    expect(imageSize(png.subarray(0, 10))).toBeNull();
  });
});

describe('exifOrientation', () => {
  /** A JPEG start with an APP1 EXIF segment holding only the orientation tag. */
  function jpegWithOrientation(orientation: number, littleEndian: boolean): Buffer {
    const tiff = Buffer.alloc(8 + 2 + 12 + 4);
    tiff.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
    const u16 = (value: number, at: number) =>
      littleEndian ? tiff.writeUInt16LE(value, at) : tiff.writeUInt16BE(value, at);
    const u32 = (value: number, at: number) =>
      littleEndian ? tiff.writeUInt32LE(value, at) : tiff.writeUInt32BE(value, at);
    u16(42, 2);
    u32(8, 4);
    u16(1, 8); // one entry
    u16(0x0112, 10);
    u16(3, 12); // SHORT
    u32(1, 14);
    u16(orientation, 18);
    const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
    const app1 = Buffer.alloc(4);
    app1.writeUInt16BE(0xffe1, 0);
    app1.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, body, Buffer.from([0xff, 0xda, 0, 2])]);
  }

  it('reads the turn a phone recorded, in either byte order', () => {
    expect(exifOrientation(jpegWithOrientation(6, true))).toBe(6);
    expect(exifOrientation(jpegWithOrientation(8, false))).toBe(8);
  });

  it('is 1 (as stored) without EXIF data, or for other formats', () => {
    expect(exifOrientation(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBe(1);
    expect(exifOrientation(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))).toBe(1);
  });
});
