import { describe, expect, it } from 'vitest';
import { LiveBlocks } from './live-blocks';

const silence = (samples: number) => new Float32Array(samples);

describe('LiveBlocks', () => {
  it('makes half-second 16 kHz blocks stamped with their place in the recording', () => {
    const blocks = new LiveBlocks(48_000, 120);
    const made = [];
    // 1.2 s of microphone in 100 ms batches, as the worklet sends them.
    for (let i = 0; i < 12; i++) made.push(...blocks.push(silence(4800)));
    expect(made.map((block) => block.samples.length)).toEqual([8000, 8000]);
    expect(made.map((block) => block.startMs)).toEqual([120, 620]);
    const rest = blocks.flush()!;
    expect(rest.startMs).toBe(1120);
    expect(rest.samples.length).toBeGreaterThan(3000);
    expect(blocks.flush()).toBeNull();
    // After a pause the count goes on where it stopped.
    const after = [];
    for (let i = 0; i < 6; i++) after.push(...blocks.push(silence(4800)));
    expect(after[0]!.startMs).toBe(1120 + Math.round(rest.samples.length / 16));
  });
});
