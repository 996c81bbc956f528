import type { TutorSource } from '@little-monster/core/contract';
import { describe, expect, it } from 'vitest';
import { citedNumbers, describeSpot, sourcePath, splitCitations, trimUnfinishedCitation } from './citations';

const source = (fields: Partial<TutorSource>): TutorSource => ({
  n: 1,
  chunkId: 1,
  materialId: '00000000-0000-4000-8000-000000000001',
  materialTitle: 'Cell biology',
  materialType: 'pdf',
  pageStart: 6,
  pageEnd: 6,
  startSec: null,
  endSec: null,
  spans: [],
  excerpt: '',
  ...fields,
});

describe('citations in an answer', () => {
  const known = new Set([1, 2, 3]);

  it('reads every form the model writes', () => {
    expect(citedNumbers('[1]')).toEqual([1]);
    expect(citedNumbers('[1, 2]')).toEqual([1, 2]);
    expect(citedNumbers('[1][2]')).toEqual([1, 2]);
    expect(citedNumbers('[2-4]')).toEqual([2, 3, 4]);
    expect(citedNumbers('[1][1]')).toEqual([1]);
    expect(citedNumbers('[1-40]')).toEqual([]);
  });

  it('turns known numbers into citations and drops unknown ones with their space', () => {
    expect(splitCitations('Membranes are lipid bilayers [1].', known)).toEqual([
      { text: 'Membranes are lipid bilayers' },
      { text: ' ' },
      { cite: [1] },
      { text: '.' },
    ]);
    expect(splitCitations('Invented [9]. Mixed [2, 9][3].', known)).toEqual([
      { text: 'Invented' },
      { text: '. Mixed' },
      { text: ' ' },
      { cite: [2, 3] },
      { text: '.' },
    ]);
    expect(splitCitations('No citations here.', known)).toEqual([{ text: 'No citations here.' }]);
    // An index, not a citation.
    expect(splitCitations('Take items[1] and f(x)[2].', known)).toEqual([
      { text: 'Take items[1] and f(x)[2].' },
    ]);
  });

  it('hides a citation still being written', () => {
    expect(trimUnfinishedCitation('as shown [1')).toBe('as shown');
    expect(trimUnfinishedCitation('as shown [1, ')).toBe('as shown');
    expect(trimUnfinishedCitation('as shown [1]')).toBe('as shown [1]');
  });

  it('names the spot: page, pages, slide, or lecture time', () => {
    expect(describeSpot(source({}))).toBe('p. 6');
    expect(describeSpot(source({ pageEnd: 7 }))).toBe('pp. 6–7');
    expect(describeSpot(source({ materialType: 'slides', pageStart: 4, pageEnd: 4 }))).toBe('slide 4');
    expect(describeSpot(source({ startSec: 754.6, pageStart: null, pageEnd: null }))).toBe('12:34');
    expect(describeSpot(source({ startSec: 3723 }))).toBe('1:02:03');
  });

  it('opens a lecture at the second a source was said, and other material at its page', () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect(
      sourcePath(source({ materialType: 'lecture', startSec: 754.6, pageStart: null, pageEnd: null })),
    ).toBe(`/lectures/${id}?t=754`);
    expect(sourcePath(source({ materialType: 'lecture', startSec: null, pageStart: null }))).toBe(
      `/lectures/${id}`,
    );
    expect(sourcePath(source({ spans: [{ page: 6, start: 1, end: 9 }] }))).toBe(
      `/library/${id}?page=6&hl=6%3A1-9`,
    );
  });
});
