import { describe, expect, it } from 'vitest';
import { markPassage } from './passage-parts';

describe('markPassage', () => {
  it('marks the cited ranges inside the page text', () => {
    expect(markPassage('Cells have a membrane made of lipids.', [{ start: 13, end: 36 }])).toEqual([
      { text: 'Cells have a ', cited: false },
      { text: 'membrane made of lipids', cited: true },
      { text: '.', cited: false },
    ]);
  });

  it('merges overlapping ranges and clamps those past the end of the text', () => {
    expect(
      markPassage('abcdefghij', [
        { start: 6, end: 40 },
        { start: 2, end: 5 },
        { start: 4, end: 7 },
      ]),
    ).toEqual([
      { text: 'ab', cited: false },
      { text: 'cdefghij', cited: true },
    ]);
  });

  it('leaves the text whole when no range falls inside it', () => {
    expect(markPassage('short', [{ start: 40, end: 60 }])).toEqual([{ text: 'short', cited: false }]);
  });
});
