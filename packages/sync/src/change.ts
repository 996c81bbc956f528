/**
 * What one sync message says, once decrypted: a change to one row of one synced table. The
 * desktop engine's change feed (table, row id, operation, changed columns, HLC timestamp)
 * becomes one change per record, stamped with the record's timestamp.
 */
import { z } from 'zod';
import { isTimestamp } from './hlc.js';

export const timestampSchema = z
  .string()
  .max(64)
  .refine(isTimestamp, 'A sync timestamp is ISO time, a 4-digit hex counter and a 16-digit hex node id.');

/** A synced table's name as the engine calls it. */
export const datasetSchema = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'A dataset is a table name.');
export const rowIdSchema = z.string().min(1).max(128);
/** Column names map to JSON values (dates as ISO strings, booleans as booleans). */
export const fieldsSchema = z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/), z.json());

export const changeSchema = z.discriminatedUnion('op', [
  /** Sets these columns of the row (creating it if needed); each column is last-writer-wins. */
  z.object({ op: z.literal('upsert'), dataset: datasetSchema, row: rowIdSchema, fields: fieldsSchema }),
  /** Deletes the row for good (a tombstone: later edits of its columns do not bring it back). */
  z.object({ op: z.literal('delete'), dataset: datasetSchema, row: rowIdSchema }),
  /** Adds an immutable row to an append-only log (a flashcard review). */
  z.object({ op: z.literal('append'), dataset: datasetSchema, row: rowIdSchema, fields: fieldsSchema }),
]);

export type Change = z.infer<typeof changeSchema>;
export type JsonValue = z.infer<ReturnType<typeof z.json>>;
export type Fields = Record<string, JsonValue>;

/** A change with the hybrid-logical-clock timestamp that orders it (unique per change). */
export type StampedChange = Change & { timestamp: string };

/**
 * One record of the engine's change feed (`changes` in packages/core, written in the same
 * transaction as the change): the fields sync reads.
 */
export interface ChangeRecord {
  /** The record's HLC timestamp, from the database's clock (the format of ./hlc.ts). */
  hlc: string;
  tableName: string;
  /** The row's primary key (a composite key's parts joined by ':'). */
  rowId: string;
  operation: 'insert' | 'update' | 'delete';
  /** The columns the change wrote (all of them for an insert); null for a delete. */
  columns: readonly string[] | null;
}

/**
 * The sync change for one change-feed record: `row` is the row as it is now (read when the
 * record is sent; its later edits have records of their own), and append-only tables send
 * their rows whole.
 */
export function changeFromRecord(
  record: ChangeRecord,
  row: Fields | undefined,
  appendOnly = false,
): StampedChange | undefined {
  const { tableName: dataset, rowId, hlc: timestamp } = record;
  if (record.operation === 'delete') return { op: 'delete', dataset, row: rowId, timestamp };
  // Deleted since: its delete record follows and says so.
  if (!row) return undefined;
  if (appendOnly) return { op: 'append', dataset, row: rowId, fields: { ...row }, timestamp };
  const fields: Fields = {};
  for (const column of record.columns ?? Object.keys(row)) if (column in row) fields[column] = row[column]!;
  return { op: 'upsert', dataset, row: rowId, fields, timestamp };
}
