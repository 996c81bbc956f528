import { describe, expect, it } from 'vitest';
import { Downsampler, int16LittleEndian, toInt16 } from './downsampler';

function tone(frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const samples = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < samples.length; i++)
    samples[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
  return samples;
}

/** Root mean square of the middle of a signal (the filter's start-up left out). */
function rms(samples: Float32Array): number {
  const middle = samples.subarray(Math.floor(samples.length * 0.2), Math.floor(samples.length * 0.8));
  let sum = 0;
  for (const value of middle) sum += value * value;
  return Math.sqrt(sum / middle.length);
}

const decibels = (ratio: number) => 20 * Math.log10(ratio);

/** How loud a tone comes out of a 16 kHz conversion, relative to how loud it went in. */
function gainOf(frequency: number, rate: number): number {
  const input = tone(frequency, rate, 1);
  const output = new Downsampler(rate).push(input);
  return decibels(rms(output) / rms(input));
}

describe('Downsampler', () => {
  it('gives 16 kHz: a second of input makes a second of output', () => {
    for (const rate of [48_000, 44_100, 32_000, 22_050]) {
      const downsampler = new Downsampler(rate);
      const out = downsampler.push(tone(440, rate, 1));
      // The filter waits for a few milliseconds of look-ahead before the last samples come out.
      expect(out.length).toBeGreaterThan(15_900);
      expect(out.length).toBeLessThanOrEqual(16_000);
    }
  });

  it('keeps a 1 kHz tone and attenuates a 7 kHz one (48 kHz and 44.1 kHz microphones)', () => {
    for (const rate of [48_000, 44_100]) {
      expect(Math.abs(gainOf(1000, rate))).toBeLessThan(0.5);
      expect(gainOf(7000, rate)).toBeLessThan(-10);
    }
  });

  it('removes what sample dropping would fold back into the speech band', () => {
    // 12 kHz at 48 kHz kept by taking every third sample would sound as 4 kHz.
    for (const rate of [48_000, 44_100]) {
      expect(gainOf(12_000, rate)).toBeLessThan(-60);
      expect(gainOf(9_000, rate)).toBeLessThan(-50);
    }
  });

  it('gives the same samples whatever size the blocks come in', () => {
    const input = tone(1000, 44_100, 0.5);
    const whole = new Downsampler(44_100).push(input);
    const downsampler = new Downsampler(44_100);
    const pieces: Float32Array[] = [];
    for (let start = 0; start < input.length; start += 128) {
      pieces.push(downsampler.push(input.subarray(start, start + 128)));
    }
    const joined = Float32Array.from(pieces.flatMap((piece) => [...piece]));
    expect(joined.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(joined[i]).toBeCloseTo(whole[i]!, 5);
  });

  it('keeps time: a click at 0.5 s comes out at 0.5 s', () => {
    const input = new Float32Array(48_000);
    input[24_000] = 1;
    const out = new Downsampler(48_000).push(input);
    let peak = 0;
    for (let i = 1; i < out.length; i++) if (Math.abs(out[i]!) > Math.abs(out[peak]!)) peak = i;
    expect(peak).toBe(8000);
  });
});

describe('16-bit samples', () => {
  it('clips, rounds and writes little-endian bytes', () => {
    const samples = toInt16(Float32Array.from([0, 0.5, -0.5, 1.5, -2]));
    expect([...samples]).toEqual([0, 16384, -16383, 32767, -32767]);
    expect([...int16LittleEndian(Int16Array.from([1, -2, 0x1234]))]).toEqual([1, 0, 0xfe, 0xff, 0x34, 0x12]);
  });
});
