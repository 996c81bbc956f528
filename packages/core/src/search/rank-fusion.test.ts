import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './rank-fusion.js';

describe('reciprocalRankFusion', () => {
  it('puts what both lists agree on first, lists each id once and keeps its sources', () => {
    const fused = reciprocalRankFusion([
      { source: 'keyword', ids: [1, 2, 3] },
      { source: 'semantic', ids: [4, 2, 5] },
    ]);
    expect(fused.map((result) => result.id)).toEqual([2, 1, 4, 3, 5]);
    expect(fused[0]).toMatchObject({ sources: ['keyword', 'semantic'], score: 2 / 62 });
    expect(fused.find((result) => result.id === 4)!.sources).toEqual(['semantic']);
  });

  it('counts an id once per list and weighs lists', () => {
    const fused = reciprocalRankFusion([
      { source: 'keyword', ids: [1, 1, 2] },
      { source: 'semantic', ids: [2], weight: 0.5 },
    ]);
    expect(fused.map((result) => result.id)).toEqual([2, 1]);
    expect(fused[0]!.score).toBeCloseTo(1 / 63 + 0.5 / 61);
    expect(fused[1]!.score).toBeCloseTo(1 / 61);
  });
});
