/**
 * Zstandard decoding for Anki's current package format (fzstd: pure JS, since Node 20's zlib has
 * no zstd), streamed so the output can be capped while it grows: a small compressed stream can
 * claim gigabytes.
 */
import { Decompress } from 'fzstd';
import { formatBytes, invalidPackage } from './package-archive.js';

export async function* zstdDecompress(
  compressed: AsyncIterable<Uint8Array>,
  maxBytes: number,
  what: string,
): AsyncIterable<Uint8Array> {
  let total = 0;
  let pending: Uint8Array[] = [];
  const decoder = new Decompress((chunk) => {
    total += chunk.length;
    if (total > maxBytes) {
      throw invalidPackage(
        `${what} in this package decompresses to more than ${formatBytes(maxBytes)}, over the limit, so nothing was imported. The package may be damaged or made to fill the disk.`,
      );
    }
    pending.push(chunk);
  });
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      decoder.push(chunk, final);
    } catch (error) {
      // fzstd's errors carry a numeric code (5: unexpected end); anything else is ours.
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'number') throw error;
      const cutShort = code === 5;
      throw invalidPackage(
        cutShort
          ? `${what} in this package is cut short: its compressed data ends early. The file was probably not copied or downloaded completely; export it from Anki again.`
          : `${what} in this package is damaged (${(error as Error).message}). Export the deck from Anki again.`,
      );
    }
  };
  for await (const chunk of compressed) {
    push(chunk, false);
    yield* pending;
    pending = [];
  }
  push(new Uint8Array(0), true);
  yield* pending;
}

export async function zstdDecompressAll(
  compressed: Uint8Array,
  maxBytes: number,
  what: string,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  async function* once() {
    yield compressed;
  }
  for await (const chunk of zstdDecompress(once(), maxBytes, what)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
