import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The account this computer is signed in to (one row, absent when signed out). Its tokens and
 * the unlocked sync key are in the OS keychain, never here.
 */
export const account = sqliteTable(
  'account',
  {
    id: integer('id').primaryKey(),
    serverUrl: text('server_url').notNull(),
    email: text('email').notNull(),
    signedInAt: text('signed_in_at').notNull(),
  },
  (t) => [check('account_single_row', sql`${t.id} = 1`)],
);
