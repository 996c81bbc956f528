import { describe, expect, it } from 'vitest';
import { decodePcm } from './pcm.js';

describe('decodePcm', () => {
  it('reads interleaved little- and big-endian integers into channels', () => {
    const s16 = new Uint8Array([0x00, 0x40, 0x00, 0xc0, 0xff, 0x7f, 0x00, 0x80]);
    expect(decodePcm(s16, 'pcm-s16', 2).map((channel) => [...channel])).toEqual([
      [0.5, 32767 / 32768],
      [-0.5, -1],
    ]);
    expect([...decodePcm(new Uint8Array([0x40, 0x00]), 'pcm-s16be', 1)[0]!]).toEqual([0.5]);
    expect([...decodePcm(new Uint8Array([0x00, 0x00, 0xc0]), 'pcm-s24', 1)[0]!]).toEqual([-0.5]);
    expect([...decodePcm(new Uint8Array([0xc0, 0x00, 0x00]), 'pcm-s24be', 1)[0]!]).toEqual([-0.5]);
    expect([...decodePcm(new Uint8Array([0, 128, 192]), 'pcm-u8', 1)[0]!]).toEqual([-1, 0, 0.5]);
  });

  it('reads floats and G.711 µ-law and A-law', () => {
    const f32 = new Uint8Array(new Float32Array([0.25, -0.75]).buffer);
    expect([...decodePcm(f32, 'pcm-f32', 1)[0]!]).toEqual([0.25, -0.75]);
    // µ-law 0xFF and A-law 0xD5 are the codes for silence; 0x80 / 0xAA the loudest positive.
    const ulaw = decodePcm(new Uint8Array([0xff, 0x80, 0x00]), 'ulaw', 1)[0]!;
    expect(ulaw[0]).toBe(0);
    expect(ulaw[1]).toBeCloseTo(32124 / 32768, 4);
    expect(ulaw[2]).toBeCloseTo(-32124 / 32768, 4);
    const alaw = decodePcm(new Uint8Array([0xd5, 0xaa]), 'alaw', 1)[0]!;
    expect(alaw[0]).toBeCloseTo(8 / 32768, 6);
    expect(alaw[1]).toBeCloseTo(32256 / 32768, 4);
  });

  it('drops a trailing partial frame', () => {
    expect(decodePcm(new Uint8Array(7), 'pcm-s16', 2)[0]).toHaveLength(1);
  });
});
