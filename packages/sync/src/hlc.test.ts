import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClockSkewError,
  HybridLogicalClock,
  InvalidTimestampError,
  cursorBefore,
  formatTimestamp,
  parseTimestamp,
} from './hlc.js';

const NODE_A = '0123456789abcdef';
const NODE_B = 'fedcba9876543210';
const T0 = Date.UTC(2026, 2, 1, 9, 30);

describe('HybridLogicalClock', () => {
  it('stamps in the documented string form', () => {
    const clock = new HybridLogicalClock({ node: NODE_A, now: () => T0 });
    expect(clock.tick()).toBe('2026-03-01T09:30:00.000Z-0000-0123456789abcdef');
    expect(clock.tick()).toBe('2026-03-01T09:30:00.000Z-0001-0123456789abcdef');
  });

  it('never goes back when the wall clock does, and sorts after what it received', () => {
    let wall = T0;
    const clock = new HybridLogicalClock({ node: NODE_A, now: () => wall });
    const first = clock.tick();
    wall -= 60_000; // the computer's clock was set back a minute
    const second = clock.tick();
    expect(second > first).toBe(true);
    const remote = formatTimestamp({ millis: T0 + 90_000, counter: 7, node: NODE_B });
    clock.receive(remote);
    expect(clock.tick() > remote).toBe(true);
  });

  it('issues strictly increasing timestamps whatever it receives (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('tick' as const), wall: fc.integer({ min: -5000, max: 5000 }) }),
            fc.record({
              kind: fc.constant('receive' as const),
              wall: fc.integer({ min: -5000, max: 5000 }),
              ahead: fc.integer({ min: -100_000, max: 200_000 }),
              counter: fc.integer({ min: 0, max: 100 }),
            }),
          ),
          { maxLength: 200 },
        ),
        (events) => {
          let wall = T0;
          const clock = new HybridLogicalClock({ node: NODE_A, now: () => wall });
          let last = '';
          for (const event of events) {
            wall = T0 + event.wall;
            if (event.kind === 'tick') {
              const stamp = clock.tick();
              expect(stamp > last).toBe(true);
              last = stamp;
            } else {
              const remote = formatTimestamp({
                millis: wall + event.ahead,
                counter: event.counter,
                node: NODE_B,
              });
              clock.receive(remote);
              if (remote > last) last = remote;
            }
          }
        },
      ),
    );
  });

  it('refuses a timestamp beyond the drift limit, saying what to do, and stays as it was', () => {
    const clock = new HybridLogicalClock({ node: NODE_A, now: () => T0, maxDriftMs: 60_000 });
    const before = clock.tick();
    const future = formatTimestamp({ millis: T0 + 3 * 3_600_000, counter: 0, node: NODE_B });
    expect(() => clock.receive(future)).toThrow(ClockSkewError);
    expect(() => clock.receive(future)).toThrow(/3 hours ahead.*Set the date and time automatically/);
    expect(clock.last).toBe(before);
  });

  it('keeps its place across a restart through `last`', () => {
    const first = new HybridLogicalClock({ node: NODE_A, now: () => T0 });
    first.tick();
    first.tick();
    const reopened = new HybridLogicalClock({ node: NODE_A, now: () => T0, last: first.last });
    expect(reopened.tick()).toBe('2026-03-01T09:30:00.000Z-0002-0123456789abcdef');
  });

  it('moves on a millisecond when the counter is full, never repeating a timestamp', () => {
    const clock = new HybridLogicalClock({
      node: NODE_A,
      now: () => T0,
      last: formatTimestamp({ millis: T0, counter: 0xfffe, node: NODE_A }),
    });
    expect(clock.tick()).toBe('2026-03-01T09:30:00.000Z-ffff-0123456789abcdef');
    expect(clock.tick()).toBe('2026-03-01T09:30:00.001Z-0000-0123456789abcdef');
  });

  it('two clocks in one process do not share state', () => {
    const a = new HybridLogicalClock({ node: NODE_A, now: () => T0 });
    const b = new HybridLogicalClock({ node: NODE_B, now: () => T0 });
    a.tick();
    a.tick();
    expect(b.tick()).toBe('2026-03-01T09:30:00.000Z-0000-fedcba9876543210');
  });
});

describe('timestamps', () => {
  it('sort as strings in time order (property)', () => {
    const stamp = fc.record({
      millis: fc.integer({ min: 0, max: Date.UTC(9999, 0, 1) }),
      counter: fc.integer({ min: 0, max: 0xffff }),
      node: fc.constantFrom(NODE_A, NODE_B),
    });
    fc.assert(
      fc.property(stamp, stamp, (a, b) => {
        const order = a.millis - b.millis || a.counter - b.counter || compare(a.node, b.node);
        expect(compare(formatTimestamp(a), formatTimestamp(b))).toBe(Math.sign(order));
        expect(parseTimestamp(formatTimestamp(a))).toEqual(a);
      }),
    );
  });

  it('refuses malformed text with a clear error', () => {
    for (const bad of [
      '',
      'yesterday',
      '2026-03-01T09:30:00.000Z-0000-0123456789ABCDEF',
      '2026-02-31T09:30:00.000Z-0000-0123456789abcdef',
      '2026-03-01T09:30:00Z-0000-0123456789abcdef',
      "2026-03-01T09:30:00.000Z-0000-0123456789abcdef' OR 1=1",
    ])
      expect(() => parseTimestamp(bad)).toThrow(InvalidTimestampError);
  });

  it('cursorBefore(ms) sorts before every timestamp from ms on and after every earlier one', () => {
    const cursor = cursorBefore(T0)!;
    expect(formatTimestamp({ millis: T0, counter: 0, node: '0'.repeat(16) }) > cursor).toBe(true);
    expect(formatTimestamp({ millis: T0 - 1, counter: 0xffff, node: NODE_B }) <= cursor).toBe(true);
    expect(cursorBefore(0)).toBeNull();
  });
});

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
