import { describe, expect, it } from 'vitest';
import { buildKeywordQuery, isSearchable, type KeywordQuery } from './fts-query.js';

function query(text: string, options = {}): KeywordQuery {
  const built = buildKeywordQuery(text, options);
  if (!isSearchable(built)) throw new Error(`"${text}" was not searchable: ${built.unsearchable}`);
  return built;
}

describe('buildKeywordQuery', () => {
  it('leaves out the words a question is asked with and ORs the words it is about', () => {
    const built = query('What is the trace of the loops, and why does it trace?');
    expect(built.expression).toBe('("trace" OR "loops")');
    expect(built.terms.map((term) => [term.word, term.stem])).toEqual([
      ['trace', 'trace'],
      ['loops', 'loop'],
    ]);
  });

  it('keeps a quoted phrase as a phrase that must match', () => {
    const built = query('“trace tree” nesting');
    expect(built.expression).toBe('"nesting" AND "trace tree"');
    expect(built.phrases.map((phrase) => phrase.map((term) => term.word))).toEqual([['trace', 'tree']]);
    expect(query('"to be or not to be"').expression).toBe('"to be or not to be"');
  });

  it('leaves no FTS5 syntax from the user: operators become words, symbols vanish', () => {
    expect(query('NEAR(a b) -c* col:d ^e "f" OR \' ; --').expression).toBe('("near" OR "col") AND "f"');
    expect(query("'); DROP TABLE chunks; --").expression).toBe('("drop" OR "table" OR "chunks")');
  });

  it('says why a text cannot be searched', () => {
    expect(buildKeywordQuery('*** -- "" 🙂🙂')).toEqual({ unsearchable: 'no-words' });
    expect(buildKeywordQuery('what is it about?')).toEqual({ unsearchable: 'common-words-only' });
    expect(buildKeywordQuery('')).toEqual({ unsearchable: 'no-words' });
  });

  it('keeps a pasted page to its first words', () => {
    const built = query(Array.from({ length: 2000 }, (_, i) => `word${i}`).join(' '));
    expect(built.terms).toHaveLength(32);
  });

  it('matches the word being typed by prefix, with shorter prefixes for the stemmer', () => {
    expect(query('trace traci', { prefixLast: true }).expression).toBe('("trace" OR ("traci"* OR "trac"*))');
    expect(query('blacklis', { prefixLast: true }).expression).toBe(
      '("blacklis"* OR "blackli"* OR "blackl"*)',
    );
    expect(query('trace an', { prefixLast: true }).expression).toBe('"trace"');
    expect(query('trace ', { prefixLast: true }).expression).toBe('"trace"');
    expect(query('the', { prefixLast: true }).expression).toBe('"the"*');
  });
});
