import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError } from '../contract/index.js';

/** A model's vector index as `embedding_indexes` records it. */
export interface EmbeddingIndex {
  modelId: string;
  dimensions: number;
  /** The base name of the model's tables (see tablesOf). */
  tableName: string;
  status: 'building' | 'ready';
  createdAt: string;
}

/**
 * The two tables of a model's vectors, keyed by chunk id:
 * - `floats`: the exact vectors (float32 BLOBs, unit length) in a plain rowid table, read by id
 *   to rescore a shortlist and scanned for searches within a narrow filter;
 * - `bits`: their signs (1 bit a dimension, 32x smaller) in a sqlite-vec vec0 table split into
 *   SHARDS partitions, where a search takes a shortlist by hamming distance.
 * Before this layout a model had one float vec0 table named `tableName` (see upgradeLegacy).
 */
export interface VectorTableNames {
  floats: string;
  bits: string;
}

/**
 * Partitions of the binary table. sqlite-vec picks a partition's best k by k passes over each
 * chunk of it, so one table asked for a shortlist of 128 costs ~10 ms over 100k vectors; 8
 * partitions asked for 16 each give the same shortlist for an eighth of that work
 * (bench/vector-search.bench.ts).
 */
export const SHARDS = 8;

export const tablesOf = (index: Pick<EmbeddingIndex, 'tableName'>): VectorTableNames => ({
  floats: `${index.tableName}_floats`,
  bits: `${index.tableName}_bits`,
});

/**
 * The table name for a model: readable, a safe SQL identifier whatever the id holds, and
 * distinct for ids that read alike ("bge-small" and "bge_small").
 */
export function vectorTableName(modelId: string): string {
  const readable = modelId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 40);
  const hash = createHash('sha256').update(modelId).digest('hex').slice(0, 8);
  return `chunk_vec_${readable}_${hash}`;
}

/** The vector tables of `embedding_indexes`, one set per embedding model that has vectors. */
export class VectorTables {
  constructor(private readonly sqlite: Database.Database) {}

  list(): EmbeddingIndex[] {
    return this.sqlite
      .prepare(
        'SELECT model_id AS modelId, dimensions, table_name AS tableName, status, created_at AS createdAt FROM embedding_indexes',
      )
      .all() as EmbeddingIndex[];
  }

  find(modelId: string): EmbeddingIndex | undefined {
    return this.list().find((index) => index.modelId === modelId);
  }

