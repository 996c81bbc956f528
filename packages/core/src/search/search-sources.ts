import type { Embedder } from '../ai/embedder/embedder.js';
import type { SearchHit, SourceKind, SourceRef } from '../contract/index.js';
import type { RegisteredJob } from '../jobs/job-handler.js';
import { embedJob } from './embed-job.js';
import type { HybridSearch, Passage, SearchRequest, SearchResults } from './hybrid-search.js';
import type { SearchFilter } from './search-filter.js';
import type { ChunkInput, SearchIndex, SourceDetails } from './search-index.js';

/**
 * One kind of source's way into search, held by the domain that owns that kind. Every write
 * runs inside the caller's transaction when there is one, so a source's passages change
 * together with the rows they come from.
 */
export interface SearchSource {
  readonly kind: SourceKind;
  /** Replaces the source's passages and what a hit shows of it. */
  replace(id: string, details: SourceDetails, chunks: ChunkInput[]): void;
  /** Adds passages after the last ones `replace` (or an earlier `append`) wrote: a long document, a piece at a time. */
  append(id: string, chunks: ChunkInput[]): void;
  /** The source was renamed or moved to another class; nothing happens if it has no passages. */
  describe(id: string, details: Partial<Pick<SourceDetails, 'title' | 'classId'>>): void;
  remove(id: string): void;
  /** Takes the source out of every search at once; its passages are then removed with `trim` and `remove`. */
  retire(id: string): void;
  /** Removes up to `limit` of the source's passages, returning how many went (emptying a long one a piece at a time). */
  trim(id: string, limit: number): number;
  /** The ids of this kind's sources in the index (to find what an earlier version left out). */
  indexedIds(): Set<string>;
}

/** Places a hit of the source more precisely for the query (a lecture: at the line that matched). */
export type HitRefiner = <H extends Pick<SearchHit, 'ref' | 'location'>>(hit: H, query: string) => H;

export interface SearchSourcesOptions {
  index: SearchIndex;
  search: HybridSearch;
  /** Runs an effect once the caller's transaction has committed (the Store's). */
  afterCommit(effect: () => void): void;
}

/**
 * Search over typed sources: each kind (material, lecture, later note and card) is registered
 * once by the domain that owns it, and that domain alone writes its passages. Hits name their
 * source by `SourceRef`, with a location that suits its kind (pages and spans, or seconds).
 */
export class SearchSources {
  private readonly kinds = new Set<SourceKind>();
  private readonly refiners = new Map<SourceKind, HitRefiner>();
  private readonly indexedListeners = new Set<() => void>();
  private readonly changeListeners = new Set<(refs: SourceRef[]) => void>();
  /** Sources whose passages changed in the transaction being committed, told once after it. */
  private changedRefs = new Map<string, SourceRef>();

  constructor(private readonly options: SearchSourcesOptions) {}

  register(kind: SourceKind, refine?: HitRefiner): SearchSource {
    if (this.kinds.has(kind)) throw new Error(`The search source "${kind}" is registered twice`);
    this.kinds.add(kind);
    if (refine) this.refiners.set(kind, refine);
    const { index } = this.options;
    const ref = (id: string): SourceRef => ({ kind, id });
    return {
      kind,
      replace: (id, details, chunks) => {
        index.replaceSource(ref(id), details, chunks);
        this.options.afterCommit(() => this.indexed());
        this.changed(ref(id));
      },
      append: (id, chunks) => {
        if (index.appendChunks(ref(id), chunks).length > 0) {
          this.options.afterCommit(() => this.indexed());
          this.changed(ref(id));
        }
      },
      describe: (id, details) => index.describeSource(ref(id), details),
      remove: (id) => {
        index.removeSource(ref(id));
        this.changed(ref(id));
      },
      retire: (id) => {
        index.retireSource(ref(id));
        this.changed(ref(id));
      },
      trim: (id, limit) => {
        const removed = index.trimSource(ref(id), limit);
        if (removed > 0) this.changed(ref(id));
        return removed;
      },
      indexedIds: () => index.sourceIdsOf(kind),
    };
  }

  async search(request: SearchRequest): Promise<SearchResults> {
    const results = await this.options.search.search(request);
    const hits = results.hits.map((hit) => this.refiners.get(hit.ref.kind)?.(hit, request.query) ?? hit);
    return { ...results, hits };
  }

  /** The text of the first `limit` passages the filter keeps, in index order (e.g. a class's vocabulary). */
  texts(filter: SearchFilter, limit: number): string[] {
    return this.options.index.texts(filter, limit);
  }

  /** The background job that embeds every passage without a vector from `currentEmbedder`. */
  embedJob(currentEmbedder: () => Promise<Embedder | null>): RegisteredJob {
    return embedJob(this.options.index, currentEmbedder);
  }

  /** Vectors an earlier version stored are waiting for the embed job to copy them into the binary index. */
  hasVectorsToUpgrade(): boolean {
    return this.options.index.vectors.legacy().length > 0;
  }

  /** Whether the source is indexed (it may have no passages: a scan without readable text). */
  hasSource(ref: SourceRef): boolean {
    return this.options.index.hasSource(ref);
  }

  /** Every passage of one source, in order, with its location (empty when it has none). */
  passagesOf(ref: SourceRef): Passage[] {
    return this.options.search.passagesOf(ref);
  }

  /**
   * Tells `listener` which sources' passages were replaced, added to or removed, once the
   * transaction that did it has committed (what was cited from them may have changed).
   */
  onSourcesChanged(listener: (refs: SourceRef[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(ref: SourceRef): void {
    this.changedRefs.set(`${ref.kind}:${ref.id}`, ref);
    // The first effect to run tells every source gathered; the others find none left. (A source
    // of a rolled-back transaction is told with the next commit: checking it again changes nothing.)
    this.options.afterCommit(() => {
      if (this.changedRefs.size === 0) return;
      const refs = [...this.changedRefs.values()];
      this.changedRefs = new Map();
      for (const listener of this.changeListeners) listener(refs);
    });
  }

  /** Tells `listener` after passages were written and committed (they need embedding). */
  onIndexed(listener: () => void): () => void {
    this.indexedListeners.add(listener);
    return () => this.indexedListeners.delete(listener);
  }

  private indexed(): void {
    for (const listener of this.indexedListeners) listener();
  }
}
