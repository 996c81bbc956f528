/**
 * How a replica folds changes into rows so that every replica ends with the same rows whatever
 * order the changes arrive in:
 * - columns are last-writer-wins by timestamp, each column on its own (two devices editing
 *   different columns of one row both keep their edit);
 * - a delete is a tombstone that stays: edits stamped later change hidden columns, never
 *   bring the row back (the earliest delete's timestamp is kept, so the result does not
 *   depend on order);
 * - append-only rows (the review log) are written once and never edited or deleted; the same
 *   row id arriving twice keeps the earliest stamped version.
 */
import type { Fields, StampedChange } from './change.js';

export type DatasetKind = 'lww' | 'append-only';

/** Which tables sync, and how. */
export type SyncDatasets = Readonly<Record<string, DatasetKind>>;

/** What a replica keeps about one row besides its values: when each column was last set. */
export interface RowClock {
  /** Column name to the timestamp of the change that set its current value. */
  columns: Record<string, string>;
  /** The earliest delete seen. */
  deleted?: string;
  /** For an append-only row: the timestamp of the version kept. */
  appended?: string;
}

export type MergeOutcome =
  | {
      kind: 'applied';
      /** Columns whose value the change sets (only those it won). */
      fields: Fields;
      /** True when this change deleted a row that was visible. */
      deleted: boolean;
      clock: RowClock;
    }
  /** Nothing to write: every column already holds a later value, or the change was seen. */
  | { kind: 'unchanged' }
  /** The change breaks its dataset's rules (an edit of an append-only row, an unknown table). */
  | { kind: 'refused'; reason: string };

/** Merges one change into a row whose clock is `clock` (undefined for a row never seen). */
export function mergeChange(
  datasets: SyncDatasets,
  clock: RowClock | undefined,
  change: StampedChange,
): MergeOutcome {
  const kind = datasets[change.dataset];
  if (!kind) return { kind: 'refused', reason: `"${change.dataset}" is not a synced dataset.` };
  if (kind === 'append-only') return mergeAppend(clock, change);
  if (change.op === 'append')
    return { kind: 'refused', reason: `"${change.dataset}" is not an append-only dataset.` };

  const current: RowClock = clock ?? { columns: {} };
  if (change.op === 'delete') {
    if (current.deleted !== undefined && current.deleted <= change.timestamp) return { kind: 'unchanged' };
    return {
      kind: 'applied',
      fields: {},
      deleted: current.deleted === undefined,
      clock: { ...current, deleted: change.timestamp },
    };
  }
  const fields: Fields = {};
  const columns = { ...current.columns };
  for (const [column, value] of Object.entries(change.fields)) {
    const previous = columns[column];
    if (previous !== undefined && previous >= change.timestamp) continue;
    fields[column] = value;
    columns[column] = change.timestamp;
  }
  if (Object.keys(fields).length === 0) return { kind: 'unchanged' };
  return { kind: 'applied', fields, deleted: false, clock: { ...current, columns } };
}

function mergeAppend(clock: RowClock | undefined, change: StampedChange): MergeOutcome {
  if (change.op !== 'append')
    return {
      kind: 'refused',
      reason: `"${change.dataset}" is append-only: its rows cannot be ${change.op === 'delete' ? 'deleted' : 'edited'}.`,
    };
  if (clock?.appended !== undefined && clock.appended <= change.timestamp) return { kind: 'unchanged' };
  const columns = Object.fromEntries(Object.keys(change.fields).map((column) => [column, change.timestamp]));
  return {
    kind: 'applied',
    fields: change.fields,
    deleted: false,
    clock: { columns, appended: change.timestamp },
  };
}

/** True when a row with this clock is shown (never deleted). */
export function isLive(clock: RowClock | undefined): boolean {
  return clock !== undefined && clock.deleted === undefined;
}
