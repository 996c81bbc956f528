import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** A model's vector index as `embedding_indexes` records it. */
export interface EmbeddingIndex {
  modelId: string;
  dimensions: number;
  tableName: string;
  status: 'building' | 'ready';
  createdAt: string;
}

/**
 * The vec0 table name for a model: readable, a safe SQL identifier whatever the id holds, and
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

/** The vec0 tables of `embedding_indexes`, one per embedding model that has vectors. */
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

  /** The model's table, created (cosine distance) on first use or when its dimensions changed. */
  ensure(modelId: string, dimensions: number): EmbeddingIndex {
    if (!Number.isInteger(dimensions) || dimensions <= 0 || dimensions > 8192) {
      throw new Error(`Invalid embedding dimensions ${dimensions}`);
    }
    const existing = this.find(modelId);
    if (existing?.dimensions === dimensions) return existing;
    const index: EmbeddingIndex = {
      modelId,
      dimensions,
      tableName: vectorTableName(modelId),
      status: 'building',
      createdAt: new Date().toISOString(),
    };
    this.sqlite.transaction(() => {
      if (existing) this.drop(existing.modelId);
      this.sqlite.exec(
        `CREATE VIRTUAL TABLE "${index.tableName}" USING vec0(embedding float[${dimensions}] distance_metric=cosine)`,
      );
      this.sqlite
        .prepare(
          'INSERT INTO embedding_indexes (model_id, dimensions, table_name, status, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(index.modelId, index.dimensions, index.tableName, index.status, index.createdAt);
    })();
    return index;
  }

  drop(modelId: string): void {
    const index = this.find(modelId);
    if (!index) return;
    this.sqlite.transaction(() => {
      this.sqlite.exec(`DROP TABLE IF EXISTS "${index.tableName}"`);
      this.sqlite.prepare('DELETE FROM embedding_indexes WHERE model_id = ?').run(modelId);
    })();
  }

  setStatus(modelId: string, status: EmbeddingIndex['status']): void {
    this.sqlite.prepare('UPDATE embedding_indexes SET status = ? WHERE model_id = ?').run(status, modelId);
  }

  /** Removes the vectors of these chunks from every model's table (foreign keys do not reach vec0). */
  deleteVectors(chunkIds: number[]): void {
    if (chunkIds.length === 0) return;
    for (const index of this.list()) {
      // Point deletes by rowid: a `rowid IN (subquery)` delete would scan the whole vec0 table.
      const remove = this.sqlite.prepare(`DELETE FROM "${index.tableName}" WHERE rowid = ?`);
      for (const id of chunkIds) remove.run(BigInt(id));
    }
  }
}
