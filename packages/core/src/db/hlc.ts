import { randomBytes } from 'node:crypto';

/**
 * A hybrid logical clock (Kulkarni et al., 2014): timestamps that follow the wall clock but never
 * repeat or go backwards, even when the wall clock does, so the changes one database makes (and,
 * later, the changes devices exchange) have one order.
 *
 * A timestamp is a string that sorts in that order:
 *
 *     2026-05-01T12:34:56.789Z-0001-0f3a9c2b7d4e8a61
 *     └ wall time, ISO 8601 UTC ms ┘ └ counter ┘ └ node ┘
 *
 * - wall time: the larger of the wall clock and every timestamp seen so far, in milliseconds;
 * - counter: 4 lowercase hex digits, counting timestamps made within the same millisecond;
 * - node: 16 lowercase hex digits naming the database that made it (ties between databases).
 *
 * When 65,536 timestamps fall in one millisecond (only possible while the wall clock is behind the
 * last timestamp), the clock moves on to the next millisecond rather than fail.
 */
export interface Clock {
  /** A timestamp later than every one this clock made or observed. */
  now(): string;
  /** Takes in a timestamp made elsewhere (or stored earlier), so the next ones sort after it. */
  observe(timestamp: string): void;
}

export interface HlcTimestamp {
  millis: number;
  counter: number;
  node: string;
}

const MAX_COUNTER = 0xffff;
const NODE = /^[0-9a-f]{16}$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-([0-9a-f]{16})$/;

export function formatHlc({ millis, counter, node }: HlcTimestamp): string {
  return `${new Date(millis).toISOString()}-${counter.toString(16).padStart(4, '0')}-${node}`;
}

export function parseHlc(timestamp: string): HlcTimestamp {
  const match = TIMESTAMP.exec(timestamp);
  const millis = match ? Date.parse(match[1]!) : NaN;
  if (!match || Number.isNaN(millis)) throw new Error(`Not a hybrid logical clock timestamp: "${timestamp}"`);
  return { millis, counter: parseInt(match[2]!, 16), node: match[3]! };
}

/** A new random node id (one per database). */
export const randomNodeId = (): string => randomBytes(8).toString('hex');

export class HybridLogicalClock implements Clock {
  private millis = 0;
  private counter = 0;

  constructor(
    readonly node: string,
    private readonly wallClock: () => number = Date.now,
  ) {
    if (!NODE.test(node)) throw new Error(`A clock's node id is 16 lowercase hex digits, not "${node}"`);
  }

  now(): string {
    const wall = this.wallClock();
    if (wall > this.millis) {
      this.millis = wall;
      this.counter = 0;
    } else if (this.counter < MAX_COUNTER) {
      this.counter += 1;
    } else {
      this.millis += 1;
      this.counter = 0;
    }
    return formatHlc({ millis: this.millis, counter: this.counter, node: this.node });
  }

  observe(timestamp: string): void {
    const seen = parseHlc(timestamp);
    if (seen.millis > this.millis || (seen.millis === this.millis && seen.counter > this.counter)) {
      this.millis = seen.millis;
      this.counter = seen.counter;
    }
  }
}
