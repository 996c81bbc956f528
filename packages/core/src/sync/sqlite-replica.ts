/**
 * This database as a sync replica. Its own changes come from the change feed: each record of a
 * synced table becomes a message stamped with the record's timestamp (collected just before
 * sending or applying, so a local edit is always known before a remote one is merged). Other
 * devices' changes merge column by column through the rules of `@little-monster/sync` and are
 * written through the Store under their own timestamps, so the feed records them without sync
 * taking them for new local changes.
 */
import {
  changeFromRecord,
  formatTimestamp,
  insertIntoMerkle,
  mergeChange,
  type MerkleTree,
  type MergeOutcome,
  type StampedChange,
  type SyncReplica,
} from '@little-monster/sync';
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { syncMessages, syncRows, syncState } from '../db/schema/index.js';
import type { Store, StoreWriter } from '../db/store.js';
import { SYNC_DATASETS, syncedTables } from './synced-tables.js';

/** A row another device changed, as this database now has it. */
export interface ReceivedRow {
  dataset: string;
  rowId: string;
  deleted: boolean;
}

export interface SqliteReplicaOptions {
  logger: Logger;
  /**
   * Called inside the transaction that deletes a row another device deleted, so whatever
   * refers to it here (in tables that do not sync) can let go of it.
   */
  onDeleted?(row: ReceivedRow): void;
  /** Called after a batch of other devices' changes is committed. */
  onReceived?(rows: ReceivedRow[]): void;
}

const FEED_PAGE = 1000;
const LOWEST_NODE = '0'.repeat(16);

export class SqliteReplica implements SyncReplica {
  constructor(
    private readonly store: Store,
    private readonly options: SqliteReplicaOptions,
  ) {}

  get clock() {
    return this.store.clock;
  }

  async unsent(limit: number): Promise<StampedChange[]> {
    this.collect();
    return this.store.db
      .select()
      .from(syncMessages)
      .where(eq(syncMessages.sent, false))
      .orderBy(syncMessages.timestamp)
      .limit(limit)
      .all()
      .map(({ timestamp, change }) => ({ ...change, timestamp }));
  }

  /** Local changes the server has not confirmed yet. */
  pending(): number {
    this.collect();
    const [row] = this.store.db
      .select({ count: sql<number>`count(*)` })
      .from(syncMessages)
      .where(eq(syncMessages.sent, false))
      .all();
    return row?.count ?? 0;
  }

  async markSent(timestamps: readonly string[]): Promise<void> {
    for (let at = 0; at < timestamps.length; at += FEED_PAGE)
      this.store.db
        .update(syncMessages)
        .set({ sent: true })
        .where(inArray(syncMessages.timestamp, timestamps.slice(at, at + FEED_PAGE)))
        .run();
  }

  async resendSince(millis: number): Promise<void> {
    const from = formatTimestamp({ millis, counter: 0, node: LOWEST_NODE });
    this.store.db
      .update(syncMessages)
      .set({ sent: false })
      .where(and(eq(syncMessages.sent, true), gte(syncMessages.timestamp, from)))
      .run();
  }

  async applyRemote(changes: readonly StampedChange[]): Promise<void> {
    const received: ReceivedRow[] = [];
    this.store.transaction((tx) => {
      this.collect();
      const fresh: string[] = [];
      for (const change of changes) {
        if (!this.remember(change, true)) continue;
        fresh.push(change.timestamp);
        const outcome = this.merge(change);
        if (outcome.kind === 'refused')
          this.options.logger.warn(
            { dataset: change.dataset, reason: outcome.reason },
            'sync change refused',
          );
        if (outcome.kind !== 'applied') continue;
        const row = this.store.transaction((stamped) => this.write(stamped, change, outcome), {
          timestamp: change.timestamp,
        });
        if (!row) continue;
        received.push(row);
        if (row.deleted) this.options.onDeleted?.(row);
      }
      this.addToMerkle(fresh);
      this.removeOrphans(tx);
    });
    if (received.length > 0) this.options.onReceived?.(received);
  }

  async merkle(): Promise<MerkleTree> {
    return this.state().merkle;
  }

  async cursor(): Promise<string | null> {
    return this.state().cursor;
  }

  async setCursor(cursor: string | null): Promise<void> {
    this.state();
    this.store.db.update(syncState).set({ cursor }).run();
  }

  /** When the last sync ended well, and why the last one failed if it did not. */
  outcome(): { lastSyncedAt: string | null; lastError: string | null } {
    const { lastSyncedAt, lastError } = this.state();
    return { lastSyncedAt, lastError };
  }

