import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { ChunkSpan, MaterialType, SourceKind } from '../../contract/index.js';

/**
 * Something search indexes: a material, a lecture's transcript, and later a note or a card,
 * named by its kind and id in the domain that owns it. What a search filters and a hit shows
 * (title, class, type, date) is kept here, so a search never reads another domain's tables; the
 * owning domain keeps it current.
 */
export const searchSources = sqliteTable(
  'search_sources',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').$type<SourceKind>().notNull(),
    refId: text('ref_id').notNull(),
    title: text('title').notNull(),
    classId: text('class_id'),
    /** For materials: pdf, slides… (null for other kinds). */
    materialType: text('material_type').$type<MaterialType>(),
    /** When it entered the app (imported, recorded): the date filter. */
    addedAt: text('added_at').notNull(),
    /** Deleted, its passages still being removed a piece at a time: no search shows it. */
    removing: integer('removing', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    uniqueIndex('search_sources_ref_idx').on(t.kind, t.refId),
    index('search_sources_class_idx').on(t.classId),
    index('search_sources_added_idx').on(t.addedAt),
  ],
);

/**
 * A passage of a source sized for retrieval, remembering exactly where it came from: pages and
 * character spans, or a time range in a recording. The integer id is the rowid shared with the
 * FTS5 index and the sqlite-vec tables.
 */
export const chunks = sqliteTable(
  'chunks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: integer('source_id')
      .notNull()
      .references(() => searchSources.id),
    ordinal: integer('ordinal').notNull(),
    text: text('text').notNull(),
    /** The nearest heading (or slide title) above the passage, for context and display. */
    heading: text('heading'),
    tokenCount: integer('token_count').notNull(),
    pageStart: integer('page_start'),
    pageEnd: integer('page_end'),
    spans: text('spans', { mode: 'json' }).$type<ChunkSpan[]>().notNull().default([]),
    /** For recordings: the passage's time range in milliseconds. */
    timeStartMs: integer('time_start_ms'),
    timeEndMs: integer('time_end_ms'),
  },
  (t) => [index('chunks_source_idx').on(t.sourceId, t.ordinal)],
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
