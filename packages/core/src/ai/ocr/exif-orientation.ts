/**
 * The EXIF orientation (1-8) of a JPEG, 1 when it has none: phones store photos as the sensor saw
 * them and record the turn here, and tesseract must be told, as viewers are.
 */
export function exifOrientation(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint16(0) !== 0xffd8) return 1;
  // Segments follow the start-of-image marker; EXIF is an APP1 segment before the image data.
  let offset = 2;
  while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1]!;
    const length = view.getUint16(offset + 2);
    if (marker === 0xda || length < 2) break; // start of scan: no more metadata
    const body = offset + 4;
    if (marker === 0xe1 && body + 6 <= bytes.length && readAscii(bytes, body, 6) === 'Exif\0\0') {
      return orientationInTiff(view, body + 6, Math.min(bytes.length, offset + 2 + length));
    }
    offset += 2 + length;
  }
  return 1;
}

/** Tag 0x0112 of the first image directory of the TIFF structure EXIF data is kept in. */
function orientationInTiff(view: DataView, start: number, end: number): number {
  if (start + 8 > end) return 1;
  const order = view.getUint16(start);
  if (order !== 0x4949 && order !== 0x4d4d) return 1;
  const little = order === 0x4949;
  const directory = start + view.getUint32(start + 4, little);
  if (directory + 2 > end) return 1;
  const entries = view.getUint16(directory, little);
  for (let index = 0; index < entries; index++) {
    const entry = directory + 2 + index * 12;
    if (entry + 12 > end) break;
    if (view.getUint16(entry, little) === 0x0112) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

function readAscii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}