  /** The model's tables, created on first use or when its dimensions changed. */
  ensure(modelId: string, dimensions: number): EmbeddingIndex {
    if (!Number.isInteger(dimensions) || dimensions <= 0 || dimensions > 8192) {
      throw new Error(`Invalid embedding dimensions ${dimensions}`);
    }
    const existing = this.find(modelId);
    // A legacy index is upgraded by the embed job (upgradeLegacy); here it is rebuilt.
    if (existing?.dimensions === dimensions && !this.isLegacy(existing)) return existing;
    const index: EmbeddingIndex = {
      modelId,
      dimensions,
      tableName: vectorTableName(modelId),
      status: 'building',
      createdAt: new Date().toISOString(),
    };
    this.sqlite.transaction(() => {
      if (existing) this.drop(existing.modelId);
      this.createTables(index);
      this.sqlite
        .prepare(
          'INSERT INTO embedding_indexes (model_id, dimensions, table_name, status, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(index.modelId, index.dimensions, index.tableName, index.status, index.createdAt);
    })();
    return index;
  }

  private createTables(index: EmbeddingIndex): void {
    const { floats, bits } = tablesOf(index);
    this.sqlite.exec(`CREATE TABLE "${floats}" (id INTEGER PRIMARY KEY, embedding BLOB NOT NULL)`);
    // The bit width must be a multiple of 8: padding dimensions are zero.
    this.sqlite.exec(
      `CREATE VIRTUAL TABLE "${bits}" USING vec0(shard integer partition key, embedding bit[${paddedBits(index.dimensions)}])`,
    );
  }

  drop(modelId: string): void {
    const index = this.find(modelId);
    if (!index) return;
    const { floats, bits } = tablesOf(index);
    this.sqlite.transaction(() => {
      for (const table of [index.tableName, floats, bits])
        this.sqlite.exec(`DROP TABLE IF EXISTS "${table}"`);
      this.sqlite.prepare('DELETE FROM embedding_indexes WHERE model_id = ?').run(modelId);
    })();
  }

  setStatus(modelId: string, status: EmbeddingIndex['status']): void {
    this.sqlite.prepare('UPDATE embedding_indexes SET status = ? WHERE model_id = ?').run(status, modelId);
  }

  /** Stores vectors (unit length, the index's dimensions) for these chunk ids, in both tables. */
  write(index: EmbeddingIndex, rows: { id: number; vector: Float32Array }[]): void {
    const { floats, bits } = tablesOf(index);
    const insertFloat = this.sqlite.prepare(
      `INSERT OR REPLACE INTO "${floats}" (id, embedding) VALUES (?, ?)`,
    );
    const deleteBits = this.sqlite.prepare(`DELETE FROM "${bits}" WHERE rowid = ?`);
    const insertBits = this.sqlite.prepare(
      `INSERT INTO "${bits}" (rowid, shard, embedding) VALUES (?, ?, vec_quantize_binary(?))`,
    );
    const padding = paddedBits(index.dimensions) - index.dimensions;
    this.sqlite.transaction(() => {
      for (const { id, vector } of rows) {
        insertFloat.run(id, floatBytes(vector));
        deleteBits.run(BigInt(id));
        insertBits.run(BigInt(id), BigInt(id % SHARDS), padding ? padded(vector, padding) : vector);
      }
    })();
  }

  /** Removes the vectors of these chunks from every model's tables (foreign keys do not reach them). */
  deleteVectors(chunkIds: number[]): void {
    if (chunkIds.length === 0) return;
    for (const index of this.list()) {
      const { floats, bits } = tablesOf(index);
      // Point deletes by id: a `rowid IN (subquery)` delete would scan the whole vec0 table.
      const removeFloat = this.sqlite.prepare(`DELETE FROM "${floats}" WHERE id = ?`);
      const removeBits = this.sqlite.prepare(`DELETE FROM "${bits}" WHERE rowid = ?`);
      const removeLegacy = this.isLegacy(index)
        ? this.sqlite.prepare(`DELETE FROM "${index.tableName}" WHERE rowid = ?`)
        : null;
      for (const id of chunkIds) {
        if (removeLegacy) {
          removeLegacy.run(BigInt(id));
          continue;
        }
        removeFloat.run(id);
        removeBits.run(BigInt(id));
      }
    }
  }

  /** SQL true for a chunk (aliased `alias`) that has no vector in the model's tables. */
  missingVector(index: EmbeddingIndex, alias: string): string {
    return `NOT EXISTS (SELECT 1 FROM "${tablesOf(index).floats}" v WHERE v.id = ${alias}.id)`;
  }

  hasVectors(index: EmbeddingIndex): boolean {
    return Boolean(this.sqlite.prepare(`SELECT 1 FROM "${tablesOf(index).floats}" LIMIT 1`).get());
  }

  /** Indexes still in the layout before this one: a single float vec0 table, to copy over. */
  legacy(): EmbeddingIndex[] {
    return this.list().filter((index) => this.isLegacy(index));
  }

  private isLegacy(index: EmbeddingIndex): boolean {
    const exists = this.sqlite
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .pluck();
    return !exists.get(tablesOf(index).floats) && Boolean(exists.get(index.tableName));
  }

  /**
   * Copies a legacy index's vectors into this layout in batches (no re-embedding), then drops the
   * old table. Interrupted, the next run starts over from the old table, which stays until the
   * copy is complete. Returns the vectors copied.
   */
  async upgradeLegacy(
    index: EmbeddingIndex,
    { batchSize = 2000, signal, onProgress }: UpgradeOptions = {},
  ): Promise<number> {
    const legacyTable = index.tableName;
    const total = this.sqlite.prepare(`SELECT count(*) FROM "${legacyTable}"`).pluck().get() as number;
    const { floats, bits } = tablesOf(index);
    this.sqlite.transaction(() => {
      for (const table of [floats, bits]) this.sqlite.exec(`DROP TABLE IF EXISTS "${table}"`);
      this.createTables(index);
    })();
    const next = this.sqlite.prepare(
      `SELECT rowid AS id, embedding FROM "${legacyTable}" WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    );
    let after = 0;
    let copied = 0;
    onProgress?.(copied, total);
    for (;;) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      // Between batches the engine answers calls.
      await new Promise((resolve) => setImmediate(resolve));
      const rows = next.all(after, batchSize) as { id: number; embedding: Buffer }[];
      if (rows.length === 0) break;
      this.write(
        index,
        rows.map((row) => ({ id: row.id, vector: floatView(row.embedding) })),
      );
      after = rows.at(-1)!.id;
      copied += rows.length;
      onProgress?.(copied, total);
    }
    this.sqlite.exec(`DROP TABLE "${legacyTable}"`);
    return copied;
  }
}

export interface UpgradeOptions {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (copied: number, total: number) => void;
}

const paddedBits = (dimensions: number) => Math.ceil(dimensions / 8) * 8;

function padded(vector: Float32Array, padding: number): Float32Array {
  const out = new Float32Array(vector.length + padding);
  out.set(vector);
  return out;
}

const floatBytes = (vector: Float32Array) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

/** A Float32Array over a float32 BLOB, copied only when the bytes are not 4-aligned. */
export function floatView(blob: Buffer): Float32Array {
  if (blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
  return new Float32Array(Uint8Array.prototype.slice.call(blob).buffer);
}
