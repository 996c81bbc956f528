import iconv from 'iconv-lite';

/** The encodings plain text is read in: what the byte-order mark says, else UTF-8, else Windows-1252. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const BYTE_ORDER_MARKS: [TextEncoding, number[]][] = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/** The encoding a byte-order mark at the start declares, if any (checked before anything else sniffs the bytes). */
export function byteOrderMark(sample: Uint8Array): TextEncoding | null {
  // FF FE 00 00 is UTF-32's mark: no reader here decodes it, so it is not taken for UTF-16.
  if (sample[0] === 0xff && sample[1] === 0xfe && sample[2] === 0 && sample[3] === 0) return null;
  const found = BYTE_ORDER_MARKS.find(([, mark]) => mark.every((byte, index) => sample[index] === byte));
  return found ? found[0] : null;
}

/**
 * What a sample of a file without a byte-order mark is as text: UTF-8 when it decodes as UTF-8,
 * else Windows-1252 (a superset of Latin-1: older Windows and Mac editors save in it); null when
 * it is not text at all (NUL bytes, or control characters text never has).
 */
export function sniffTextEncoding(sample: Uint8Array): TextEncoding | null {
  if (sample.includes(0)) return null;
  let text: string;
  let encoding: TextEncoding = 'utf-8';
  try {
    // `stream: true` lets the sample end inside a multi-byte character.
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    encoding = 'windows-1252';
    text = iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), encoding);
  }
  return countBinaryControls(text) > text.length / 100 ? null : encoding;
}

/** Control characters text never has (tab, line breaks and form feed are fine). */
function countBinaryControls(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x7f || (code < 0x20 && (code < 0x09 || code > 0x0d))) count++;
  }
  return count;
}

/** A streaming decoder for `encoding` that drops a byte-order mark and never throws. */
export function textDecoder(encoding: TextEncoding): { write(bytes: Buffer): string; end(): string } {
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  return { write: (bytes) => decoder.write(bytes), end: () => decoder.end() ?? '' };
}
