import { describe, expect, it } from 'vitest';
import { planWindows } from './audio-windows.js';

const RATE = 100; // 100 samples per second keeps the numbers small

/** Loud everywhere except quiet stretches [fromSec, toSec). */
function signal(seconds: number, quiet: [number, number][] = []): Float32Array {
  const samples = new Float32Array(seconds * RATE).fill(0.5);
  for (const [from, to] of quiet) samples.fill(0.001, from * RATE, to * RATE);
  return samples;
}

describe('planWindows', () => {
  it('keeps audio of up to one window whole', () => {
    expect(planWindows(signal(30), RATE)).toEqual([{ start: 0, end: 3000 }]);
    expect(planWindows(new Float32Array(0), RATE)).toEqual([]);
  });

  it('cuts long audio at the quietest moment of each window’s last seconds', () => {
    const windows = planWindows(
      signal(70, [
        [27, 27.5],
        [53, 53.2],
      ]),
      RATE,
    );
    expect(windows).toHaveLength(3);
    const cuts = windows.slice(1).map((w) => w.start / RATE);
    expect(cuts[0]).toBeGreaterThanOrEqual(27);
    expect(cuts[0]).toBeLessThan(27.5);
    expect(cuts[1]).toBeGreaterThanOrEqual(53);
    expect(cuts[1]).toBeLessThan(53.2);
    expect(windows.at(-1)!.end).toBe(70 * RATE);
  });

  it('covers every sample exactly once, with no window longer than 30 s', () => {
    const samples = signal(200);
    const windows = planWindows(samples, RATE);
    expect(windows[0]!.start).toBe(0);
    expect(windows.at(-1)!.end).toBe(samples.length);
    windows.forEach((w, i) => {
      expect(w.end - w.start).toBeLessThanOrEqual(30 * RATE);
      expect(w.end).toBeGreaterThan(w.start);
      if (i > 0) expect(w.start).toBe(windows[i - 1]!.end);
    });
  });
});
