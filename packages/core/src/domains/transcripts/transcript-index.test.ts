import { describe, expect, it } from 'vitest';
import { transcriptChunks } from './transcript-index.js';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('transcriptChunks', () => {
  it('groups lines into passages within the budget, with their time range and one line of overlap', () => {
    const lines = Array.from({ length: 6 }, (_, i) => ({
      startMs: i * 1000,
      endMs: i * 1000 + 900,
      text: `line ${i} has five words`,
    }));
    const chunks = transcriptChunks(lines, words, 11);
    expect(chunks.map((c) => [c.timeStartMs, c.timeEndMs])).toEqual([
      [0, 1900],
      [1000, 2900],
      [2000, 3900],
      [3000, 4900],
      [4000, 5900],
    ]);
    expect(chunks[0]!.text).toBe('line 0 has five words line 1 has five words');
    expect(chunks.every((c) => c.tokenCount <= 11 && c.pageStart === null)).toBe(true);
  });

  it('keeps a line longer than the budget whole, and skips empty lines', () => {
    const chunks = transcriptChunks(
      [
        { startMs: 0, endMs: 5000, text: 'a very long line of many many words indeed' },
        { startMs: 5000, endMs: 6000, text: '  ' },
      ],
      words,
      3,
    );
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ timeStartMs: 0, timeEndMs: 5000 });
  });
});
