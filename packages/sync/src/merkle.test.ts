import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from './hlc.js';
import {
  applyMerkleUpdates,
  diffMerkle,
  emptyMerkle,
  insertIntoMerkle,
  merkleFromNodes,
  merkleKey,
  merklePathStart,
  merkleUpdates,
  pruneMerkle,
} from './merkle.js';

const T0 = Date.UTC(2026, 0, 1);
const WEEK = 7 * 24 * 3_600_000;
const stamp = fc
  .record({
    millis: fc.integer({ min: T0, max: T0 + WEEK }),
    counter: fc.integer({ min: 0, max: 3 }),
    node: fc.constantFrom('0123456789abcdef', 'fedcba9876543210', '00000000ffffffff'),
  })
  .map(formatTimestamp);
const stamps = fc.uniqueArray(stamp, { maxLength: 60 });

describe('Merkle tree of timestamps', () => {
  it('has the same root for the same set in any order, and another root for another set', () => {
    fc.assert(
      fc.property(stamps, fc.nat(), (set, seed) => {
        const shuffled = [...set].sort(
          (a, b) => ((a + seed).length % 3) - ((b + seed).length % 3) || (a < b ? 1 : -1),
        );
        expect(insertIntoMerkle(emptyMerkle(), shuffled)).toEqual(insertIntoMerkle(emptyMerkle(), set));
        if (set.length > 0)
          expect(insertIntoMerkle(emptyMerkle(), set.slice(1)).hash).not.toBe(
            insertIntoMerkle(emptyMerkle(), set).hash,
          );
      }),
    );
  });

  it('cancels a timestamp inserted twice: the trap that makes "insert once" a rule', () => {
    const t = formatTimestamp({ millis: T0, counter: 0, node: '0123456789abcdef' });
    expect(insertIntoMerkle(insertIntoMerkle(emptyMerkle(), [t]), [t]).hash).toBe(0);
  });

  it('builds the same tree from the node updates a server stores', () => {
    fc.assert(
      fc.property(stamps, stamps, (first, second) => {
        const incremental = merkleFromNodes([...merkleUpdates(first), ...merkleUpdates(second)]);
        expect(incremental.hash).toBe(insertIntoMerkle(insertIntoMerkle(emptyMerkle(), first), second).hash);
      }),
    );
  });

  it('keys each timestamp by its minute, and a path starts at its first minute', () => {
    const t = formatTimestamp({ millis: T0 + 61_234, counter: 0, node: '0123456789abcdef' });
    expect(merklePathStart(merkleKey(t))).toBe(T0 + 60_000);
  });

  it('finds no difference between equal sets, pruned or not', () => {
    fc.assert(
      fc.property(stamps, (set) => {
        const tree = insertIntoMerkle(emptyMerkle(), set);
        expect(diffMerkle(tree, tree)).toBeNull();
        expect(diffMerkle(tree, pruneMerkle(tree))).toBeNull();
      }),
    );
  });

  it('points at or before the earliest timestamp one side lacks, against a full or pruned tree', () => {
    fc.assert(
      fc.property(stamps, stamps, stamps, (shared, onlyLocal, onlyRemote) => {
        const remoteOnly = onlyRemote.filter((t) => !shared.includes(t) && !onlyLocal.includes(t));
        const localOnly = onlyLocal.filter((t) => !shared.includes(t));
        const local = insertIntoMerkle(emptyMerkle(), [...shared, ...localOnly]);
        const remote = insertIntoMerkle(emptyMerkle(), [...shared, ...remoteOnly]);
        const differing = [...localOnly, ...remoteOnly].map((t) => parseTimestamp(t).millis);
        for (const theirs of [remote, pruneMerkle(remote), pruneMerkle(remote, 1)]) {
          const from = diffMerkle(local, theirs);
          if (differing.length === 0) expect(from).toBeNull();
          else expect(from).not.toBeNull();
          if (from !== null) expect(from).toBeLessThanOrEqual(Math.min(...differing));
        }
      }),
    );
  });

  it('against the full tree, points at the exact minute of the earliest difference', () => {
    fc.assert(
      fc.property(stamps, stamps, (shared, extra) => {
        const missing = extra.filter((t) => !shared.includes(t));
        fc.pre(missing.length > 0);
        const local = insertIntoMerkle(emptyMerkle(), shared);
        const remote = insertIntoMerkle(emptyMerkle(), [...shared, ...missing]);
        const earliest = Math.min(...missing.map((t) => parseTimestamp(t).millis));
        expect(diffMerkle(local, remote)).toBe(Math.floor(earliest / 60_000) * 60_000);
      }),
    );
  });

  it('against a pruned tree, finds recent differences precisely when the older history agrees', () => {
    const node = '0123456789abcdef';
    const old = Array.from({ length: 50 }, (_, i) =>
      formatTimestamp({ millis: T0 + i * 3_600_000, counter: 0, node }),
    );
    const recent = formatTimestamp({ millis: T0 + 60 * 3_600_000 + 123_456, counter: 0, node });
    const local = insertIntoMerkle(emptyMerkle(), old);
    const remote = pruneMerkle(insertIntoMerkle(emptyMerkle(), [...old, recent]));
    expect(diffMerkle(local, remote)).toBe(T0 + 60 * 3_600_000 + 120_000);
  });

  it('leaves the tree it was given unchanged', () => {
    const tree = insertIntoMerkle(emptyMerkle(), [
      formatTimestamp({ millis: T0, counter: 0, node: '0123456789abcdef' }),
    ]);
    const copy = structuredClone(tree);
    applyMerkleUpdates(tree, [{ path: '', hash: 5 }]);
    expect(tree).toEqual(copy);
  });
});