  recordOutcome(outcome: { lastSyncedAt?: string; lastError: string | null }): void {
    this.state();
    this.store.db.update(syncState).set(outcome).run();
  }

  /**
   * Forgets everything sync knew (on signing out): the next account starts from the whole
   * change feed, and the rows themselves stay as they are.
   */
  reset(): void {
    this.store.transaction(() => {
      this.store.db.delete(syncMessages).run();
      this.store.db.delete(syncRows).run();
      this.store.db.delete(syncState).run();
    });
  }

  /** Turns the change feed's new records of synced tables into messages to send. */
  private collect(): void {
    this.store.transaction(() => {
      let seq = this.state().collectedSeq;
      const fresh: string[] = [];
      for (let records = this.store.changesSince(seq, FEED_PAGE); records.length > 0;) {
        for (const record of records) {
          seq = record.seq;
          const table = syncedTables.get(record.tableName);
          if (!table) continue;
          const change = changeFromRecord(record, table.read(this.store.read, record.rowId));
          // A row deleted since (its delete follows), or a change received from another device.
          if (!change || !this.remember(change, false)) continue;
          fresh.push(change.timestamp);
          this.merge(change);
        }
        records = this.store.changesSince(seq, FEED_PAGE);
      }
      this.addToMerkle(fresh);
      this.store.db.update(syncState).set({ collectedSeq: seq }).run();
    });
  }

  /** Keeps a message once by its timestamp; false when it was already known. */
  private remember({ timestamp, ...change }: StampedChange, sent: boolean): boolean {
    return (
      this.store.db.insert(syncMessages).values({ timestamp, change, sent }).onConflictDoNothing().run()
        .changes === 1
    );
  }

  /** Folds a change into its row's clock and says what it changes. */
  private merge(change: StampedChange): MergeOutcome {
    const key = and(eq(syncRows.dataset, change.dataset), eq(syncRows.rowId, change.row));
    const known = this.store.db.select({ clock: syncRows.clock }).from(syncRows).where(key).get();
    const outcome = mergeChange(SYNC_DATASETS, known?.clock, change);
    if (outcome.kind === 'applied')
      this.store.db
        .insert(syncRows)
        .values({ dataset: change.dataset, rowId: change.row, clock: outcome.clock })
        .onConflictDoUpdate({ target: [syncRows.dataset, syncRows.rowId], set: { clock: outcome.clock } })
        .run();
    return outcome;
  }

  /** Writes what a received change won to its row; undefined when the row stays as it is. */
  private write(
    tx: StoreWriter,
    change: StampedChange,
    outcome: Extract<MergeOutcome, { kind: 'applied' }>,
  ): ReceivedRow | undefined {
    const table = syncedTables.get(change.dataset)!;
    const where = table.whereKey(change.row);
    const row = { dataset: change.dataset, rowId: change.row };
    if (outcome.deleted) {
      tx.delete(table.table, where);
      return { ...row, deleted: true };
    }
    // A deleted row stays deleted: later edits only move its hidden columns' clocks.
    if (outcome.clock.deleted !== undefined) return undefined;
    if (tx.select().from(table.table).where(where).get() === undefined)
      tx.insert(table.table, table.newRow(change.row, outcome.fields) as never);
    else {
      const values = table.values(outcome.fields);
      if (Object.keys(values).length === 0) return undefined;
      tx.update(table.table, values, where);
    }
    return { ...row, deleted: false };
  }

  /**
   * Rows left pointing at a row another device deleted (an exam added here to a class deleted
   * there) go too, as that device would have deleted them; their deletes sync like any other.
   */
  private removeOrphans(tx: StoreWriter): void {
    for (const table of syncedTables.values()) {
      const orphans = this.store.sqlite.pragma(`foreign_key_check(${table.name})`) as { rowid: number }[];
      for (const { rowid } of orphans) tx.delete(table.table, sql`rowid = ${rowid}`);
    }
  }

  private addToMerkle(timestamps: string[]): void {
    if (timestamps.length === 0) return;
    const merkle = insertIntoMerkle(this.state().merkle, timestamps);
    this.store.db.update(syncState).set({ merkle }).run();
  }

  private state() {
    const existing = this.store.db.select().from(syncState).get();
    if (existing) return existing;
    const fresh = {
      id: 1,
      collectedSeq: 0,
      cursor: null,
      merkle: { hash: 0 },
      lastSyncedAt: null,
      lastError: null,
    };
    this.store.db.insert(syncState).values(fresh).run();
    return fresh;
  }
}
