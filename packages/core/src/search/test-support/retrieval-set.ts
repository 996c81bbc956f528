import { readFileSync } from 'node:fs';

/**
 * The labelled retrieval set (retrieval-questions.json): questions a student might ask about the
 * repository's fixture documents and recordings, each with where its answer is. The retrieval
 * bench and the tests that hold search to its targets read it.
 */
export interface RetrievalSource {
  id: string;
  kind: 'material' | 'lecture';
  title: string;
  /** The fixture it comes from (fixtures/...). */
  fixture: string;
  /** Lectures: the transcript's lines. */
  lines?: { startSec: number; endSec: number; text: string }[];
}

export interface RetrievalQuestion {
  id: string;
  /** The source that answers it; null when nothing in the set does. */
  source: string | null;
  question: string;
  style: 'question' | 'paraphrase' | 'keywords';
  /** Documents: the pages (1-based) that answer it. */
  pages?: number[];
  /** Recordings: a second at which the answer is said. */
  atSec?: number;
  /** The question holds at least one content word of an answering page (checked by a test). */
  sharesContentWord?: boolean;
}

export interface RetrievalSet {
  sources: RetrievalSource[];
  questions: RetrievalQuestion[];
}

export function loadRetrievalSet(): RetrievalSet {
  const file = new URL('./retrieval-questions.json', import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as RetrievalSet;
}

/** Where a retrieved passage is, whatever found it: its source and its pages or time range. */
export interface RetrievedPlace {
  source: string;
  pageStart: number | null;
  pageEnd: number | null;
  startSec: number | null;
  endSec: number | null;
}

/** The passage answers the question: the right source, and a page or the second it names. */
export function answers(question: RetrievalQuestion, place: RetrievedPlace): boolean {
  if (question.source === null || place.source !== question.source) return false;
  if (question.pages && place.pageStart !== null) {
    const last = place.pageEnd ?? place.pageStart;
    return question.pages.some((page) => page >= place.pageStart! && page <= last);
  }
  if (question.atSec !== undefined && place.startSec !== null) {
    return question.atSec >= place.startSec && question.atSec <= (place.endSec ?? place.startSec);
  }
  return false;
}

export interface RetrievalScores {
  questions: number;
  'hit@1': number;
  'hit@3': number;
  MRR: number;
}

/** hit@1, hit@3 and MRR (over the whole list) of ranked answers to answerable questions. */
export function scoreRankings(
  ranked: { question: RetrievalQuestion; places: RetrievedPlace[] }[],
): RetrievalScores {
  const ranks = ranked.map(({ question, places }) => {
    const at = places.findIndex((place) => answers(question, place));
    return at === -1 ? Infinity : at + 1;
  });
  const share = (test: (rank: number) => boolean) =>
    ranks.length === 0 ? 0 : ranks.filter(test).length / ranks.length;
  return {
    questions: ranks.length,
    'hit@1': share((rank) => rank <= 1),
    'hit@3': share((rank) => rank <= 3),
    MRR: ranks.length === 0 ? 0 : ranks.reduce((sum, rank) => sum + 1 / rank, 0) / ranks.length,
  };
}
