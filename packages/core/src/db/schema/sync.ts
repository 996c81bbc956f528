import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Change, MerkleTree, RowClock } from '@little-monster/sync';

/**
 * Every sync message this database knows, its own and other devices', once each by timestamp:
 * what the Merkle tree is made of, and what is sent again when the server lacks something.
 * Not user data (the rows the messages change are), so the change feed does not record it.
 */
export const syncMessages = sqliteTable(
  'sync_messages',
  {
    /** The change's hybrid logical clock timestamp (unique per change). */
    timestamp: text('timestamp').primaryKey(),
    change: text('change', { mode: 'json' }).$type<Change>().notNull(),
    /** The server confirmed it (always true for a message that came from the server). */
    sent: integer('sent', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('sync_messages_unsent_idx').on(t.sent, t.timestamp)],
);

/** When each column of each synced row was last set, and its tombstone: what merging compares. */
export const syncRows = sqliteTable(
  'sync_rows',
  {
    dataset: text('dataset').notNull(),
    rowId: text('row_id').notNull(),
    clock: text('clock', { mode: 'json' }).$type<RowClock>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.dataset, t.rowId] })],
);

/** Where sync stands (one row). */
export const syncState = sqliteTable(
  'sync_state',
  {
    id: integer('id').primaryKey(),
    /** The last change-feed record turned into a message. */
    collectedSeq: integer('collected_seq').notNull(),
    /** The timestamp after which the next pull starts. */
    cursor: text('cursor'),
    merkle: text('merkle', { mode: 'json' }).$type<MerkleTree>().notNull(),
    lastSyncedAt: text('last_synced_at'),
    /** Why the last sync failed (cleared by the next one that succeeds). */
    lastError: text('last_error'),
  },
  (t) => [check('sync_state_single_row', sql`${t.id} = 1`)],
);
