/**
 * Images that would decode to more pixels than this are refused from their header, before any
 * decoder allocates them: 30000 x 30000 pixels is a 2.7 MB PNG and 3.6 GB decoded, which brings
 * down whatever process decodes it. A 48-megapixel phone photo fits.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/**
 * Width and height of a PNG, JPEG, WebP or TIFF (its first image) from its header, without
 * decoding it; null for other formats or a header this does not understand. Decoders allocate
 * the whole bitmap from these numbers, so they are checked before any decoder sees the image.
 */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 30) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (start: number, length: number) =>
    String.fromCharCode(...bytes.subarray(start, start + length));
  const found = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : null);

  if (view.getUint32(0) === 0x89504e47 && ascii(12, 4) === 'IHDR') {
    return found(view.getUint32(16), view.getUint32(20));
  }
  if (view.getUint16(0) === 0xffd8) return jpegSize(bytes, view);
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    const chunk = ascii(12, 4);
    if (chunk === 'VP8 ') return found(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
    if (chunk === 'VP8L') {
      const bits = view.getUint32(21, true);
      return found((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    if (chunk === 'VP8X') {
      const width = (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16)) + 1;
      return found(width, (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16)) + 1);
    }
  }
  const tiffOrder = ascii(0, 2);
  if ((tiffOrder === 'II' || tiffOrder === 'MM') && view.getUint16(2, tiffOrder === 'II') === 42) {
    return tiffSize(view, tiffOrder === 'II');
  }
  return null;
}

const TIFF_WIDTH = 256;
const TIFF_HEIGHT = 257;
const TIFF_SHORT = 3;
const TIFF_LONG = 4;

/** ImageWidth and ImageLength from the first image file directory. */
function tiffSize(view: DataView, littleEndian: boolean): { width: number; height: number } | null {
  const directory = view.getUint32(4, littleEndian);
  if (directory + 2 > view.byteLength) return null;
  const count = view.getUint16(directory, littleEndian);
  let width = 0;
  let height = 0;
  for (let index = 0; index < count; index++) {
    const at = directory + 2 + index * 12;
    if (at + 12 > view.byteLength) return null;
    const tag = view.getUint16(at, littleEndian);
    const type = view.getUint16(at + 2, littleEndian);
    if (tag !== TIFF_WIDTH && tag !== TIFF_HEIGHT) continue;
    const value =
      type === TIFF_SHORT
        ? view.getUint16(at + 8, littleEndian)
        : type === TIFF_LONG
          ? view.getUint32(at + 8, littleEndian)
          : 0;
    if (tag === TIFF_WIDTH) width = value;
    else height = value;
  }
  return width > 0 && height > 0 ? { width, height } : null;
}

/** The first start-of-frame segment (any of the SOF markers) holds the height, then the width. */
function jpegSize(bytes: Uint8Array, view: DataView): { width: number; height: number } | null {
  let offset = 2;
  while (offset + 9 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) {
      const height = view.getUint16(offset + 5);
      const width = view.getUint16(offset + 7);
      return width > 0 && height > 0 ? { width, height } : null;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    offset += 2 + view.getUint16(offset + 2);
  }
  return null;
}
