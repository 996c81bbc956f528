import type Database from 'better-sqlite3';
import { AppError, type ChunkSpan, type MaterialType, type SourceRef } from '../contract/index.js';
import type { Embedder } from '../ai/embedder/embedder.js';
import { filterCondition, type SearchFilter } from './search-filter.js';
import { VectorTables, type EmbeddingIndex, type UpgradeOptions } from './vector-tables.js';

/** A passage to store: pages and spans for a document, a time range for a recording. */
export interface ChunkInput {
  text: string;
  heading: string | null;
  tokenCount: number;
  pageStart: number | null;
  pageEnd: number | null;
  spans: ChunkSpan[];
  timeStartMs?: number | null;
  timeEndMs?: number | null;
}

/** What a search filters a source by and a hit shows of it; the owning domain keeps it current. */
export interface SourceDetails {
  title: string;
  classId: string | null;
  /** A material's type; null for other kinds. */
  materialType: MaterialType | null;
  /** When it entered the app (imported, recorded). */
  addedAt: string;
}

export interface EmbedProgress {
  embedded: number;
  total: number;
}

export interface EmbedOptions {
  signal?: AbortSignal;
  onProgress?: (progress: EmbedProgress) => void;
  /** Chunks per embedding call and per write transaction. Default 16. */
  batchSize?: number;
}

export interface EmbedResult {
  modelId: string;
  /** Vectors written by this run. */
  embedded: number;
  /** Chunks still without a vector (added while it ran). */
  pending: number;
}

const DEFAULT_BATCH = 16;

/** The text a chunk is embedded as: its heading gives a passage its context. */
export const embeddingText = (chunk: { text: string; heading: string | null }) =>
  chunk.heading && !chunk.text.startsWith(chunk.heading) ? `${chunk.heading}\n${chunk.text}` : chunk.text;

/**
 * Stores each source's passages and keeps every index made from them in step: the FTS5 keyword
 * index follows `chunks` by trigger; the vectors live in one vec0 table per embedding model, which no foreign
 * key reaches, so this class removes them itself.
 */
export class SearchIndex {
  readonly vectors: VectorTables;
  /** One embedding run at a time: two would embed the same pending chunks twice. */
  private embedding: Promise<unknown> = Promise.resolve();

  /** `sqlite`: the app's connection (OpenedDatabase.sqlite), with sqlite-vec loaded. */
  constructor(private readonly sqlite: Database.Database) {
    this.vectors = new VectorTables(sqlite);
  }

  /** Replaces a source's details and passages in one transaction (inside the caller's, if there is one). */
  replaceSource(ref: SourceRef, details: SourceDetails, chunks: ChunkInput[]): number[] {
    return this.sqlite.transaction(() => {
      const sourceId = this.upsertSource(ref, details);
      this.deleteChunks(sourceId);
      return this.insertChunks(sourceId, 0, chunks);
    })();
  }

  /**
   * Adds passages after a source's last one, for a long document written a piece at a time
   * (each piece a short transaction). The source must have been written by `replaceSource`.
   */
  appendChunks(ref: SourceRef, chunks: ChunkInput[]): number[] {
    if (chunks.length === 0) return [];
    return this.sqlite.transaction(() => {
      const sourceId = this.sourceId(ref);
      if (sourceId === undefined)
        throw new Error(`No search source ${ref.kind} ${ref.id} to add passages to`);
      const next = this.sqlite
        .prepare('SELECT coalesce(max(ordinal) + 1, 0) FROM chunks WHERE source_id = ?')
        .pluck()
        .get(sourceId) as number;
      return this.insertChunks(sourceId, next, chunks);
    })();
  }

