import { describe, expect, it } from 'vitest';
import { concatFloat32, createResampler } from './resampler.js';

const tone = (frequency: number, rate: number, seconds: number, amplitude = 0.5) =>
  Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, index) => amplitude * Math.sin((2 * Math.PI * frequency * index) / rate),
  );

const rms = (samples: Float32Array) =>
  Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length);

/** Resamples in uneven blocks, as decoders deliver them. */
async function resampleInBlocks(
  input: Float32Array,
  from: number,
  to: number,
  blocks = [1000, 4410, 37, 16000],
) {
  const resampler = await createResampler(from, to);
  const parts: Float32Array[] = [];
  for (let offset = 0, turn = 0; offset < input.length; turn++) {
    const size = blocks[turn % blocks.length]!;
    parts.push(resampler.push(input.subarray(offset, offset + size)));
    offset += size;
  }
  parts.push(resampler.flush());
  resampler.close();
  return concatFloat32(parts);
}

describe('createResampler', () => {
  it.each([
    [44100, 16000],
    [48000, 16000],
    [22050, 16000],
    [8000, 16000],
    [11025, 16000],
  ])('turns %i Hz into %i Hz with exactly the right number of samples', async (from, to) => {
    const input = tone(440, from, 3.3);
    const output = await resampleInBlocks(input, from, to);
    expect(output.length).toBe(Math.round((input.length * to) / from));
  });

  it('keeps a speech-band tone at its level and in time', async () => {
    const output = await resampleInBlocks(tone(1000, 44100, 2), 44100, 16000);
    const expected = tone(1000, 16000, 2);
    // Away from the edges the output is the same sine sampled at 16 kHz: no delay, no gain change.
    const middle = (samples: Float32Array) => samples.subarray(1600, samples.length - 1600);
    let error = 0;
    for (let index = 0; index < middle(expected).length; index++) {
      error = Math.max(error, Math.abs(middle(output)[index]! - middle(expected)[index]!));
    }
    expect(error).toBeLessThan(0.005);
    expect(rms(middle(output))).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('removes tones above the new Nyquist frequency instead of folding them into speech', async () => {
    // 12 kHz cannot exist at 16 kHz; a naive decimator would alias it to 4 kHz at full level.
    const output = await resampleInBlocks(tone(12000, 44100, 1, 0.9), 44100, 16000);
    const level = rms(output.subarray(800, output.length - 800));
    expect(20 * Math.log10(level / (0.9 / Math.SQRT2))).toBeLessThan(-60);
  });

  it('gives the same result whatever the block sizes', async () => {
    const input = tone(700, 48000, 1.5);
    const oneBlock = await resampleInBlocks(input, 48000, 16000, [input.length]);
    const manyBlocks = await resampleInBlocks(input, 48000, 16000, [480, 7, 3000]);
    expect(manyBlocks.length).toBe(oneBlock.length);
    let difference = 0;
    for (let index = 0; index < oneBlock.length; index++) {
      difference = Math.max(difference, Math.abs(oneBlock[index]! - manyBlocks[index]!));
    }
    expect(difference).toBeLessThan(1e-4);
  });

  it('passes samples through untouched when the rates are equal', async () => {
    const resampler = await createResampler(16000, 16000);
    const input = tone(300, 16000, 0.1);
    expect(resampler.push(input)).toBe(input);
    expect(resampler.flush()).toHaveLength(0);
  });

  it('refuses rates it cannot convert', async () => {
    await expect(createResampler(0, 16000)).rejects.toThrow(RangeError);
    await expect(createResampler(8_000_000, 16000)).rejects.toThrow(RangeError);
  });
});
