/**
 * Hybrid logical clock (Kulkarni et al., as Actual Budget uses it): wall-clock milliseconds, a
 * counter for events within one millisecond (or while the wall clock stands behind a timestamp
 * already seen), and the id of the node (one database) that made it. Its string form sorts in
 * time order: `2026-03-01T09:30:00.000Z-0000-0123456789abcdef`.
 *
 * A clock is an object per database, never a module global: two databases in one process (the
 * tests' replicas, an engine reopening a profile) must not share a counter.
 */
import { randomBytes } from 'node:crypto';

export interface Timestamp {
  millis: number;
  counter: number;
  /** 16 lowercase hex digits. */
  node: string;
}

const MAX_COUNTER = 0xffff;
/** The last millisecond whose ISO form has a four-digit year (so strings keep sorting). */
const MAX_MILLIS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-([0-9a-f]{16})$/;
const NODE = /^[0-9a-f]{16}$/;

/** How far ahead of this computer's clock a timestamp may be before it is refused. */
export const DEFAULT_MAX_DRIFT_MS = 5 * 60_000;

export class InvalidTimestampError extends Error {
  constructor(readonly text: string) {
    super(`"${text.slice(0, 80)}" is not a sync timestamp (ISO time-counter-node).`);
    this.name = 'InvalidTimestampError';
  }
}

/** A timestamp further ahead of the wall clock than the drift limit allows. */
export class ClockSkewError extends Error {
  constructor(
    /** How far ahead of this clock's wall time the refused timestamp is. */
    readonly aheadMs: number,
    readonly maxDriftMs: number,
  ) {
    super(
      `A change is stamped ${describeDuration(aheadMs)} ahead of this computer's clock (at most ` +
        `${describeDuration(maxDriftMs)} is accepted). Set the date and time automatically on ` +
        `every device, then sync again.`,
    );
    this.name = 'ClockSkewError';
  }
}

export function formatTimestamp({ millis, counter, node }: Timestamp): string {
  if (!Number.isInteger(millis) || millis < 0 || millis > MAX_MILLIS)
    throw new RangeError(`${millis} is outside the clock's range (1970 to 9999).`);
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER)
    throw new RangeError(`${counter} is not a clock counter (0 to 65535).`);
  if (!NODE.test(node)) throw new RangeError(`"${node}" is not a node id (16 lowercase hex digits).`);
  return `${new Date(millis).toISOString()}-${counter.toString(16).padStart(4, '0')}-${node}`;
}

export function parseTimestamp(text: string): Timestamp {
  const match = TIMESTAMP.exec(text);
  const millis = match ? Date.parse(match[1]!) : NaN;
  // Date.parse accepts 2026-02-31; the round trip catches such dates.
  if (!match || !Number.isFinite(millis) || new Date(millis).toISOString() !== match[1])
    throw new InvalidTimestampError(text);
  return { millis, counter: parseInt(match[2]!, 16), node: match[3]! };
}

export function isTimestamp(text: string): boolean {
  try {
    parseTimestamp(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The greatest timestamp string that sorts before every timestamp at or after `millis`: an
 * exclusive cursor that makes a pull include everything from that millisecond on (null: from
 * the very beginning).
 */
export function cursorBefore(millis: number): string | null {
  if (millis <= 0) return null;
  return formatTimestamp({ millis: millis - 1, counter: MAX_COUNTER, node: 'f'.repeat(16) });
}

/** A random node id for a new database. */
export function newNodeId(): string {
  return randomBytes(8).toString('hex');
}

export interface ClockOptions {
  /** This database's node id (see {@link newNodeId}); persisted with the database. */
  node: string;
  /** The last timestamp this clock issued or received (persisted), so it never goes back. */
  last?: string;
  /** Wall time; tests pass their own. */
  now?: () => number;
  maxDriftMs?: number;
}

export class HybridLogicalClock {
  readonly node: string;
  readonly maxDriftMs: number;
  private readonly now: () => number;
  private millis = 0;
  private counter = 0;

  constructor(options: ClockOptions) {
    if (!NODE.test(options.node))
      throw new RangeError(`"${options.node}" is not a node id (16 lowercase hex digits).`);
    this.node = options.node;
    this.now = options.now ?? Date.now;
    this.maxDriftMs = options.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS;
    if (options.last) {
      const last = parseTimestamp(options.last);
      this.millis = last.millis;
      this.counter = last.counter;
    }
  }

  /** The latest time this clock has issued or seen, to persist with the database. */
  get last(): string {
    return formatTimestamp({ millis: this.millis, counter: this.counter, node: this.node });
  }

  /** A new timestamp for a local event, later than every one this clock issued or received. */
  tick(): string {
    const wall = this.now();
    if (wall > this.millis) {
      this.millis = wall;
      this.counter = 0;
    } else {
      this.advanceCounter();
    }
    return this.last;
  }

  /**
   * Takes a remote timestamp into account, so later local events sort after it. Refuses one
   * too far ahead of this computer's clock: accepting it would drag every later local
   * timestamp into the future, where its changes would win over newer ones from others.
   */
  receive(timestamp: string): void {
    const remote = parseTimestamp(timestamp);
    const wall = this.now();
    if (remote.millis - wall > this.maxDriftMs)
      throw new ClockSkewError(remote.millis - wall, this.maxDriftMs);
    const latest = Math.max(wall, this.millis, remote.millis);
    if (latest === this.millis && latest === remote.millis) {
      this.counter = Math.max(this.counter, remote.counter);
      this.advanceCounter();
    } else if (latest === this.millis) {
      this.advanceCounter();
    } else if (latest === remote.millis) {
      this.millis = latest;
      this.counter = remote.counter;
      this.advanceCounter();
    } else {
      this.millis = latest;
      this.counter = 0;
    }
  }

  /** The next counter value; past 65,535 the clock moves on a millisecond instead of failing. */
  private advanceCounter(): void {
    if (this.counter < MAX_COUNTER) {
      this.counter += 1;
    } else {
      this.millis += 1;
      this.counter = 0;
    }
  }
}

/** "3 hours", "12 minutes", "40 seconds": for messages about clocks. */
export function describeDuration(ms: number): string {
  if (ms >= 2 * 3_600_000) return `${Math.round(ms / 3_600_000)} hours`;
  if (ms >= 2 * 60_000) return `${Math.round(ms / 60_000)} minutes`;
  return `${Math.max(1, Math.round(ms / 1000))} seconds`;
}
