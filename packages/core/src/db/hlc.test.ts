import { describe, expect, it } from 'vitest';
import { formatHlc, HybridLogicalClock, parseHlc, randomNodeId } from './hlc.js';

const NODE = '0123456789abcdef';
const T0 = Date.parse('2026-05-01T12:00:00.000Z');

/** A clock whose wall time the test sets. */
function clockAt(start: number, node = NODE) {
  let wall = start;
  const clock = new HybridLogicalClock(node, () => wall);
  return { clock, set: (millis: number) => (wall = millis) };
}

describe('hybrid logical clock', () => {
  it('writes the documented format: ISO wall time, 4 hex counter, 16 hex node', () => {
    const { clock } = clockAt(T0);
    expect(clock.now()).toBe('2026-05-01T12:00:00.000Z-0000-0123456789abcdef');
    expect(clock.now()).toBe('2026-05-01T12:00:00.000Z-0001-0123456789abcdef');
  });

  it('round-trips through parse and format', () => {
    const stamp = { millis: T0 + 789, counter: 0x2a, node: NODE };
    expect(parseHlc(formatHlc(stamp))).toEqual(stamp);
  });

  it('refuses malformed timestamps and node ids', () => {
    expect(() => parseHlc('2026-05-01T12:00:00Z-0000-0123456789abcdef')).toThrow(/Not a hybrid/);
    expect(() => parseHlc('2026-05-01T12:00:00.000Z-000g-0123456789abcdef')).toThrow(/Not a hybrid/);
    expect(() => new HybridLogicalClock('ABC')).toThrow(/16 lowercase hex/);
    expect(randomNodeId()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('follows the wall clock and resets the counter when it moves on', () => {
    const { clock, set } = clockAt(T0);
    clock.now();
    clock.now();
    set(T0 + 5);
    expect(parseHlc(clock.now())).toEqual({ millis: T0 + 5, counter: 0, node: NODE });
  });

  it('never goes backwards when the wall clock does', () => {
    const { clock, set } = clockAt(T0 + 1000);
    const before = clock.now();
    set(T0); // the computer's clock was set back
    const after = clock.now();
    expect(after > before).toBe(true);
    expect(parseHlc(after)).toEqual({ millis: T0 + 1000, counter: 1, node: NODE });
  });

  it('sorts as strings in the order it made them, across milliseconds, counters and a stuck clock', () => {
    const { clock, set } = clockAt(T0);
    const stamps: string[] = [];
    for (let i = 0; i < 70_000; i++) {
      if (i === 10) set(T0 + 1);
      if (i === 20) set(T0 - 60_000); // stuck behind: the counter runs past 0xffff
      stamps.push(clock.now());
    }
    const outOfOrder = stamps.findIndex((stamp, i) => i > 0 && !(stamps[i - 1]! < stamp));
    expect(outOfOrder).toBe(-1);
    // 65,536 in one millisecond move the clock on by one rather than fail.
    expect(parseHlc(stamps.at(-1)!).millis).toBe(T0 + 2);
  });

  it('after observing a later timestamp, makes only later ones', () => {
    const { clock } = clockAt(T0);
    const elsewhere = formatHlc({ millis: T0 + 60_000, counter: 7, node: 'ffffffffffffffff' });
    clock.observe(elsewhere);
    const next = clock.now();
    expect(parseHlc(next)).toEqual({ millis: T0 + 60_000, counter: 8, node: NODE });
    expect(next > elsewhere.replace('ffffffffffffffff', NODE)).toBe(true);
    // An older timestamp changes nothing.
    clock.observe(formatHlc({ millis: T0, counter: 0, node: NODE }));
    expect(parseHlc(clock.now()).counter).toBe(9);
  });

  it('orders equal times by node, so two databases never make the same timestamp', () => {
    const a = clockAt(T0, '0000000000000001').clock.now();
    const b = clockAt(T0, '0000000000000002').clock.now();
    expect(a).not.toBe(b);
    expect(a < b).toBe(true);
  });
});
