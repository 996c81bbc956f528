import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Embedder } from '../ai/embedder/embedder.js';
import type {
  ChunkSpan,
  SearchHit as ContractSearchHit,
  SourceKind,
  SourceLocation,
} from '../contract/index.js';
import { buildKeywordQuery } from './fts-query.js';
import { reciprocalRankFusion, type Ranking } from './rank-fusion.js';
import type { SearchIndex } from './search-index.js';
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
}

export interface SearchResults {
  hits: SearchHit[];
  /** False when no embedding model is installed or nothing is embedded yet: keyword only. */
  semanticAvailable: boolean;
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
const BM25 = `bm25(${BM25_WEIGHTS})`;
const SNIPPET_TOKENS = 24;
/** A filter leaving at most this many sources is searched source by source. */
const FEW_SOURCES = 20;

/** A chunk found by meaning, with its cosine distance to the query. */
interface Neighbour {
  id: number;
  distance: number;
}

interface FtsMatch {
  id: number;
  /** bm25: lower is better. */
  rank: number;
  snippet: string;
}
/** sqlite-vec's largest k. */
const MAX_K = 4096;
/**
 * With a filter that leaves at most this share of the chunks, KNN runs over exactly those
 * (`rowid IN (...)`, exact); above it, over-fetching and filtering afterwards is faster. Measured
 * over 100k x 384 (bench/vector-search.bench.ts): filter-first 28 ms at 1%, 33 ms at 10%, 53 ms
 * at 50%, 80 ms at 90%; over-fetching ~49 ms throughout but short of answers below ~50%.
 */
const FILTER_FIRST_SHARE = 0.4;

export interface HybridSearchOptions {
  sqlite: Database.Database;
  index: SearchIndex;
  /** The selected embedder, or null when none is installed (keyword search only). */
  embedder: () => Embedder | null;
  logger?: Logger;
  /** Overrides FILTER_FIRST_SHARE (tests exercise both semantic filtering strategies with it). */
  filterFirstShare?: number;
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

  constructor(private readonly options: HybridSearchOptions) {
    this.sqlite = options.sqlite;
    this.fewSources = options.fewSources ?? FEW_SOURCES;
  }

  async search(request: SearchRequest): Promise<SearchResults> {
    const limit = Math.min(Math.max(1, Math.floor(request.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
    const mode = request.mode ?? 'hybrid';
    const filter = filterCondition(request);
    const embedder = this.options.embedder();
    const vectorTable = embedder && this.options.index.usableIndex(embedder.modelId)?.tableName;
    const semanticAvailable = Boolean(vectorTable);
    const useKeyword = mode !== 'semantic' || !semanticAvailable;
    const useSemantic = mode !== 'keyword' && semanticAvailable;
    const depth = useKeyword && useSemantic ? Math.max(FUSION_DEPTH, limit) : limit;

    const snippets = new Map<number, string>();
    const distances = new Map<number, number>();
    const rankings: Ranking<MatchedBy>[] = [];
    let matchedAllWords = false;
    if (useKeyword) {
      const keyword = this.keywordRanking(request.query, request.asYouType ?? true, filter, depth);
      keyword.snippets.forEach((snippet, id) => snippets.set(id, snippet));
      rankings.push({ source: 'keyword', ids: keyword.ids });
      matchedAllWords = keyword.matchedAllWords;
    }
    if (useSemantic && embedder && vectorTable && request.query.trim()) {
      try {
        const [vector] = await embedder.embed([request.query.trim()]);
        const nearest = this.semanticRanking(vectorTable, vector!, filter, depth);
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
      return [{ ...passage, snippet, score: result.score, matchedBy: result.sources, semanticSimilarity }];
    });
    return { hits, semanticAvailable };
  }

  /** FTS5 over chunks: all words first, then (if that found too few) any word; bm25 order. */
  private keywordRanking(
    text: string,
    asYouType: boolean,
    filter: SqlCondition,
    depth: number,
  ): { ids: number[]; snippets: Map<number, string>; matchedAllWords: boolean } {
    const query = buildKeywordQuery(text, { prefixLast: asYouType });
    const snippets = new Map<number, string>();
    if (!query) return { ids: [], snippets, matchedAllWords: false };
    let matchedAllWords = false;
    for (const expression of [query.all, query.any]) {
      if (!expression || snippets.size >= depth) continue;
      for (const match of this.ftsMatches(expression, filter, depth + snippets.size)) {
        if (snippets.size < depth && !snippets.has(match.id)) snippets.set(match.id, match.snippet);
      }
      if (expression === query.all) matchedAllWords = snippets.size > 0;
    }
    return { ids: [...snippets.keys()], snippets, matchedAllWords };
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

  /** Nearest chunks by cosine distance, within the filter. */
  private semanticRanking(
    table: string,
    vector: Float32Array,
    filter: SqlCondition,
    depth: number,
  ): Neighbour[] {
    if (!filter.sql) return this.knn(table, vector, depth);
    const candidates = `SELECT c.id FROM chunks c JOIN search_sources s ON s.id = c.source_id WHERE ${filter.sql}`;
    const count = this.sqlite
      .prepare(`SELECT count(*) FROM (${candidates})`)
      .pluck()
      .get(...filter.params) as number;
    if (count === 0) return [];
    const total = this.sqlite.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
    if (count > total * (this.options.filterFirstShare ?? FILTER_FIRST_SHARE)) {
      // A broad filter: the nearest few thousand almost surely hold enough matches.
      const nearest = this.knn(table, vector, Math.min(MAX_K, depth * 8));
      const kept = this.sqlite
        .prepare(
          `SELECT j.value ->> '$.id' AS id, j.value ->> '$.distance' AS distance
           FROM json_each(?) j JOIN chunks c ON c.id = j.value ->> '$.id' JOIN search_sources s ON s.id = c.source_id
           WHERE ${filter.sql} ORDER BY j.key LIMIT ?`,
        )
        .all(JSON.stringify(nearest), ...filter.params, depth) as Neighbour[];
      if (kept.length >= depth) return kept;
    }
    return this.sqlite
      .prepare(
        `SELECT rowid AS id, distance FROM "${table}" WHERE embedding MATCH ? AND k = ? AND rowid IN (${candidates}) ORDER BY distance`,
      )
      .all(vector, Math.min(depth, count, MAX_K), ...filter.params) as Neighbour[];
  }

  private knn(table: string, vector: Float32Array, k: number): Neighbour[] {
    return this.sqlite
      .prepare(
        `SELECT rowid AS id, distance FROM "${table}" WHERE embedding MATCH ? AND k = ? ORDER BY distance`,
      )
      .all(vector, Math.min(k, MAX_K)) as Neighbour[];
  }

  /** The passages of these chunks, with their sources, as hits lack only the ranking. */
  private hydrate(ids: number[]): Map<number, Passage> {
    if (ids.length === 0) return new Map();
    const rows = this.sqlite
      .prepare(
        `SELECT c.id, s.kind, s.ref_id AS refId, s.title, s.material_type AS materialType, s.class_id AS classId,
                c.page_start AS pageStart, c.page_end AS pageEnd, c.spans, c.time_start_ms AS timeStartMs,
                c.time_end_ms AS timeEndMs, c.heading, c.text
         FROM chunks c JOIN search_sources s ON s.id = c.source_id
         WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as PassageRow[];
    return new Map(rows.map((row) => [row.id, toPassage(row)]));
  }
}

type Passage = Pick<
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
