import type Database from 'better-sqlite3';
import { HybridLogicalClock, newNodeId } from '@little-monster/sync';
import { and, desc, eq, getTableColumns, gt, type SQL } from 'drizzle-orm';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { AppDatabase } from './open-database.js';
import { changeClock, changes, type ChangeOperation } from './schema/changes.js';

type Row<T extends SQLiteTable> = T['$inferSelect'];
type NewRow<T extends SQLiteTable> = T['$inferInsert'];

/** Reads: drizzle's select builder on the app's connection (inside a transaction, they see its writes). */
export type StoreReader = Pick<AppDatabase, 'select'>;

/**
 * Writes to user data. Each one records, in the same transaction, a change per row it touched;
 * there is no other way for a domain to write.
 */
export interface StoreWriter extends StoreReader {
  insert<T extends SQLiteTable>(table: T, rows: NewRow<T> | NewRow<T>[]): Row<T>[];
  /** Sets `set` on the rows matching `where`; returns them as they are now. */
  update<T extends SQLiteTable>(table: T, set: Partial<NewRow<T>>, where: SQL): Row<T>[];
  /** Deletes the rows matching `where`; returns them as they were. */
  delete<T extends SQLiteTable>(table: T, where: SQL): Row<T>[];
  /** Inserts `row`, or sets `set` on the row with its primary key. */
  upsert<T extends SQLiteTable>(table: T, row: NewRow<T>, set: Partial<NewRow<T>>): Row<T>;
}

export interface TransactionOptions {
  /**
   * Wait until the commit is on the disk. The database runs with synchronous=NORMAL, which can
   * lose the last commits when the computer loses power; a recording's acknowledged chunks cannot.
   * Only the outermost transaction decides.
   */
  durable?: boolean;
  /**
   * Records this work's changes under `timestamp` instead of new ones: a change received from
   * another device keeps the time it was made at (sync knows it by that time and does not send
   * it back).
   */
  timestamp?: string;
}

/** What a domain is given of the database: reads, and transactions whose writes feed the change log. */
export interface DomainStore {
  readonly read: StoreReader;
  /**
   * Runs `work` in one transaction, or inside the caller's when there is one (a savepoint, so a
   * failure rolls back only `work` and the caller decides). Foreign keys are checked at the
   * outermost commit, so a domain may delete a row before the others clear their references to
   * it in the same transaction.
   */
  transaction<T>(work: (tx: StoreWriter) => T, options?: TransactionOptions): T;
  /** Runs `effect` once the outermost transaction has committed (at once outside one); dropped on rollback. */
  afterCommit(effect: () => void): void;
}

export interface ChangeRecord {
  seq: number;
  hlc: string;
  tableName: string;
  rowId: string;
  operation: ChangeOperation;
  columns: string[] | null;
}

interface TableShape {
  name: string;
  /** Property names of the primary key, in key order. */
  key: string[];
  /** Property name to column name. */
  columns: Map<string, string>;
  keyColumns: SQLiteColumn[];
}

/**
 * The one owner of the database connection. Domains write only through `transaction`, whose
 * writer records every changed row in `changes` with a hybrid logical clock timestamp (the node
 * id is this database's, kept in `change_clock`). Infrastructure below the domains (the search
 * index, the job queue) uses `sqlite` and `db` directly for tables that are not user data.
 */
export class Store implements DomainStore {
  readonly read: StoreReader;
  /** This database's clock (sync moves it past the timestamps other devices send). */
  readonly clock: HybridLogicalClock;
  private readonly shapes = new Map<SQLiteTable, TableShape>();
  private readonly writer: StoreWriter;
  private readonly recordChange: Database.Statement;
  /** Runs work in a transaction (a savepoint when nested); made once, as better-sqlite3 allows. */
  private readonly inTransaction: (work: (tx: StoreWriter) => unknown, outermost: boolean) => unknown;
  private pendingEffects: (() => void)[] = [];
  /** Set while work recorded under a received change's timestamp runs. */
  private receivedAt: string | undefined;

