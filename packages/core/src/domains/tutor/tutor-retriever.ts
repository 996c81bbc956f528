import type { SearchHit } from '../../search/hybrid-search.js';
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
/** Share of the question's content words a passage found by keyword must contain. */
const MIN_WORD_SHARE = 0.5;
/** Words that say what kind of answer is wanted, not what it is about. */
const QUESTION_WORDS = new Set(
  `what whats how why who whom whose when where which does do did is are was were be been can could should would will
   explain describe define definition tell me about please give list show summarise summarize mean means meaning
   the a an of in on for to and or with from by as at it its this that these those there their they you your i we our my
   difference between example examples more again same than then so also some any all`.split(/\s+/),
);

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
    let words = contentWords(request.question);
    let query = request.question;
    if (words.length < 2 && request.previousQuestion) {
      query = `${request.previousQuestion} ${request.question}`;
      words = contentWords(query);
    }
    if (words.length === 0) return [];
    const { hits } = await this.search.search({
      query,
      limit: CANDIDATES,
      mode: 'hybrid',
      asYouType: false,
      ...(request.classId ? { classId: request.classId } : {}),
    });
    return hits
      .filter((hit) => isRelevant(hit, words))
      .map(({ chunkId, ref, title, materialType, location, heading, text }) => ({
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

function isRelevant(hit: SearchHit, words: string[]): boolean {
  if (hit.semanticSimilarity !== null && hit.semanticSimilarity >= MIN_SEMANTIC_SIMILARITY) return true;
  if (!hit.matchedBy.includes('keyword')) return false;
  const passageWords = new Set(stems(hit.text));
  const found = words.filter((word) => passageWords.has(stem(word))).length;
  return found >= Math.max(1, Math.ceil(words.length * MIN_WORD_SHARE));
}

/** The words of a question that say what it is about. */
export function contentWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((word) => word.length > 1 && !QUESTION_WORDS.has(word)))];
}

/**
 * A crude stem, the first four letters, so "tracing" meets "traces": FTS5's porter stemmer already
 * found the passage; this only checks how much of the question it holds.
 */
const stem = (word: string) => word.slice(0, 4);
const stems = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stem);
