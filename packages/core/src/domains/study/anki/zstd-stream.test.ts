import { Zstd } from '@hpcc-js/wasm-zstd';
import { describe, expect, it } from 'vitest';
import { zstdDecompress, zstdDecompressAll } from './zstd-stream.js';

async function* inChunks(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('zstd decoding with a cap', () => {
  const original = Uint8Array.from({ length: 200_000 }, (_, index) => (index * 31) % 251);

  it('decodes a stream fed in small chunks', async () => {
    const compressed = (await Zstd.load()).compress(original);
    const chunks: Uint8Array[] = [];
    for await (const chunk of zstdDecompress(inChunks(compressed, 97), 1_000_000, 'The file'))
      chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(original));
  });

  it('stops a stream that decodes to more than the cap, before holding it all', async () => {
    // 64 MB of zeros compress to a few kilobytes: what a decompression bomb looks like.
    const bomb = (await Zstd.load()).compress(new Uint8Array(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    let decoded = 0;
    const read = async () => {
      for await (const chunk of zstdDecompress(inChunks(bomb, 4096), 1024 * 1024, 'The media file "x.png"')) {
        decoded += chunk.length;
      }
    };
    await expect(read()).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message:
        'The media file "x.png" in this package decompresses to more than 1 MB, over the limit, so nothing was imported. The package may be damaged or made to fill the disk.',
    });
    expect(decoded).toBeLessThanOrEqual(1024 * 1024);
  });

  it('says when a stream is cut short or is not zstd at all', async () => {
    const compressed = (await Zstd.load()).compress(original);
    await expect(
      zstdDecompressAll(compressed.subarray(0, 40), 1_000_000, 'The collection'),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/^The collection in this package is cut short/),
    });
    await expect(
      zstdDecompressAll(Buffer.from('not zstd at all'), 1_000_000, 'The collection'),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^The collection in this package is damaged/),
    });
  });
});
