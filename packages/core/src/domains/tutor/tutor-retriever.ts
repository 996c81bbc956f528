import type { SearchHit } from '../../search/hybrid-search.js';
import { contentStems } from '../../search/keyword-terms.js';
import type { SearchSources } from '../../search/search-sources.js';

/** A passage of the student's material (any kind of source) with its full text, best first. */
export type Passage = Pick<
  SearchHit,
  'chunkId' | 'ref' | 'title' | 'materialType' | 'location' | 'heading' | 'text'
>;

/** Candidates fetched per question; the prompt keeps what its token budget allows. */
const CANDIDATES = 8;
/**
 * A passage found only by meaning counts when its cosine similarity reaches this. BGE-style
 * models score unrelated English passages around 0.4-0.6 and related ones above 0.7.
 */
export const MIN_SEMANTIC_SIMILARITY = 0.65;
/**
 * A passage found by keyword counts when it holds at least two of the question's words and a
 * fifth of its weight (its words weighted by rarity), or one rare word that is most of what the
 * question asks about. Calibrated on the labelled set (search/test-support/retrieval-questions.json,
 * keyword ranking): it keeps a right passage for 82 of the 84 questions that share a word with
 * their answer and no passage for all 8 questions the material does not cover ("the capital of
 * Australia" finds only "Australia" in a list of countries: one word, 0.45 of the weight).
 */
const MIN_KEYWORD_WORDS = 2;
const MIN_KEYWORD_COVERAGE = 0.2;
const STRONG_KEYWORD_COVERAGE = 0.6;

export interface RetrieveRequest {
  question: string;
  /** The question before this one, for follow-ups that name nothing ("and why is that?"). */
  previousQuestion?: string;
  classId: string | null;
}

/**
 * Finds the passages of the student's material that bear on a question: hybrid search scoped to the
 * conversation's class, then a relevance gate, so a question the material does not cover gets
 * no sources (and the tutor says so) instead of the least bad ones.
 */
export class TutorRetriever {
  constructor(private readonly search: SearchSources) {}

  async retrieve(request: RetrieveRequest): Promise<Passage[]> {
    let query = request.question;
    if (contentStems(query).length < 2 && request.previousQuestion) {
      query = `${request.previousQuestion} ${request.question}`;
    }
    if (contentStems(query).length === 0) return [];
    const { hits } = await this.search.search({
      query,
      limit: CANDIDATES,
      mode: 'hybrid',
      asYouType: false,
      ...(request.classId ? { classId: request.classId } : {}),
    });
    return hits.filter(isRelevant).map(({ chunkId, ref, title, materialType, location, heading, text }) => ({
      chunkId,
      ref,
      title,
      materialType,
      location,
      heading,
      text,
    }));
  }
}

function isRelevant(hit: SearchHit): boolean {
  if (hit.semanticSimilarity !== null && hit.semanticSimilarity >= MIN_SEMANTIC_SIMILARITY) return true;
  const match = hit.keywordMatch;
  if (!match) return false;
  return (
    (match.words >= MIN_KEYWORD_WORDS && match.coverage >= MIN_KEYWORD_COVERAGE) ||
    match.coverage >= STRONG_KEYWORD_COVERAGE
  );
}