  private insertChunks(sourceId: number, firstOrdinal: number, chunks: ChunkInput[]): number[] {
    const insert = this.sqlite.prepare(
      `INSERT INTO chunks (source_id, ordinal, text, heading, token_count, page_start, page_end, spans, time_start_ms, time_end_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    return chunks.map((chunk, index) => {
      const row = insert.get(
        sourceId,
        firstOrdinal + index,
        chunk.text,
        chunk.heading,
        chunk.tokenCount,
        chunk.pageStart,
        chunk.pageEnd,
        JSON.stringify(chunk.spans),
        chunk.timeStartMs ?? null,
        chunk.timeEndMs ?? null,
      ) as { id: number };
      return row.id;
    });
  }

  /** Changes what a search shows of an indexed source (renamed, moved to another class); nothing if it is not indexed. */
  describeSource(ref: SourceRef, details: Partial<Pick<SourceDetails, 'title' | 'classId'>>): void {
    const columns = { title: 'title', classId: 'class_id' } as const;
    const set = (Object.keys(columns) as (keyof typeof columns)[]).filter(
      (key) => details[key] !== undefined,
    );
    if (set.length === 0) return;
    this.sqlite
      .prepare(
        `UPDATE search_sources SET ${set.map((key) => `${columns[key]} = @${key}`).join(', ')} WHERE kind = @kind AND ref_id = @id`,
      )
      .run({ ...details, kind: ref.kind, id: ref.id });
  }

  /**
   * Removes up to `limit` of a source's last passages (vectors and keyword entries with them);
   * returns how many went. A book-sized source is emptied this way, a short transaction at a
   * time, before `removeSource`.
   */
  trimSource(ref: SourceRef, limit: number): number {
    return this.sqlite.transaction(() => {
      const sourceId = this.sourceId(ref);
      if (sourceId === undefined) return 0;
      const ids = this.sqlite
        .prepare('SELECT id FROM chunks WHERE source_id = ? ORDER BY ordinal DESC LIMIT ?')
        .pluck()
        .all(sourceId, limit) as number[];
      this.vectors.deleteVectors(ids);
      const remove = this.sqlite.prepare('DELETE FROM chunks WHERE id = ?');
      for (const id of ids) remove.run(id);
      return ids.length;
    })();
  }

  /**
   * Takes a source out of every search at once, before its passages are removed a piece at a time
   * (`trimSource`, then `removeSource`); nothing if it is not indexed.
   */
  retireSource(ref: SourceRef): void {
    this.sqlite
      .prepare('UPDATE search_sources SET removing = 1 WHERE kind = ? AND ref_id = ?')
      .run(ref.kind, ref.id);
  }

  /** Removes a source: its vectors, its chunks (and by trigger their keyword entries), its details. */
  removeSource(ref: SourceRef): void {
    this.sqlite.transaction(() => {
      const sourceId = this.sourceId(ref);
      if (sourceId === undefined) return;
      this.deleteChunks(sourceId);
      this.sqlite.prepare('DELETE FROM search_sources WHERE id = ?').run(sourceId);
    })();
  }

  /** The ids of every source of `kind` in the index (being removed or not). */
  sourceIdsOf(kind: SourceRef['kind']): Set<string> {
    const rows = this.sqlite.prepare('SELECT ref_id FROM search_sources WHERE kind = ?').pluck().all(kind);
    return new Set(rows as string[]);
  }

  /** The text of the first `limit` passages of the sources the filter keeps, in index order. */
  texts(filter: SearchFilter, limit: number): string[] {
    const { sql, params } = filterCondition(filter);
    return this.sqlite
      .prepare(
        `SELECT c.text FROM chunks c JOIN search_sources s ON s.id = c.source_id
         WHERE s.removing = 0 ${sql ? `AND ${sql}` : ''} ORDER BY c.id LIMIT ?`,
      )
      .pluck()
      .all(...params, limit) as string[];
  }

  /** Whether the source is indexed (it may have no passages: a scan without readable text). */
  hasSource(ref: SourceRef): boolean {
    return this.sourceId(ref) !== undefined;
  }

  private sourceId(ref: SourceRef): number | undefined {
    return this.sqlite
      .prepare('SELECT id FROM search_sources WHERE kind = ? AND ref_id = ?')
      .pluck()
      .get(ref.kind, ref.id) as number | undefined;
  }

  private upsertSource(ref: SourceRef, details: SourceDetails): number {
    return this.sqlite
      .prepare(
        `INSERT INTO search_sources (kind, ref_id, title, class_id, material_type, added_at)
         VALUES (@kind, @id, @title, @classId, @materialType, @addedAt)
         ON CONFLICT (kind, ref_id) DO UPDATE SET title = @title, class_id = @classId,
           material_type = @materialType, added_at = @addedAt
         RETURNING id`,
      )
      .pluck()
      .get({ ...details, kind: ref.kind, id: ref.id }) as number;
  }

  private deleteChunks(sourceId: number): void {
    const ids = this.sqlite
      .prepare('SELECT id FROM chunks WHERE source_id = ?')
      .pluck()
      .all(sourceId) as number[];
    this.vectors.deleteVectors(ids);
    this.sqlite.prepare('DELETE FROM chunks WHERE source_id = ?').run(sourceId);
  }

  /** Chunks that have no vector yet in the model's table (all of them when it has none). */
  pendingCount(modelId: string): number {
    const index = this.vectors.find(modelId);
    if (!index) return this.sqlite.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
    return this.sqlite
      .prepare(`SELECT count(*) FROM chunks c WHERE ${this.vectors.missingVector(index, 'c')}`)
      .pluck()
      .get() as number;
  }

  /**
   * Embeds every chunk the embedder's table lacks, in batches, creating the table on first use.
   * Safe to stop at any point and run again: it continues where it stopped.
   */
  embedPending(embedder: Embedder, options: EmbedOptions = {}): Promise<EmbedResult> {
    return this.exclusive(() => this.embedPendingNow(embedder, options));
  }

  /** Rebuilds the embedder's vectors from scratch and drops every other model's table. */
  reembedAll(embedder: Embedder, options: EmbedOptions = {}): Promise<EmbedResult> {
    return this.exclusive(() => {
      for (const index of this.vectors.list()) this.vectors.drop(index.modelId);
      return this.embedPendingNow(embedder, options);
    });
  }

  /** Drops the vector tables of every model but `modelId` (they cannot answer its queries). */
  dropOtherModels(modelId: string): Promise<string[]> {
    return this.exclusive(() => {
      const dropped = this.vectors.list().filter((index) => index.modelId !== modelId);
      for (const index of dropped) this.vectors.drop(index.modelId);
      return dropped.map((index) => index.modelId);
    });
  }

  /**
   * Copies the model's vectors from the layout before the binary index, if they are still in it:
   * once, on upgrade, with progress (vector-tables.ts). Returns how many were copied.
   */
  upgradeLegacy(modelId: string, options: UpgradeOptions = {}): Promise<number> {
    return this.exclusive(async () => {
      const legacy = this.vectors.legacy().find((index) => index.modelId === modelId);
      return legacy ? this.vectors.upgradeLegacy(legacy, options) : 0;
    });
  }

  /** Drops one model's vectors (e.g. to rebuild them), once no embedding run is using them. */
  dropModel(modelId: string): Promise<void> {
    return this.exclusive(() => this.vectors.drop(modelId));
  }

  private exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.embedding.then(work);
    this.embedding = run.catch(() => undefined);
    return run;
  }

  private async embedPendingNow(embedder: Embedder, options: EmbedOptions): Promise<EmbedResult> {
    const { signal, onProgress } = options;
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const index = this.vectors.ensure(embedder.modelId, embedder.dimensions);
    const total = this.pendingCount(embedder.modelId);
    if (total > 0) this.vectors.setStatus(index.modelId, 'building');
    const nextBatch = this.sqlite.prepare(
      `SELECT c.id, c.text, c.heading FROM chunks c
       WHERE c.id > ? AND ${this.vectors.missingVector(index, 'c')}
       ORDER BY c.id LIMIT ?`,
    );
    let embedded = 0;
    let after = 0;
    onProgress?.({ embedded, total });
    for (;;) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      const batch = nextBatch.all(after, batchSize) as { id: number; text: string; heading: string | null }[];
      if (batch.length === 0) break;
      const vectors = await embedder.embed(batch.map(embeddingText), signal);
      embedded += this.storeVectors(index, batch, vectors);
      after = batch.at(-1)!.id;
      onProgress?.({ embedded, total: Math.max(total, embedded) });
    }
    const pending = this.pendingCount(embedder.modelId);
    if (pending === 0) this.vectors.setStatus(index.modelId, 'ready');
    return { modelId: embedder.modelId, embedded, pending };
  }

  /** Writes vectors for chunks that still exist (a source may have been removed meanwhile). */
  private storeVectors(index: EmbeddingIndex, batch: { id: number }[], vectors: Float32Array[]): number {
    if (vectors.length !== batch.length || vectors.some((v) => v.length !== index.dimensions)) {
      throw new AppError(
        'INTERNAL',
        `The embedding model "${index.modelId}" returned vectors of the wrong size (expected ${index.dimensions}).`,
      );
    }
    const exists = this.sqlite.prepare('SELECT 1 FROM chunks WHERE id = ?').pluck();
    return this.sqlite.transaction(() => {
      const rows = batch.flatMap((chunk, i) =>
        exists.get(chunk.id) ? [{ id: chunk.id, vector: vectors[i]! }] : [],
      );
      this.vectors.write(index, rows);
      return rows.length;
    })();
  }

  /** The vector index the embedder's queries can use, if it has any vectors. */
  usableIndex(modelId: string): EmbeddingIndex | undefined {
    const index = this.vectors.find(modelId);
    if (!index || this.vectors.legacy().some((legacy) => legacy.modelId === modelId)) return undefined;
    return this.vectors.hasVectors(index) ? index : undefined;
  }
}
