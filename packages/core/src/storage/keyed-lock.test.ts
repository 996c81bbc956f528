import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

describe('KeyedLock', () => {
  it('runs work on one key one at a time, in order, and work on other keys alongside', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    let releaseFirst!: () => void;
    const first = lock.run('a', async () => {
      events.push('a1 start');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      events.push('a1 end');
    });
    const second = lock.run('a', () => events.push('a2'));
    const other = lock.run('b', () => events.push('b'));
    await other;
    expect(events).toEqual(['a1 start', 'b']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
  });

  it('passes results and failures on, and a failure does not block the next holder', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('a', () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    expect(await lock.run('a', () => 42)).toBe(42);
  });
});
