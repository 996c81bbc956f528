import { describe, expect, it } from 'vitest';
import { buildKeywordQuery } from './fts-query.js';

describe('buildKeywordQuery', () => {
  it('quotes every word and joins them with AND, with an OR fallback over meaningful words', () => {
    expect(buildKeywordQuery('The trace of loops')).toEqual({
      all: '"the" AND "trace" AND "of" AND "loops"',
      any: '"trace" OR "loops"',
      words: ['the', 'trace', 'of', 'loops'],
    });
  });

  it('keeps a quoted phrase as a phrase', () => {
    expect(buildKeywordQuery('“trace tree” nesting')?.all).toBe('"trace tree" AND "nesting"');
  });

  it('leaves no FTS5 syntax from the user: operators become words, symbols vanish', () => {
    const query = buildKeywordQuery('NEAR(a b) -c* col:d ^e "f" OR \' ; --')!;
    expect(query.all).toBe('"f" AND "near" AND "a" AND "b" AND "c" AND "col" AND "d" AND "e" AND "or"');
    expect(buildKeywordQuery('*** -- ""')).toBeNull();
  });

  it('matches the word being typed by prefix, with shorter prefixes for the stemmer', () => {
    expect(buildKeywordQuery('trace traci', { prefixLast: true })?.all).toBe(
      '"trace" AND ("traci"* OR "trac"*)',
    );
    expect(buildKeywordQuery('blacklis', { prefixLast: true })?.all).toBe(
      '("blacklis"* OR "blackli"* OR "blackl"*)',
    );
    expect(buildKeywordQuery('an', { prefixLast: true })?.all).toBe('"an"');
    expect(buildKeywordQuery('trace ', { prefixLast: true })?.all).toBe('"trace"');
  });
});
