import { describe, expect, it } from 'vitest';
import { splitCitations, trimUnfinishedCitation } from './citations';

describe('citations in an answer', () => {
  const known = new Set([1, 2, 3]);

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
});
