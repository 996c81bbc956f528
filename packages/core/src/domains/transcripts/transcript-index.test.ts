import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../contract/index.js';
import { atMatchingLine, transcriptChunks } from './transcript-index.js';

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

describe('atMatchingLine', () => {
  const lines = [
    { startMs: 0, endMs: 4000, text: 'And so, my fellow Americans,' },
    { startMs: 4000, endMs: 8000, text: 'ask not what your country can do for you,' },
    { startMs: 8000, endMs: 11_000, text: 'ask what you can do for your country.' },
  ];
  const hit = {
    ref: { kind: 'lecture', id: '00000000-0000-4000-8000-000000000001' },
    location: { kind: 'time', startSec: 0, endSec: 11 },
  } as SearchHit;

  it('opens a hit at the line that holds the query, not at the passage start (?t=0)', () => {
    expect(atMatchingLine(hit, 'Country can do', lines).location).toEqual({
      kind: 'time',
      startSec: 4,
      endSec: 11,
    });
  });

  it('keeps the passage start when no line holds a word of the query (a hit by meaning)', () => {
    expect(atMatchingLine(hit, 'presidency', lines)).toBe(hit);
    expect(atMatchingLine(hit, '   ', lines)).toBe(hit);
  });

  it('looks only at the lines of the hit’s own passage', () => {
    const later = { ...hit, location: { kind: 'time', startSec: 8, endSec: 11 } } as SearchHit;
    expect(atMatchingLine(later, 'country', lines).location).toMatchObject({ startSec: 8 });
  });
});
