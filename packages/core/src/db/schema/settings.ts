import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One row per setting; the value is JSON and is validated by the contract's schema on read. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: text('updated_at').notNull(),
});
