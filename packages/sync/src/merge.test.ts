import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StampedChange } from './change.js';
import { changeFromRecord } from './change.js';
import { formatTimestamp } from './hlc.js';
import { isLive, mergeChange, type SyncDatasets } from './merge.js';
import { MemoryReplica } from './test-support/memory-replica.js';

const DATASETS: SyncDatasets = { classes: 'lww', notes: 'lww', review_log: 'append-only' };
const T0 = Date.UTC(2026, 0, 1);
const at = (offset: number, node = '0123456789abcdef') =>
  formatTimestamp({ millis: T0 + offset, counter: 0, node });

const change = fc.oneof(
  fc.record({
    op: fc.constant('upsert' as const),
    dataset: fc.constantFrom('classes', 'notes'),
    row: fc.constantFrom('a', 'b', 'c'),
    fields: fc.dictionary(
      fc.constantFrom('name', 'colour', 'archived'),
      fc.oneof(fc.string(), fc.boolean()),
      {
        minKeys: 1,
      },
    ),
  }),
  fc.record({
    op: fc.constant('delete' as const),
    dataset: fc.constantFrom('classes', 'notes'),
    row: fc.constantFrom('a', 'b', 'c'),
  }),
  fc.record({
    op: fc.constant('append' as const),
    dataset: fc.constant('review_log'),
    row: fc.constantFrom('r1', 'r2', 'r3', 'r4'),
    fields: fc.record({ card: fc.constantFrom('x', 'y'), rating: fc.integer({ min: 1, max: 4 }) }),
  }),
);
const stampedChanges = fc
  .array(
    fc.tuple(
      change,
      fc.integer({ min: 0, max: 10_000 }),
      fc.constantFrom('0123456789abcdef', 'fedcba9876543210'),
    ),
  )
  .map((list) => {
    const seen = new Set<string>();
    return list
      .map(([c, offset, node]) => ({ ...c, timestamp: at(offset, node) }) as StampedChange)
      .filter((c) => !seen.has(c.timestamp) && seen.add(c.timestamp));
  });

describe('merging changes', () => {
  it('gives the same rows whatever order and repetition the changes arrive in (property)', async () => {
    await fc.assert(
      fc.asyncProperty(stampedChanges, fc.nat(), async (changes, seed) => {
        const inOrder = new MemoryReplica(DATASETS);
        await inOrder.applyRemote(changes);
        const shuffled = new MemoryReplica(DATASETS);
        const order = [...changes].sort(
          (a, b) => ((hash(a.timestamp) ^ seed) & 0xff) - ((hash(b.timestamp) ^ seed) & 0xff),
        );
        for (const c of [...order, ...order.slice(0, 3)]) await shuffled.applyRemote([c]);
        expect(shuffled.snapshot()).toEqual(inOrder.snapshot());
        expect(shuffled.timestamps()).toEqual(inOrder.timestamps());
        expect(await shuffled.merkle()).toEqual(await inOrder.merkle());
      }),
    );
  });

  it('keeps each column of the last writer: two devices editing different columns both keep theirs', async () => {
    const replica = new MemoryReplica(DATASETS);
    await replica.applyRemote([
      {
        op: 'upsert',
        dataset: 'classes',
        row: 'a',
        fields: { name: 'Biology', colour: 'red' },
        timestamp: at(0),
      },
      {
        op: 'upsert',
        dataset: 'classes',
        row: 'a',
        fields: { colour: 'green' },
        timestamp: at(20, 'fedcba9876543210'),
      },
      {
        op: 'upsert',
        dataset: 'classes',
        row: 'a',
        fields: { name: 'Biology II', colour: 'blue' },
        timestamp: at(10),
      },
    ]);
    expect(replica.snapshot().classes!.a).toEqual({
      fields: { colour: 'green', name: 'Biology II' },
      deleted: false,
    });
  });

  it('keeps a deleted row deleted when an older or newer edit arrives afterwards', () => {
    const deleted = mergeChange(DATASETS, undefined, {
      op: 'delete',
      dataset: 'classes',
      row: 'a',
      timestamp: at(5),
    });
    expect(deleted.kind).toBe('applied');
    const clock = deleted.kind === 'applied' ? deleted.clock : undefined;
    const edit = mergeChange(DATASETS, clock, {
      op: 'upsert',
      dataset: 'classes',
      row: 'a',
      fields: { name: 'x' },
      timestamp: at(9),
    });
    expect(edit.kind === 'applied' && isLive(edit.clock)).toBe(false);
  });

  it('refuses edits and deletes of append-only rows, and changes to unknown datasets', () => {
    const base = { dataset: 'review_log', row: 'r1', timestamp: at(1) };
    expect(mergeChange(DATASETS, undefined, { ...base, op: 'upsert', fields: { rating: 1 } })).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/append-only: its rows cannot be edited/),
    });
    expect(mergeChange(DATASETS, undefined, { ...base, op: 'delete' })).toMatchObject({ kind: 'refused' });
    expect(
      mergeChange(DATASETS, undefined, { op: 'delete', dataset: 'secrets', row: 'x', timestamp: at(1) }),
    ).toMatchObject({
      kind: 'refused',
      reason: '"secrets" is not a synced dataset.',
    });
  });

  it('keeps every review of two devices in the append-only log', async () => {
    const a = new MemoryReplica(DATASETS);
    const b = new MemoryReplica(DATASETS);
    const fromA = a.append('review_log', 'r-a', { card: 'x', rating: 3 });
    const fromB = b.append('review_log', 'r-b', { card: 'x', rating: 1 });
    await a.applyRemote([fromB]);
    await b.applyRemote([fromA]);
    expect(Object.keys(a.snapshot().review_log!)).toEqual(['r-a', 'r-b']);
    expect(a.snapshot()).toEqual(b.snapshot());
  });
});

describe('change feed records', () => {
  it('become upserts of the written columns, deletes, or whole appended rows', () => {
    const timestamp = at(0);
    const row = { name: 'Chemistry', colour: 'teal', archived: false };
    expect(
      changeFromRecord(
        { tableName: 'classes', rowId: 'a', operation: 'update', columns: ['colour'], hlc: timestamp },
        row,
      ),
    ).toEqual({
      op: 'upsert',
      dataset: 'classes',
      row: 'a',
      fields: { colour: 'teal' },
      timestamp,
    });
    expect(
      changeFromRecord(
        { tableName: 'classes', rowId: 'a', operation: 'delete', columns: null, hlc: timestamp },
        undefined,
      ),
    ).toEqual({
      op: 'delete',
      dataset: 'classes',
      row: 'a',
      timestamp,
    });
    expect(
      changeFromRecord(
        { tableName: 'review_log', rowId: 'r', operation: 'insert', columns: ['rating'], hlc: timestamp },
        { rating: 3, card: 'x' },
        true,
      ),
    ).toMatchObject({ op: 'append', fields: { rating: 3, card: 'x' } });
    expect(
      changeFromRecord(
        { tableName: 'classes', rowId: 'gone', operation: 'update', columns: ['name'], hlc: timestamp },
        undefined,
      ),
    ).toBeUndefined();
  });
});

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (h * 31 + char.charCodeAt(0)) | 0;
  return h;
}
