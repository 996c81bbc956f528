/**
 * A replica kept in memory, following the sync rules exactly as a device's database must: a
 * log of every change it knows (its own and others'), each timestamp in its Merkle tree once,
 * rows folded from the log by {@link mergeChange}. Tests use it as a device without an engine.
 */
import type { Fields, StampedChange } from '../change.js';
import { HybridLogicalClock, newNodeId, parseTimestamp } from '../hlc.js';
import { mergeChange, type RowClock, type SyncDatasets } from '../merge.js';
import { emptyMerkle, insertIntoMerkle, type MerkleTree } from '../merkle.js';
import type { SyncReplica } from '../client/sync-client.js';

export interface ReplicaRow {
  fields: Fields;
  deleted: boolean;
}

export class MemoryReplica implements SyncReplica {
  readonly clock: HybridLogicalClock;
  private readonly log = new Map<string, { change: StampedChange; sent: boolean }>();
  private readonly rowClocks = new Map<string, RowClock>();
  private readonly values = new Map<string, Fields>();
  private tree = emptyMerkle();
  private savedCursor: string | null = null;
  /** Changes refused by the dataset rules (they stay in the log, as on every replica). */
  readonly refused: string[] = [];

  constructor(
    private readonly datasets: SyncDatasets,
    options: { node?: string; now?: () => number } = {},
  ) {
    this.clock = new HybridLogicalClock({ node: options.node ?? newNodeId(), now: options.now });
  }

  upsert(dataset: string, row: string, fields: Fields): StampedChange {
    return this.local({ op: 'upsert', dataset, row, fields, timestamp: this.clock.tick() });
  }

  delete(dataset: string, row: string): StampedChange {
    return this.local({ op: 'delete', dataset, row, timestamp: this.clock.tick() });
  }

  append(dataset: string, row: string, fields: Fields): StampedChange {
    return this.local({ op: 'append', dataset, row, fields, timestamp: this.clock.tick() });
  }

  /** Every row ever seen, by dataset then row id, deleted ones flagged. */
  snapshot(): Record<string, Record<string, ReplicaRow>> {
    const result: Record<string, Record<string, ReplicaRow>> = {};
    for (const key of [...this.rowClocks.keys()].sort()) {
      const [dataset, row] = key.split('\u0000') as [string, string];
      (result[dataset] ??= {})[row] = {
        fields: sortKeys(this.values.get(key) ?? {}),
        deleted: this.rowClocks.get(key)?.deleted !== undefined,
      };
    }
    return result;
  }

  /** Timestamps of every change in the log, sorted. */
  timestamps(): string[] {
    return [...this.log.keys()].sort();
  }

  async unsent(limit: number): Promise<StampedChange[]> {
    return [...this.log.values()]
      .filter((entry) => !entry.sent)
      .map((entry) => entry.change)
      .sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1))
      .slice(0, limit);
  }

  async markSent(timestamps: readonly string[]): Promise<void> {
    for (const timestamp of timestamps) {
      const entry = this.log.get(timestamp);
      if (entry) entry.sent = true;
    }
  }

  async resendSince(millis: number): Promise<void> {
    for (const entry of this.log.values())
      if (parseTimestamp(entry.change.timestamp).millis >= millis) entry.sent = false;
  }

  async applyRemote(changes: readonly StampedChange[]): Promise<void> {
    for (const change of changes) if (!this.log.has(change.timestamp)) this.record(change, true);
  }

  async merkle(): Promise<MerkleTree> {
    return this.tree;
  }

  async cursor(): Promise<string | null> {
    return this.savedCursor;
  }

  async setCursor(cursor: string | null): Promise<void> {
    this.savedCursor = cursor;
  }

  private local(change: StampedChange): StampedChange {
    this.record(change, false);
    return change;
  }

  private record(change: StampedChange, sent: boolean): void {
    this.log.set(change.timestamp, { change, sent });
    this.tree = insertIntoMerkle(this.tree, [change.timestamp]);
    const key = `${change.dataset}\u0000${change.row}`;
    const outcome = mergeChange(this.datasets, this.rowClocks.get(key), change);
    if (outcome.kind === 'refused') {
      this.refused.push(change.timestamp);
      return;
    }
    if (outcome.kind === 'unchanged') return;
    this.rowClocks.set(key, outcome.clock);
    const replaced = change.op === 'append';
    this.values.set(key, { ...(replaced ? {} : this.values.get(key)), ...outcome.fields });
  }
}

function sortKeys(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1)));
}
