import type { KeywordQuery, QueryTerm } from './fts-query.js';
import { isStopWord, termsOf, type Term } from './keyword-terms.js';

/**
 * Ranks the passages FTS5 matched for a question, reading their words: BM25 with field weights
 * (a word in the passage's heading or its material's title counts more than one in the text),
 * plus term proximity (BM25TP, Rasolofo & Savoy 2003: pairs of the question's words close
 * together add to the score, adjacent ones most) and a bonus when every word of the question
 * appears in order as one phrase. So a passage holding the exact phrase ranks above one holding
 * all the words near each other, which ranks above one holding only some of them.
 *
 * It also says how much of the question each passage covers (`coverage`, the question's words it
 * holds weighted by how rare they are), which the tutor uses to decide whether a passage is about
 * the question at all.
 */
export interface KeywordCandidate {
  id: number;
  text: string;
  heading: string | null;
  /** The title of the material or lecture it belongs to. */
  title: string;
}

export interface RankedPassage {
  id: number;
  score: number;
  match: KeywordMatch;
}

/** How much of the question a passage holds (in its text, heading or title). */
export interface KeywordMatch {
  /** Share of the question's weight (idf) it holds: 0..1. */
  coverage: number;
  /** The question's words it holds, of how many. */
  words: number;
  of: number;
}

export interface CorpusStatistics {
  /** Passages in the index. */
  passages: number;
  /** Passages holding the term (any word it matches, for a prefix). */
  passagesWith(term: QueryTerm): number;
}

const K1 = 1.2;
const B = 0.75;
/** A heading names what the passages under it are about; a title what the whole material is. */
const HEADING_WEIGHT = 2;
const TITLE_WEIGHT = 1;
/** Word pairs further apart than this say nothing about each other. */
const PROXIMITY_WINDOW = 5;

export function rankPassages(
  query: KeywordQuery,
  candidates: KeywordCandidate[],
  statistics: CorpusStatistics,
): RankedPassage[] {
  const terms = queryTerms(query);
  if (terms.length === 0 || candidates.length === 0) return [];
  const idf = terms.map((term) =>
    inverseDocumentFrequency(statistics.passagesWith(term), statistics.passages),
  );
  const totalWeight = idf.reduce((sum, value) => sum + value, 0);
  const analysed = candidates.map((candidate) => ({
    candidate,
    text: termsOf(candidate.text),
    heading: candidate.heading ? termsOf(candidate.heading) : [],
    title: termsOf(candidate.title),
  }));
  const averageLength = analysed.reduce((sum, { text }) => sum + text.length, 0) / analysed.length || 1;

  return analysed
    .map(({ candidate, text, heading, title }): RankedPassage => {
      const norm = K1 * (1 - B + (B * text.length) / averageLength);
      const positions = terms.map((term) => positionsOf(term, text));
      let score = 0;
      let covered = 0;
      let words = 0;
      terms.forEach((term, i) => {
        const frequency =
          positions[i]!.length +
          HEADING_WEIGHT * positionsOf(term, heading).length +
          TITLE_WEIGHT * positionsOf(term, title).length;
        if (frequency === 0) return;
        covered += idf[i]!;
        words += 1;
        score += (idf[i]! * frequency * (K1 + 1)) / (frequency + norm);
      });
      score += proximityScore(positions, idf, norm);
      if (terms.length > 1 && appearsAsPhrase(positions, text)) score += totalWeight;
      const coverage = totalWeight > 0 ? covered / totalWeight : 0;
      return { id: candidate.id, score, match: { coverage, words, of: terms.length } };
    })
    .sort((a, b) => b.score - a.score);
}

/** The question's words, each once: its bare content words, then the content words of its phrases. */
function queryTerms(query: KeywordQuery): QueryTerm[] {
  const terms = [...query.terms];
  for (const word of query.phrases.flat()) {
    if (!isStopWord(word.word) && !terms.some((term) => term.stem === word.stem)) terms.push(word);
  }
  return terms;
}

/** Robertson-Sparck Jones idf, kept positive for words in most passages. */
function inverseDocumentFrequency(withTerm: number, passages: number): number {
  const n = Math.min(withTerm, passages);
  return Math.log(1 + (passages - n + 0.5) / (n + 0.5));
}

const matches = (term: QueryTerm, word: Term) =>
  term.prefix ? word.word.startsWith(term.word) || word.stem.startsWith(term.stem) : word.stem === term.stem;

function positionsOf(term: QueryTerm, words: Term[]): number[] {
  const found: number[] = [];
  for (const word of words) if (matches(term, word)) found.push(word.position);
  return found;
}

/** BM25TP: for each pair of the question's words, 1/d² for every pair of occurrences d <= 5 apart. */
function proximityScore(positions: number[][], idf: number[], norm: number): number {
  let score = 0;
  for (let i = 0; i < positions.length; i++) {
    for (let j = i + 1; j < positions.length; j++) {
      let closeness = 0;
      for (const a of positions[i]!) {
        for (const b of positions[j]!) {
          const distance = Math.abs(a - b);
          if (distance > 0 && distance <= PROXIMITY_WINDOW) closeness += 1 / (distance * distance);
        }
      }
      if (closeness > 0) score += (Math.min(idf[i]!, idf[j]!) * closeness * (K1 + 1)) / (closeness + norm);
    }
  }
  return score;
}

/** Every word of the question, in its order, with nothing but stop words between them. */
function appearsAsPhrase(positions: number[][], text: Term[]): boolean {
  return positions[0]!.some((start) => {
    let at = start;
    for (let i = 1; i < positions.length; i++) {
      const next = positions[i]!.find((position) => position > at);
      if (next === undefined) return false;
      for (let between = at + 1; between < next; between++)
        if (!isStopWord(text[between]!.word)) return false;
      at = next;
    }
    return true;
  });
}
