import { describe, expect, it } from 'vitest';
import { buildKeywordQuery, isSearchable, type KeywordQuery } from './fts-query.js';
import { rankPassages, type CorpusStatistics, type KeywordCandidate } from './keyword-ranking.js';

function query(text: string): KeywordQuery {
  const built = buildKeywordQuery(text);
  if (!isSearchable(built)) throw new Error(text);
  return built;
}

/** A library of 1,000 passages where "trace" is common and the other words rare. */
const statistics: CorpusStatistics = {
  passages: 1000,
  passagesWith: (term) => ({ trace: 400, tail: 20, duplic: 15 })[term.stem] ?? 10,
};

const candidate = (
  id: number,
  text: string,
  heading: string | null = null,
  title = 'Notes',
): KeywordCandidate => ({
  id,
  text,
  heading,
  title,
});

const filler = 'the compiler emits code for every loop it records in the program';

describe('rankPassages', () => {
  it('ranks the exact phrase above all the words near each other, above some of them', () => {
    const ranked = rankPassages(
      query('What is unintended tail duplication?'),
      [
        candidate(1, `${filler} unintended duplication ${filler} tail`),
        candidate(2, `${filler} the duplication of the tail, unintended ${filler}`),
        candidate(3, `${filler} a form of unintended tail duplication ${filler}`),
        candidate(4, `${filler} tail ${filler}`),
      ],
      statistics,
    );
    expect(ranked.map((passage) => passage.id)).toEqual([3, 2, 1, 4]);
  });

  it('counts a word in the heading or the title more than one in the text', () => {
    const ranked = rankPassages(
      query('tail duplication'),
      [
        candidate(1, `${filler} duplication ${filler}`),
        candidate(2, `${filler} ${filler}`, 'Tail duplication'),
        candidate(3, `${filler} tail ${filler}`, null, 'Duplication in compilers'),
      ],
      statistics,
    );
    expect(ranked[0]!.id).toBe(2);
    expect(ranked.find((passage) => passage.id === 3)!.score).toBeGreaterThan(
      ranked.find((passage) => passage.id === 1)!.score,
    );
  });

  it('says how much of the question each passage holds, rare words weighing more', () => {
    const [all, rare, common] = rankPassages(
      query('trace tail duplication'),
      [
        candidate(1, 'trace tail duplication'),
        candidate(2, `${filler} tail duplication`),
        candidate(3, `${filler} trace`),
      ],
      statistics,
    );
    expect(all!.match).toEqual({ coverage: 1, words: 3, of: 3 });
    expect(rare!.match.words).toBe(2);
    expect(rare!.match.coverage).toBeGreaterThan(0.8);
    expect(common!.match.words).toBe(1);
    expect(common!.match.coverage).toBeLessThan(0.2);
  });

  it('matches a word being typed by its beginning', () => {
    const built = buildKeywordQuery('duplic', { prefixLast: true });
    if (!isSearchable(built)) throw new Error('not searchable');
    const [passage] = rankPassages(built, [candidate(1, 'tail duplication')], statistics);
    expect(passage!.match.words).toBe(1);
  });
});
