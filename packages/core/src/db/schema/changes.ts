import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

export type ChangeOperation = 'insert' | 'update' | 'delete';

/**
 * The change feed: one row per row of user data a committed transaction inserted, updated or
 * deleted, written by the Store in that same transaction. Sync reads it; generated items use it
 * to notice that their source changed.
 */
export const changes = sqliteTable(
  'changes',
  {
    /** Local order of the feed. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    /** Hybrid logical clock timestamp (the format of @little-monster/sync's clock). */
    hlc: text('hlc').notNull(),
    tableName: text('table_name').notNull(),
    /** The row's primary key; a composite key's parts joined by ':'. */
    rowId: text('row_id').notNull(),
    operation: text('operation').$type<ChangeOperation>().notNull(),
    /** Column names written (every column for an insert); null for a delete. */
    columns: text('columns', { mode: 'json' }).$type<string[]>(),
  },
  (t) => [index('changes_hlc_idx').on(t.hlc), index('changes_row_idx').on(t.tableName, t.rowId)],
);

/** This database's identity in hybrid logical clock timestamps (one row). */
export const changeClock = sqliteTable(
  'change_clock',
  {
    id: integer('id').primaryKey(),
    nodeId: text('node_id').notNull(),
  },
  (t) => [check('change_clock_single_row', sql`${t.id} = 1`)],
);
