import { describe, expect, it } from 'vitest';
import { CITATION_GROUP, CITATION_START, citedNumbers } from './citations.js';

describe('the citation grammar (shared by the engine and the UI)', () => {
  it('reads every form a model writes', () => {
    expect(citedNumbers('[1]')).toEqual([1]);
    expect(citedNumbers('[1, 2]')).toEqual([1, 2]);
    expect(citedNumbers('[1; 3]')).toEqual([1, 3]);
    expect(citedNumbers('[1][2]')).toEqual([1, 2]);
    expect(citedNumbers('[2-4]')).toEqual([2, 3, 4]);
    expect(citedNumbers('[2–4]')).toEqual([2, 3, 4]);
    expect(citedNumbers('[1][1]')).toEqual([1]);
  });

  it('does not read a long range as a citation of every source between', () => {
    expect(citedNumbers('[1-40]')).toEqual([]);
    expect(citedNumbers('[4-2]')).toEqual([]);
  });

  it('tells a citation from an index', () => {
    const citation = new RegExp(`${CITATION_START}${CITATION_GROUP}`, 'g');
    expect('Loops [1] and [ 2, 3 ] are traced.'.match(citation)).toEqual(['[1]', '[ 2, 3 ]']);
    expect('a[1], f(x)[2] and [1234]'.match(citation)).toBeNull();
  });
});
