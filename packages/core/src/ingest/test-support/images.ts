import { readFileSync } from 'node:fs';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { drawTurned } from '../../ai/ocr/image-orientation.js';
import type { Rotation } from '../../ai/ocr/ocr-engine.js';

/** The top `share` of a page image (the fixtures' first lines of text), turned clockwise by `rotation`, as PNG. */
export async function croppedPage(path: string, share: number, rotation: Rotation = 0): Promise<Buffer> {
  const crop = await drawTurned(await loadImage(readFileSync(path)), 0, { band: { top: 0, height: share } });
  return rotation === 0 ? crop : drawTurned(await loadImage(crop), rotation);
}

/** An uncompressed 8-bit greyscale TIFF of a PNG or JPEG image: the simplest valid baseline TIFF. */
export async function greyTiff(image: Buffer): Promise<Buffer> {
  const decoded = await loadImage(image);
  const { width, height } = decoded;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.drawImage(decoded, 0, 0);
  const rgba = context.getImageData(0, 0, width, height).data;
  const pixels = Buffer.alloc(width * height);
  for (let index = 0; index < pixels.length; index++) {
    pixels[index] = Math.round((rgba[index * 4]! + rgba[index * 4 + 1]! + rgba[index * 4 + 2]!) / 3);
  }
  // Tag, type (3 SHORT, 4 LONG), value; sorted by tag as TIFF requires.
  const entries: [number, 3 | 4, number][] = [
    [256, 3, width],
    [257, 3, height],
    [258, 3, 8], // bits per sample
    [259, 3, 1], // no compression
    [262, 3, 1], // black is zero
    [273, 4, 0], // strip offset, filled in below
    [277, 3, 1], // samples per pixel
    [278, 3, height], // rows per strip
    [279, 4, pixels.length], // strip byte count
  ];
  const directorySize = 2 + entries.length * 12 + 4;
  const dataOffset = 8 + directorySize;
  const file = Buffer.alloc(dataOffset + pixels.length);
  file.write('II', 0, 'latin1');
  file.writeUInt16LE(42, 2);
  file.writeUInt32LE(8, 4);
  file.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], index) => {
    const at = 10 + index * 12;
    file.writeUInt16LE(tag, at);
    file.writeUInt16LE(type, at + 2);
    file.writeUInt32LE(1, at + 4);
    const actual = tag === 273 ? dataOffset : value;
    if (type === 3) file.writeUInt16LE(actual, at + 8);
    else file.writeUInt32LE(actual, at + 8);
  });
  pixels.copy(file, dataOffset);
  return file;
}

/** The same picture in another format the canvas can write. */
export async function reencoded(image: Buffer, mimeType: 'image/webp' | 'image/jpeg'): Promise<Buffer> {
  const decoded = await loadImage(image);
  const canvas = createCanvas(decoded.width, decoded.height);
  canvas.getContext('2d').drawImage(decoded, 0, 0);
  return mimeType === 'image/webp' ? canvas.toBuffer('image/webp', 90) : canvas.toBuffer('image/jpeg', 90);
}
