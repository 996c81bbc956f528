import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { materials } from './materials.js';

/** Where a chunk's text sits: a character range of one page's text. */
export interface ChunkSpan {
  page: number;
  start: number;
  end: number;
}

/**
 * A passage of a material sized for retrieval, remembering exactly where it came from. The
 * integer id is the rowid shared with the FTS5 index and the sqlite-vec tables.
 */
export const chunks = sqliteTable(
  'chunks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    materialId: text('material_id')
      .notNull()
      .references(() => materials.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    text: text('text').notNull(),
    /** The nearest heading (or slide title) above the passage, for context and display. */
    heading: text('heading'),
    tokenCount: integer('token_count').notNull(),
    pageStart: integer('page_start'),
    pageEnd: integer('page_end'),
    spans: text('spans', { mode: 'json' }).$type<ChunkSpan[]>().notNull().default([]),
    /** For lecture transcripts: the audio time range in milliseconds. */
    timeStartMs: integer('time_start_ms'),
    timeEndMs: integer('time_end_ms'),
  },
  (t) => [index('chunks_material_idx').on(t.materialId, t.ordinal)],
);

/** One vector index per embedding model (each has its own dimensions); rebuilt when the model changes. */
export const embeddingIndexes = sqliteTable('embedding_indexes', {
  modelId: text('model_id').primaryKey(),
  dimensions: integer('dimensions').notNull(),
  /** The vec0 table holding this model's vectors, keyed by chunk id. */
  tableName: text('table_name').notNull(),
  status: text('status').$type<'building' | 'ready'>().notNull(),
  createdAt: text('created_at').notNull(),
});