  constructor(
    readonly sqlite: Database.Database,
    readonly db: AppDatabase,
    /** Told when an after-commit effect throws (the commit itself stands). */
    private readonly onEffectError: (error: unknown) => void = () => {},
  ) {
    this.read = db;
    this.clock = this.openClock();
    this.recordChange = sqlite.prepare(
      'INSERT INTO changes (hlc, table_name, row_id, operation, columns) VALUES (?, ?, ?, ?, ?)',
    );
    const deferForeignKeys = sqlite.prepare('PRAGMA defer_foreign_keys = ON');
    this.inTransaction = sqlite.transaction((work: (tx: StoreWriter) => unknown, outermost: boolean) => {
      if (outermost) deferForeignKeys.run();
      return work(this.writer);
    });
    this.writer = {
      select: db.select.bind(db) as AppDatabase['select'],
      insert: (table, rows) => {
        const list = Array.isArray(rows) ? rows : [rows];
        const shape = this.shape(table);
        const inserted: unknown[] = [];
        // In statements SQLite can take: it allows 32,766 bound values in one.
        const perStatement = Math.max(1, Math.floor(MAX_VARIABLES / shape.columns.size));
        for (let at = 0; at < list.length; at += perStatement) {
          const batch = list.slice(at, at + perStatement);
          inserted.push(
            ...(
              this.db
                .insert(table)
                .values(batch as never)
                .returning() as Returning
            ).all(),
          );
        }
        for (const row of inserted) this.record(shape, row, 'insert', [...shape.columns.values()]);
        return inserted as never;
      },
      update: (table, set, where) => {
        const updated = (
          this.db
            .update(table)
            .set(set as never)
            .where(where)
            .returning() as Returning
        ).all();
        const shape = this.shape(table);
        const written = Object.keys(set)
          .filter((key) => (set as Record<string, unknown>)[key] !== undefined)
          .map((key) => shape.columns.get(key) ?? key);
        for (const row of updated) this.record(shape, row, 'update', written);
        return updated as never;
      },
      delete: (table, where) => {
        const deleted = (this.db.delete(table).where(where).returning() as Returning).all();
        const shape = this.shape(table);
        for (const row of deleted) this.record(shape, row, 'delete', null);
        return deleted as never;
      },
      upsert: (table, row, set) => {
        const shape = this.shape(table);
        const values = row as Record<string, unknown>;
        const key = and(...shape.keyColumns.map((column, i) => eq(column, values[shape.key[i]!])));
        const exists = this.db
          .select()
          .from(table as SQLiteTable)
          .where(key)
          .get();
        const [written] = exists ? this.writer.update(table, set, key!) : this.writer.insert(table, row);
        return written!;
      },
    };
  }

  transaction<T>(work: (tx: StoreWriter) => T, { durable = false, timestamp }: TransactionOptions = {}): T {
    const outermost = !this.sqlite.inTransaction;
    const run =
      timestamp === undefined
        ? () => this.inTransaction(work, outermost) as T
        : () => this.stamped(timestamp, () => this.inTransaction(work, outermost) as T);
    if (!outermost) return run();
    try {
      const result = durable ? this.durably(run) : run();
      this.runEffects();
      return result;
    } finally {
      this.pendingEffects = [];
    }
  }

  afterCommit(effect: () => void): void {
    if (this.sqlite.inTransaction) this.pendingEffects.push(effect);
    else this.runEffect(effect);
  }

  /** The feed after `seq` (0: from the start), oldest first. */
  changesSince(seq = 0, limit = 10_000): ChangeRecord[] {
    return this.db.select().from(changes).where(gt(changes.seq, seq)).orderBy(changes.seq).limit(limit).all();
  }

  private runEffects(): void {
    const effects = this.pendingEffects;
    this.pendingEffects = [];
    for (const effect of effects) this.runEffect(effect);
  }

  private runEffect(effect: () => void): void {
    try {
      effect();
    } catch (error) {
      this.onEffectError(error);
    }
  }

  private record(shape: TableShape, row: unknown, operation: ChangeOperation, columns: string[] | null) {
    const values = row as Record<string, unknown>;
    const rowId = shape.key.map((key) => String(values[key])).join(':');
    this.recordChange.run(
      this.receivedAt ?? this.clock.tick(),
      shape.name,
      rowId,
      operation,
      columns === null ? null : JSON.stringify(columns),
    );
  }

  private shape(table: SQLiteTable): TableShape {
    let shape = this.shapes.get(table);
    if (!shape) {
      const config = getTableConfig(table);
      const byColumn = new Map(Object.entries(getTableColumns(table)).map(([key, column]) => [column, key]));
      const keyColumns = (config.primaryKeys[0]?.columns ?? config.columns.filter((c) => c.primary)).map(
        (column) => config.columns.find((c) => c.name === column.name)!,
      );
      if (keyColumns.length === 0)
        throw new Error(`Table ${config.name} has no primary key to record changes by`);
      shape = {
        name: config.name,
        key: keyColumns.map((column) => byColumn.get(column)!),
        columns: new Map([...byColumn].map(([column, key]) => [key, column.name])),
        keyColumns,
      };
      this.shapes.set(table, shape);
    }
    return shape;
  }

  private stamped<T>(timestamp: string, work: () => T): T {
    const previous = this.receivedAt;
    this.receivedAt = timestamp;
    try {
      return work();
    } finally {
      this.receivedAt = previous;
    }
  }

  private durably<T>(work: () => T): T {
    const previous = this.sqlite.pragma('synchronous', { simple: true }) as number;
    this.sqlite.pragma('synchronous = FULL');
    try {
      return work();
    } finally {
      this.sqlite.pragma(`synchronous = ${previous}`);
    }
  }

  /** This database's clock: its node id (made at the first start), past the last change recorded. */
  private openClock(): HybridLogicalClock {
    let node = this.db.select().from(changeClock).get()?.nodeId;
    if (!node) {
      node = newNodeId();
      this.db.insert(changeClock).values({ id: 1, nodeId: node }).run();
    }
    const last = this.db.select({ hlc: changes.hlc }).from(changes).orderBy(desc(changes.hlc)).limit(1).get();
    return new HybridLogicalClock({ node, last: last?.hlc });
  }
}

type Returning = { all(): unknown[] };

const MAX_VARIABLES = 32_000;
