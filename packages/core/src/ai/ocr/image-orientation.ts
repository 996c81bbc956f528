import type * as Canvas from '@napi-rs/canvas';
import type { Image } from '@napi-rs/canvas';
import type { PageWord } from '../../contract/index.js';
import type { Rotation } from './ocr-engine.js';

type CanvasModule = typeof Canvas;
let canvasModule: Promise<CanvasModule> | null = null;
/** Loaded on first use: a native module the engine does not need until something is OCR'd. */
const loadCanvas = () => (canvasModule ??= import('@napi-rs/canvas'));

/** PNG, JPEG or WebP by their signatures: the only bytes handed to the canvas decoder. */
function isCanvasDecodable(bytes: Buffer): boolean {
  const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const webp = bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP';
  return png || jpeg || webp;
}

/**
 * Decodes PNG, JPEG or WebP; null for anything else (TIFF), which is then used as it is.
 * Other formats never reach the canvas: @napi-rs/canvas 0.1 crashes the process on TIFF data.
 */
export async function decodeImage(bytes: Buffer): Promise<Image | null> {
  if (!isCanvasDecodable(bytes)) return null;
  const { loadImage } = await loadCanvas();
  return loadImage(bytes).catch(() => null);
}

/** Rotated one way or the other, a portrait page's long side is its height. */
export function uprightSize(image: Image, rotation: Rotation): { width: number; height: number } {
  return rotation % 180 === 0
    ? { width: image.width, height: image.height }
    : { width: image.height, height: image.width };
}

/**
 * The image turned clockwise by `rotation` and scaled by `scale`, as PNG; optionally only a
 * horizontal band of it (fractions of the turned image's height), which is all a probe needs.
 */
export async function drawTurned(
  image: Image,
  rotation: Rotation,
  options: { scale?: number; band?: { top: number; height: number } } = {},
): Promise<Buffer> {
  const { createCanvas } = await loadCanvas();
  const scale = options.scale ?? 1;
  const upright = uprightSize(image, rotation);
  const width = Math.round(upright.width * scale);
  const height = Math.round(upright.height * scale);
  const bandTop = Math.round((options.band?.top ?? 0) * height);
  const bandHeight = options.band ? Math.round(options.band.height * height) : height;
  const canvas = createCanvas(width, bandHeight);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff'; // transparent PNGs would otherwise read as black
  context.fillRect(0, 0, width, bandHeight);
  context.translate(width / 2, height / 2 - bandTop);
  context.rotate((rotation * Math.PI) / 180);
  context.scale(scale, scale);
  context.drawImage(image, -image.width / 2, -image.height / 2);
  return canvas.toBuffer('image/png');
}

/** A point of the turned image (0..1) where it lies on the image as given. */
function pointOnOriginal(u: number, v: number, rotation: Rotation): [number, number] {
  switch (rotation) {
    case 90:
      return [v, 1 - u];
    case 180:
      return [1 - u, 1 - v];
    case 270:
      return [1 - v, u];
    default:
      return [u, v];
  }
}

/** A box read on the turned image, as a box on the image as given. */
export function boxOnOriginal(box: PageWord['box'], rotation: Rotation): PageWord['box'] {
  if (rotation === 0) return box;
  const [x, y, width, height] = box;
  const [ax, ay] = pointOnOriginal(x, y, rotation);
  const [bx, by] = pointOnOriginal(x + width, y + height, rotation);
  return [Math.min(ax, bx), Math.min(ay, by), Math.abs(bx - ax), Math.abs(by - ay)];
}
