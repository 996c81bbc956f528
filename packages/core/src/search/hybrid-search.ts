import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Embedder } from '../ai/embedder/embedder.js';
import type {
  ChunkSpan,
  SearchHit as ContractSearchHit,
  SourceKind,
  SourceLocation,
  SourceRef,
} from '../contract/index.js';
import { buildKeywordQuery, isSearchable, UNSEARCHABLE_MESSAGES } from './fts-query.js';
import { rankPassages, type CorpusStatistics, type KeywordMatch } from './keyword-ranking.js';
import { reciprocalRankFusion, type Ranking } from './rank-fusion.js';
import type { SearchIndex } from './search-index.js';
import { VectorKnn } from './vector-knn.js';
import { filterCondition, type SearchFilter, type SqlCondition } from './search-filter.js';

export type SearchMode = 'hybrid' | 'keyword' | 'semantic';
export type MatchedBy = 'keyword' | 'semantic';

export interface SearchRequest extends SearchFilter {
  query: string;
  /** Default 20, at most 100. */
  limit?: number;
  /** Default 'hybrid'. Without an embedding model every mode answers by keyword. */
  mode?: SearchMode;
  /** The student is still typing: the last word also matches longer words. Default true. */
  asYouType?: boolean;
}

/** A hit as the contract has it, with what the engine itself uses of it. */
export interface SearchHit extends ContractSearchHit {
  /** The passage's whole text (the tutor gives it to the model). */
  text: string;
  /** Cosine similarity to the query (1 is the same meaning); null when not found by meaning. */
  semanticSimilarity: number | null;
  /** How much of the query the passage holds; null when not found by keyword. */
  keywordMatch: KeywordMatch | null;
}

export interface SearchResults {
  hits: SearchHit[];
  /** False when no embedding model is installed or nothing is embedded yet: keyword only. */
  semanticAvailable: boolean;
  /** Why the query found nothing by keyword when it holds nothing to search for ("Type a few words…"). */
  notice?: string;
}

export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
/** Each retriever's list is deeper than the answer, so fusion can promote what both agree on. */
const FUSION_DEPTH = 50;
/**
 * Fusion is reciprocal rank fusion (k = 60), with the semantic list at half weight when some
 * passage holds every word of the query (the student typed words from the text: keyword is
 * then the better judge) and full weight otherwise (a paraphrase). On 24 labelled questions
 * over tracemonkey.pdf this kept keyword search's recall@5 (0.96) and MRR (0.80) where plain
 * RRF lost some (0.92 / 0.80 with a simulated useful embedder, 0.92 / 0.60 with a meaningless
 * one), and raised paraphrase MRR from 0.63 to 0.72 (src/search/test-support/evaluate-fusion.ts).
 */
const SEMANTIC_WEIGHT_WHEN_ALL_WORDS_MATCH = 0.5;
/** bm25 weights: text, heading (a heading is repeated on every chunk below it, so it counts less). */
const BM25_WEIGHTS = '1.0, 0.5';
/** Passages FTS5's bm25 picks for keyword-ranking.ts to read and rank: more than the answer needs. */
const KEYWORD_CANDIDATES = 60;
const BM25 = `bm25(${BM25_WEIGHTS})`;
const SNIPPET_TOKENS = 24;
/** A filter leaving at most this many sources is searched source by source. */
const FEW_SOURCES = 20;

interface FtsMatch {
  id: number;
  /** bm25: lower is better. */
  rank: number;
  snippet: string;
}
export interface HybridSearchOptions {
  sqlite: Database.Database;
  index: SearchIndex;
  /** The selected embedder, or null when none is installed (keyword search only). */
  embedder: () => Embedder | null;
  logger?: Logger;
  /** Overrides the vector search's SHORTLIST_FROM_SHARE (tests exercise both filtering strategies with it). */
  shortlistFromShare?: number;
  /** Overrides FEW_SOURCES (tests exercise both keyword filtering strategies with it). */
  fewSources?: number;
}

