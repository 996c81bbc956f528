/**
 * Which tables of user data sync between a student's devices, and how a row travels: as JSON
 * fields named by SQL column (the names the change feed records), turned back into the values
 * drizzle writes on the other side.
 */
import type { Fields, JsonValue, SyncDatasets } from '@little-monster/sync';
import { eq, getTableColumns } from 'drizzle-orm';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { classes, classExams } from '../db/schema/index.js';
import type { StoreReader } from '../db/store.js';

/**
 * Classes and their exams sync now. Materials and recordings wait for their files to travel as
 * blobs; settings stay per computer (a theme or a job limit suits one machine).
 */
const SYNCED: readonly SQLiteTable[] = [classes, classExams];

export class SyncedTable {
  readonly name: string;
  private readonly key: SQLiteColumn;
  /** SQL column name to drizzle property and column. */
  private readonly columns = new Map<string, { property: string; column: SQLiteColumn }>();

  constructor(readonly table: SQLiteTable) {
    const config = getTableConfig(table);
    this.name = config.name;
    for (const [property, column] of Object.entries(getTableColumns(table)))
      this.columns.set(column.name, { property, column: column as SQLiteColumn });
    const keys = config.columns.filter((column) => column.primary);
    if (keys.length !== 1 || config.primaryKeys.length > 0)
      throw new Error(`A synced table needs a one-column primary key: ${this.name} has another.`);
    this.key = keys[0]!;
  }

  /** The row whose key is `rowId` (as the change feed writes it), as sync fields. */
  read(reader: StoreReader, rowId: string): Fields | undefined {
    const row = reader.select().from(this.table).where(this.whereKey(rowId)).get() as
      Record<string, unknown> | undefined;
    if (!row) return undefined;
    const fields: Fields = {};
    for (const [name, { property }] of this.columns) fields[name] = toJson(row[property]);
    return fields;
  }

  /** Sync fields as drizzle values by property, leaving out columns this version does not have. */
  values(fields: Fields): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) {
      const known = this.columns.get(name);
      if (!known || known.column === this.key) continue;
      values[known.property] =
        known.column.dataType === 'date' && typeof value === 'string' ? new Date(value) : value;
    }
    return values;
  }

  /** The values of a new row with key `rowId`. */
  newRow(rowId: string, fields: Fields): Record<string, unknown> {
    return { ...this.values(fields), [this.columns.get(this.key.name)!.property]: rowId };
  }

  whereKey(rowId: string) {
    return eq(this.key, rowId);
  }
}

function toJson(value: unknown): JsonValue {
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  return value as JsonValue;
}

export const syncedTables = new Map(
  SYNCED.map((table) => [getTableConfig(table).name, new SyncedTable(table)]),
);

/** Every synced table is last-writer-wins per column (the review log will be append-only). */
export const SYNC_DATASETS: SyncDatasets = Object.fromEntries(
  [...syncedTables.keys()].map((name) => [name, 'lww']),
);
