/**
 * Convergence through the real server: three devices of one student change classes, materials'
 * metadata, notes and cards and append reviews while offline, and sync in random orders; at the
 * end every device, and the server's own record decrypted, hold the same rows and every review.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '@little-monster/sync';
import { MemoryReplica } from '@little-monster/sync/test-support';
import { DATASETS, encryptedAccount, testSyncKey, type TestDevice } from '../test-support/devices.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let first: TestServer;
let second: TestServer;
beforeAll(async () => {
  // Each run signs a new student up, more than the per-address limit allows an hour.
  first = await startTestServer({ config: { rateLimitScale: 100 } });
  // A second instance on the same database (and blob store): a load balancer's other node.
  second = await startTestServer({ sameDataAs: first });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const ROWS = ['a', 'b', 'c', 'd'];
const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
const step = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('upsert' as const),
      device: fc.nat(2),
      dataset: fc.constantFrom('classes', 'materials', 'notes', 'cards'),
      row: fc.constantFrom(...ROWS),
      fields: fc.dictionary(fc.constantFrom('name', 'colour', 'title', 'body', 'front', 'back'), value, {
        minKeys: 1,
        maxKeys: 3,
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      device: fc.nat(2),
      dataset: fc.constantFrom('classes', 'materials', 'notes', 'cards'),
      row: fc.constantFrom(...ROWS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('review' as const),
      device: fc.nat(2),
      card: fc.constantFrom(...ROWS),
      rating: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), device: fc.nat(2) }) },
);

/** What the server holds for the account, decrypted and folded by the same rules. */
async function serverView(server: TestServer, device: TestDevice) {
  const { rows } = await server.pool.query(
    `SELECT m.timestamp, m.key_id, m.content FROM sync_messages m JOIN devices d ON d.user_id = m.user_id
      WHERE d.id = $1 ORDER BY m.timestamp`,
    [device.session.tokens.deviceId],
  );
  const { key } = await testSyncKey();
  const view = new MemoryReplica(DATASETS);
  await view.applyRemote(
    rows.map((row: { timestamp: string; key_id: string; content: Buffer }) =>
      key.open({ timestamp: row.timestamp, keyId: row.key_id, content: row.content.toString('base64') }),
    ),
  );
  return view;
}

describe('convergence', () => {
  it('three offline devices syncing in random orders through two instances end identical (property)', async () => {
    let reviews = 0;
    let treeRequests = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 40 }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        async (steps, routes) => {
          const { devices } = await encryptedAccount(first, 3);
          let syncs = 0;
          // Each sync goes to one instance or the other, as a load balancer would send it.
          const sync = async (index: number) => {
            const device = devices[index]!;
            const instance = routes[syncs++ % Math.max(1, routes.length)] ? second : first;
            const transport = device.session.on(instance.url).syncTransport();
            await syncOnce(
              device.replica,
              {
                sync: (request) => {
                  if (request.tree) treeRequests += 1;
                  return transport.sync(request);
                },
              },
              device.codec,
            );
          };
          const appended = new Set<string>();
          for (const action of steps) {
            const replica = devices[action.device]!.replica;
            if (action.kind === 'upsert') replica.upsert(action.dataset, action.row, action.fields);
            else if (action.kind === 'delete') replica.delete(action.dataset, action.row);
            else if (action.kind === 'review') {
              const id = `review-${++reviews}`;
              appended.add(id);
              replica.append('review_log', id, { card: action.card, rating: action.rating });
            } else await sync(action.device);
          }
          // Everyone syncs until nothing new: two rounds suffice for three devices.
          for (let round = 0; round < 2; round++) for (const index of [0, 1, 2]) await sync(index);

          const [a, b, c] = devices.map((device) => device.replica);
          expect(b!.snapshot()).toEqual(a!.snapshot());
          expect(c!.snapshot()).toEqual(a!.snapshot());
          expect(b!.timestamps()).toEqual(a!.timestamps());
          expect(c!.timestamps()).toEqual(a!.timestamps());
          expect(Object.keys(a!.snapshot().review_log ?? {}).sort()).toEqual([...appended].sort());
          const view = await serverView(first, devices[0]!);
          expect(view.snapshot()).toEqual(a!.snapshot());
          expect(view.timestamps()).toEqual(a!.timestamps());
        },
      ),
      { numRuns: 12 },
    );
    // Devices that were offline pushed changes older than others' cursors: the Merkle trees
    // found them.
    expect(treeRequests).toBeGreaterThan(0);
  });
});