/**
 * Search over every indexed source: keyword (FTS5, bm25) and by meaning (sqlite-vec KNN), fused
 * with reciprocal rank fusion, filtered by class, kind, material type and date added.
 */
export class HybridSearch {
  private readonly sqlite: Database.Database;
  private readonly fewSources: number;
  private readonly knn: VectorKnn;

  constructor(private readonly options: HybridSearchOptions) {
    this.sqlite = options.sqlite;
    this.fewSources = options.fewSources ?? FEW_SOURCES;
    this.knn = new VectorKnn(this.sqlite, options.shortlistFromShare);
    // How many passages hold each word, read from the keyword index itself (this connection only).
    this.sqlite.exec(
      'CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_fts_terms USING fts5vocab(main, chunks_fts, row)',
    );
  }

  async search(request: SearchRequest): Promise<SearchResults> {
    const limit = Math.min(Math.max(1, Math.floor(request.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
    const mode = request.mode ?? 'hybrid';
    const filter = filterCondition(request);
    const embedder = this.options.embedder();
    const vectorIndex = embedder ? this.options.index.usableIndex(embedder.modelId) : undefined;
    const semanticAvailable = Boolean(vectorIndex);
    const useKeyword = mode !== 'semantic' || !semanticAvailable;
    const useSemantic = mode !== 'keyword' && semanticAvailable;
    const depth = useKeyword && useSemantic ? Math.max(FUSION_DEPTH, limit) : limit;

    const snippets = new Map<number, string>();
    const keywordMatches = new Map<number, KeywordMatch>();
    const distances = new Map<number, number>();
    const rankings: Ranking<MatchedBy>[] = [];
    let matchedAllWords = false;
    let notice: string | undefined;
    if (useKeyword) {
      const keyword = this.keywordRanking(request.query, request.asYouType ?? true, filter, depth);
      for (const passage of keyword.passages) {
        snippets.set(passage.id, passage.snippet);
        keywordMatches.set(passage.id, passage.match);
      }
      rankings.push({ source: 'keyword', ids: keyword.passages.map((passage) => passage.id) });
      matchedAllWords = keyword.passages[0]?.match.coverage === 1;
      notice = keyword.notice;
    }
    if (useSemantic && embedder && vectorIndex && request.query.trim()) {
      try {
        const vector = await embedder.embedQuery(request.query.trim());
        const nearest = this.knn.search(vectorIndex, vector, depth, filter);
        nearest.forEach(({ id, distance }) => distances.set(id, distance));
        rankings.push({
          source: 'semantic',
          ids: nearest.map(({ id }) => id),
          weight: matchedAllWords ? SEMANTIC_WEIGHT_WHEN_ALL_WORDS_MATCH : 1,
        });
      } catch (error) {
        this.options.logger?.warn({ err: error }, 'semantic search failed; answering by keyword');
        if (!useKeyword) return this.search({ ...request, mode: 'keyword' });
      }
    }
    const fused = reciprocalRankFusion(rankings).slice(0, limit);
    const rows = this.hydrate(fused.map((result) => result.id));
    const hits = fused.flatMap((result): SearchHit[] => {
      const passage = rows.get(result.id);
      if (!passage) return [];
      const snippet = snippets.get(result.id) ?? plainSnippet(passage.text);
      const distance = distances.get(result.id);
      const semanticSimilarity = distance === undefined ? null : 1 - distance;
      const keywordMatch = keywordMatches.get(result.id) ?? null;
      return [
        {
          ...passage,
          snippet,
          score: result.score,
          matchedBy: result.sources,
          semanticSimilarity,
          keywordMatch,
        },
      ];
    });
    return { hits, semanticAvailable, ...(notice && hits.length === 0 ? { notice } : {}) };
  }

  /**
   * FTS5 over chunks for any of the query's words (bm25 picks the candidates), then ranked by
   * reading them: which words each holds, where, and how close together (keyword-ranking.ts).
   */
  private keywordRanking(
    text: string,
    asYouType: boolean,
    filter: SqlCondition,
    depth: number,
  ): { passages: { id: number; snippet: string; match: KeywordMatch }[]; notice?: string } {
    const query = buildKeywordQuery(text, { prefixLast: asYouType });
    if (!isSearchable(query)) return { passages: [], notice: UNSEARCHABLE_MESSAGES[query.unsearchable] };
    const matches = this.ftsMatches(query.expression, filter, Math.max(depth, KEYWORD_CANDIDATES));
    const snippets = new Map(matches.map((match) => [match.id, match.snippet]));
    const ranked = rankPassages(
      query,
      this.candidateTexts(matches.map((match) => match.id)),
      this.statistics(),
    );
    return {
      passages: ranked
        .slice(0, depth)
        .map(({ id, match }) => ({ id, match, snippet: snippets.get(id) ?? '' })),
    };
  }

  private candidateTexts(ids: number[]) {
    return this.sqlite
      .prepare(
        `SELECT c.id, c.text, c.heading, s.title FROM chunks c JOIN search_sources s ON s.id = c.source_id
         WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as { id: number; text: string; heading: string | null; title: string }[];
  }

  /** How many passages the index holds, and how many hold a word: what makes a word rare. */
  private statistics(): CorpusStatistics {
    const passages = this.sqlite.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
    const exact = this.sqlite.prepare('SELECT doc FROM temp.chunks_fts_terms WHERE term = ?').pluck();
    const prefixed = this.sqlite
      .prepare('SELECT sum(doc) FROM temp.chunks_fts_terms WHERE term >= ? AND term < ?')
      .pluck();
    return {
      passages,
      passagesWith: (term) =>
        ((term.prefix ? prefixed.get(term.stem, `${term.stem}\u{10ffff}`) : exact.get(term.stem)) as
          number | null) ?? 0,
    };
  }

  /** The best matches with their excerpts, within the filter. */
  private ftsMatches(expression: string, filter: SqlCondition, limit: number): FtsMatch[] {
    // FTS5 yields rows in rank order itself (it consumes ORDER BY rank), so the snippet is made
    // only for the rows returned.
    const ranked = (where: string, params: unknown[]) =>
      this.sqlite
        .prepare(
          `SELECT f.rowid AS id, f.rank AS rank, snippet(chunks_fts, 0, ?, ?, '…', ${SNIPPET_TOKENS}) AS snippet
           FROM chunks_fts f ${where} chunks_fts MATCH ? AND f.rank MATCH '${BM25}'
           ORDER BY f.rank LIMIT ?`,
        )
        .all(MARK_START, MARK_END, ...params, expression, limit) as FtsMatch[];
    if (!filter.sql) return ranked('WHERE', []);

    const sources = this.sqlite
      .prepare(`SELECT s.id FROM search_sources s WHERE ${filter.sql} LIMIT ?`)
      .pluck()
      .all(...filter.params, this.fewSources + 1) as number[];
    if (sources.length > this.fewSources) {
      // A broad filter: the joins drop other sources' rows on the way out. CROSS JOIN keeps
      // the planner from starting at the filter, which would probe FTS5 once per candidate
      // chunk (seconds over 100k).
      const joins = 'CROSS JOIN chunks c ON c.id = f.rowid CROSS JOIN search_sources s ON s.id = c.source_id';
      return ranked(`${joins} WHERE ${filter.sql} AND`, filter.params);
    }
    // A narrow filter: rank order would walk past most of the index's matches to reach a few
    // of these. A source's chunks have consecutive ids (written in one transaction), so each
    // source is an id range FTS5 seeks to; bm25 scores compare across ranges (they share the
    // index statistics). FTS5's own rank order ignores a rowid range (5x slower), so SQLite
    // sorts the few matches instead.
    const range = this.sqlite.prepare(
      'SELECT min(id) AS low, max(id) AS high FROM chunks WHERE source_id = ?',
    );
    const inRange = this.sqlite.prepare(
      `SELECT f.rowid AS id, bm25(chunks_fts, ${BM25_WEIGHTS}) AS rank,
              snippet(chunks_fts, 0, ?, ?, '…', ${SNIPPET_TOKENS}) AS snippet
       FROM chunks_fts f WHERE f.rowid BETWEEN ? AND ? AND chunks_fts MATCH ?
       ORDER BY rank LIMIT ?`,
    );
    return sources
      .flatMap((id) => {
        const { low, high } = range.get(id) as { low: number | null; high: number | null };
        if (low === null || high === null) return [];
        return inRange.all(MARK_START, MARK_END, low, high, expression, limit) as FtsMatch[];
      })
      .sort((a, b) => a.rank - b.rank)
      .slice(0, limit);
  }

  /** The passages of these chunks, with their sources, as hits lack only the ranking. */
  private hydrate(ids: number[]): Map<number, Passage> {
    if (ids.length === 0) return new Map();
    const rows = this.sqlite
      .prepare(`${PASSAGE_SELECT} AND c.id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as PassageRow[];
    return new Map(rows.map((row) => [row.id, toPassage(row)]));
  }

  /** Every passage of one source, in its order (what generation reads a material or lecture as). */
  passagesOf(ref: SourceRef): Passage[] {
    const rows = this.sqlite
      .prepare(`${PASSAGE_SELECT} AND s.kind = ? AND s.ref_id = ? ORDER BY c.ordinal`)
      .all(ref.kind, ref.id) as PassageRow[];
    return rows.map(toPassage);
  }
}

/** Passages with their source, never of a source being removed (its deletion is under way). */
const PASSAGE_SELECT = `SELECT c.id, s.kind, s.ref_id AS refId, s.title, s.material_type AS materialType, s.class_id AS classId,
         c.page_start AS pageStart, c.page_end AS pageEnd, c.spans, c.time_start_ms AS timeStartMs,
         c.time_end_ms AS timeEndMs, c.heading, c.text
  FROM chunks c JOIN search_sources s ON s.id = c.source_id
  WHERE s.removing = 0`;

export type Passage = Pick<
  SearchHit,
  'chunkId' | 'ref' | 'title' | 'materialType' | 'classId' | 'location' | 'heading' | 'text'
>;

interface PassageRow {
  id: number;
  kind: SourceKind;
  refId: string;
  title: string;
  materialType: SearchHit['materialType'];
  classId: string | null;
  pageStart: number | null;
  pageEnd: number | null;
  spans: string;
  timeStartMs: number | null;
  timeEndMs: number | null;
  heading: string | null;
  text: string;
}

/** A recording's passage is placed by its time range, a document's by its pages and spans. */
function locationOf(row: PassageRow): SourceLocation {
  if (row.timeStartMs !== null) {
    return {
      kind: 'time',
      startSec: row.timeStartMs / 1000,
      endSec: (row.timeEndMs ?? row.timeStartMs) / 1000,
    };
  }
  return {
    kind: 'pages',
    pageStart: row.pageStart,
    pageEnd: row.pageEnd,
    spans: JSON.parse(row.spans) as ChunkSpan[],
  };
}

const toPassage = (row: PassageRow): Passage => ({
  chunkId: row.id,
  ref: { kind: row.kind, id: row.refId },
  title: row.title,
  materialType: row.materialType,
  classId: row.classId,
  location: locationOf(row),
  heading: row.heading,
  text: row.text,
});

/** The start of a chunk, cut at a word, for hits found by meaning alone. */
function plainSnippet(text: string, words = SNIPPET_TOKENS): string {
  // Marks are the snippet's own syntax: a chunk's text must not bring its own.
  const clean = text.replaceAll(MARK_START, '').replaceAll(MARK_END, '').replace(/\s+/g, ' ').trim();
  const cut = clean.split(' ').slice(0, words).join(' ');
  return cut.length < clean.length ? `${cut}…` : cut;
}
