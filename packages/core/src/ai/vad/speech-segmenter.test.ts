import { describe, expect, it } from 'vitest';
import { SpeechSegmenter, type SegmenterOptions, type SpeechRegion } from './speech-segmenter.js';

/** 0.1 s frames keep the arithmetic readable. */
const FRAME = 0.1;

function run(probabilities: number[], options: Partial<SegmenterOptions> = {}) {
  const segmenter = new SpeechSegmenter(FRAME, {
    padSec: 0,
    minSpeechSec: 0.2,
    minSilenceSec: 0.3,
    ...options,
  });
  const closedAt: { region: SpeechRegion; atSec: number }[] = [];
  for (const probability of probabilities) {
    for (const region of segmenter.push(probability)) closedAt.push({ region, atSec: segmenter.elapsedSec });
  }
  const regions = [...closedAt.map((c) => c.region), ...segmenter.finish()];
  return { regions: regions.map(round), closedAt };
}

const round = (region: SpeechRegion) => ({
  startSec: Math.round(region.startSec * 1000) / 1000,
  endSec: Math.round(region.endSec * 1000) / 1000,
});
const frames = (pattern: string) =>
  [...pattern].map((c) => ({ '#': 0.9, '+': 0.4, '.': 0.05 })[c as '#' | '+' | '.']);

describe('SpeechSegmenter', () => {
  it('finds speech between silences, with start and end on frame edges', () => {
    expect(run(frames('..#####....###.....')).regions).toEqual([
      { startSec: 0.2, endSec: 0.7 },
      { startSec: 1.1, endSec: 1.4 },
    ]);
  });

  it('holds its state between the two thresholds (hysteresis)', () => {
    // Frames at 0.4 neither start speech nor end it.
    expect(run(frames('++++..###+++++###....')).regions).toEqual([{ startSec: 0.6, endSec: 1.7 }]);
  });

  it('keeps a pause shorter than the minimum silence inside one utterance', () => {
    expect(run(frames('.###..###.....')).regions).toEqual([{ startSec: 0.1, endSec: 0.9 }]);
  });

  it('drops speech shorter than the minimum (a click)', () => {
    expect(run(frames('..#.....###....')).regions).toEqual([{ startSec: 0.8, endSec: 1.1 }]);
  });

  it('reports an utterance as soon as the pause after it is long enough', () => {
    const { closedAt } = run(frames('.###......'));
    expect(closedAt).toHaveLength(1);
    expect(closedAt[0]!.region).toMatchObject({ endSec: expect.closeTo(0.4, 5) });
    expect(closedAt[0]!.atSec).toBeCloseTo(0.4 + 0.3, 5);
  });

  it('pads regions without reaching before the audio or over the previous region', () => {
    const { regions } = run(frames('#####.....###.....'), { padSec: 0.2 });
    expect(regions).toEqual([
      { startSec: 0, endSec: 0.7 },
      { startSec: 0.8, endSec: 1.5 },
    ]);
  });

  it('closes an utterance still open when the audio ends, at the true end of the audio', () => {
    const segmenter = new SpeechSegmenter(FRAME, { padSec: 0.2, minSpeechSec: 0.2 });
    for (const p of frames('..#####')) segmenter.push(p);
    expect(segmenter.speechSinceSec).toBeCloseTo(0.2, 5);
    expect(segmenter.finish(0.65).map(round)).toEqual([{ startSec: 0, endSec: 0.65 }]);
    expect(segmenter.speechSinceSec).toBeNull();
  });

  it('splits speech longer than the maximum at its latest pause', () => {
    const { regions } = run(frames('#########..######....'), { maxSpeechSec: 1.2 });
    expect(regions).toEqual([
      { startSec: 0, endSec: 0.9 },
      { startSec: 1.1, endSec: 1.7 },
    ]);
  });

  it('cuts speech without any pause where it reaches the maximum', () => {
    const { regions } = run(frames('##########....'), { maxSpeechSec: 0.4 });
    expect(regions).toEqual([
      { startSec: 0, endSec: 0.4 },
      { startSec: 0.4, endSec: 0.8 },
      { startSec: 0.8, endSec: 1.0 },
    ]);
  });

  it('refuses options that contradict each other', () => {
    expect(() => new SpeechSegmenter(FRAME, { startThreshold: 0.3, stopThreshold: 0.5 })).toThrow(RangeError);
    expect(() => new SpeechSegmenter(FRAME, { padSec: 1, minSilenceSec: 0.5 })).toThrow(RangeError);
  });
});
