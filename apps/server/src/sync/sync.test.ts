import {
  ClockSkewError,
  formatTimestamp,
  keyEnvelopeSchema,
  plainCodec,
  ServerUnreachableError,
  syncKeySchema,
  syncOnce,
  syncResponseSchema,
  unlockSyncKey,
  type SyncTransport,
} from '@little-monster/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PASSWORD,
  SYNC_PASSPHRASE,
  TestDevice,
  encryptedAccount,
  registerVerified,
  signIn,
} from '../test-support/devices.js';
import { apiFailure } from '../test-support/api-failure.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ config: { rateLimitScale: 10 } });
});
afterAll(() => server?.close());

const count = async (sql: string, params: unknown[]) =>
  Number((await server.pool.query(sql, params)).rows[0].count);

describe('two devices of one student', () => {
  it("a second device unlocks the key with the passphrase and sees the first one's edits", async () => {
    const { devices } = await encryptedAccount(server);
    const [laptop, desktop] = devices as [TestDevice, TestDevice];
    const stored = await desktop.session.api.json('GET', '/v1/sync/key', syncKeySchema);
    const unlocked = await unlockSyncKey(keyEnvelopeSchema.parse(stored.envelope), SYNC_PASSPHRASE);
    desktop.codec = unlocked;

    laptop.replica.upsert('classes', 'bio', { name: 'Biology', colour: 'green' });
    laptop.replica.append('review_log', 'r1', { card: 'c1', rating: 3 });
    expect(await laptop.sync()).toMatchObject({ pushed: 2 });
    expect(await desktop.sync()).toMatchObject({ pulled: 2 });
    expect(desktop.replica.snapshot()).toEqual(laptop.replica.snapshot());
  });

  it('resolves conflicting edits by the later timestamp, column by column, and keeps a deleted class deleted', async () => {
    const { devices } = await encryptedAccount(server);
    const [a, b] = devices as [TestDevice, TestDevice];
    a.replica.upsert('classes', 'chem', { name: 'Chemistry', colour: 'red', room: '101' });
    await a.sync();
    await b.sync();
    // Offline on both: A renames, B recolours then renames later.
    a.replica.upsert('classes', 'chem', { name: 'Chem I' });
    b.replica.upsert('classes', 'chem', { colour: 'blue' });
    b.replica.upsert('classes', 'chem', { name: 'Chemistry 101' });
    a.replica.upsert('classes', 'maths', { name: 'Maths' });
    await a.sync();
    await b.sync();
    await a.sync();
    expect(a.replica.snapshot().classes!.chem).toEqual({
      fields: { colour: 'blue', name: 'Chemistry 101', room: '101' },
      deleted: false,
    });
    // A deletes Maths while B, offline, edits it: the class stays deleted everywhere.
    a.replica.delete('classes', 'maths');
    b.replica.upsert('classes', 'maths', { colour: 'yellow' });
    await b.sync();
    await a.sync();
    await b.sync();
    expect(a.replica.snapshot()).toEqual(b.replica.snapshot());
    expect(b.replica.snapshot().classes!.maths!.deleted).toBe(true);
  });
});

describe('sync requests', () => {
  it('refuses a timestamp far in the future with a clear message and stores nothing of the request', async () => {
    const { devices } = await encryptedAccount(server, 1);
    const device = devices[0]!;
    const good = device.replica.upsert('notes', 'n1', { title: 'Cells' });
    const future = formatTimestamp({
      millis: Date.now() + 3 * 3_600_000,
      counter: 0,
      node: '00000000000000aa',
    });
    const error = await apiFailure(
      device.session.api.json('POST', '/v1/sync', syncResponseSchema, {
        body: {
          messages: [device.codec.seal(good), device.codec.seal({ ...good, timestamp: future })],
          after: null,
        },
      }),
    );
    expect(error).toMatchObject({
      status: 422,
      code: 'CLOCK_SKEW',
      message: expect.stringMatching(/3 hours ahead/),
    });
    expect(await count('SELECT count(*) FROM sync_messages WHERE timestamp = $1', [good.timestamp])).toBe(0);
  });

  it('a device whose clock is behind refuses changes stamped beyond its drift limit', async () => {
    const { devices } = await encryptedAccount(server);
    const [ahead, behind] = devices as [TestDevice, TestDevice];
    ahead.replica.upsert('notes', 'n1', { title: 'From the future' });
    await ahead.sync();
    const lagging = new TestDevice(behind.session, behind.codec, { now: () => Date.now() - 60 * 60_000 });
    await expect(lagging.sync()).rejects.toThrow(ClockSkewError);
    expect(lagging.replica.timestamps()).toEqual([]);
  });

  it('refuses malformed messages: bad timestamps, bad base64, too many, injected SQL', async () => {
    const session = await signIn(server, await registerVerified(server));
    const send = (body: unknown) => session.api.send('POST', '/v1/sync', { body });
    const envelope = {
      timestamp: '2026-03-01T09:30:00.000Z-0000-0123456789abcdef',
      keyId: null,
      content: 'e30=',
    };
    for (const body of [
      { messages: [{ ...envelope, timestamp: 'yesterday' }], after: null },
      {
        messages: [
          { ...envelope, timestamp: "2026-03-01T09:30:00.000Z-0000-0123456789abcdef'; DROP TABLE users; --" },
        ],
        after: null,
      },
      { messages: [{ ...envelope, content: 'not base64!' }], after: null },
      { messages: [], after: "' OR 1=1 --" },
      { messages: Array.from({ length: 1001 }, () => envelope), after: null },
      { messages: 'all of them', after: null },
    ])
      expect(await apiFailure(send(body))).toMatchObject({ status: 400, code: 'INVALID_INPUT' });
    expect(await count('SELECT count(*) FROM users', [])).toBeGreaterThan(0);
  });

  it('an encrypting account refuses plain or foreign-key messages', async () => {
    const { devices } = await encryptedAccount(server, 1);
    const device = devices[0]!;
    const plain = new TestDevice(device.session, plainCodec);
    plain.replica.upsert('notes', 'n1', { title: 'Not sealed' });
    expect(await apiFailure(plain.sync())).toMatchObject({ status: 409, code: 'WRONG_KEY' });
    expect(
      await count(
        'SELECT count(*) FROM sync_messages m JOIN devices d ON d.id = m.device_id WHERE d.id = $1',
        [device.session.tokens.deviceId],
      ),
    ).toBe(0);
  });

  it('stores a message sent twice once (an answer lost after the server committed)', async () => {
    const { devices } = await encryptedAccount(server);
    const [a, b] = devices as [TestDevice, TestDevice];
    a.replica.upsert('notes', 'n1', { title: 'Mitosis' });
    const real = a.session.api.syncTransport();
    const losesAnswer: SyncTransport = {
      sync: async (request) => {
        await real.sync(request);
        throw new ServerUnreachableError(server.url, new Error('connection reset'));
      },
    };
    await expect(syncOnce(a.replica, losesAnswer, a.codec)).rejects.toThrow(ServerUnreachableError);
    expect(await a.replica.unsent(10)).toHaveLength(1); // not marked sent without an answer
    await a.sync();
    await b.sync();
    expect(b.replica.timestamps()).toEqual(a.replica.timestamps());
    const owner = (
      await server.pool.query('SELECT user_id FROM devices WHERE id = $1', [a.session.tokens.deviceId])
    ).rows[0];
    expect(await count('SELECT count(*) FROM sync_messages WHERE user_id = $1', [owner.user_id])).toBe(1);
  });

  it('keeps edits made while the server is down and sends them when it is back', async () => {
    const { devices } = await encryptedAccount(server);
    const [a, b] = devices as [TestDevice, TestDevice];
    await server.stop();
    try {
      a.replica.upsert('notes', 'n1', { title: 'Written offline' });
      await expect(a.sync()).rejects.toThrow(ServerUnreachableError);
    } finally {
      await server.restart();
    }
    await a.sync();
    await b.sync();
    expect(b.replica.snapshot().notes!.n1!.fields).toEqual({ title: 'Written offline' });
  });

  it('resends from the point of divergence when the server lost messages (restored from an old backup)', async () => {
    const { devices } = await encryptedAccount(server);
    const [a, b] = devices as [TestDevice, TestDevice];
    for (const row of ['1', '2', '3']) a.replica.upsert('notes', row, { title: `Note ${row}` });
    await a.sync();
    const userId = (
      await server.pool.query('SELECT user_id FROM devices WHERE id = $1', [a.session.tokens.deviceId])
    ).rows[0].user_id;
    // The "restore": the account's last message and its share of the Merkle tree are gone.
    const lost = a.replica.timestamps().at(-1)!;
    await server.pool.query('DELETE FROM sync_messages WHERE user_id = $1 AND timestamp = $2', [
      userId,
      lost,
    ]);
    await server.pool.query('DELETE FROM merkle_nodes WHERE user_id = $1', [userId]);
    const { rows } = await server.pool.query('SELECT timestamp FROM sync_messages WHERE user_id = $1', [
      userId,
    ]);
    const { merkleUpdates } = await import('@little-monster/sync');
    for (const { path, hash } of merkleUpdates(rows.map((row: { timestamp: string }) => row.timestamp)))
      await server.pool.query('INSERT INTO merkle_nodes (user_id, path, hash) VALUES ($1, $2, $3)', [
        userId,
        path,
        hash,
      ]);

    await a.sync(); // roots differ: a finds the divergence and sends the lost message again
    await b.sync();
    expect(b.replica.timestamps()).toEqual(a.replica.timestamps());
    expect(await count('SELECT count(*) FROM sync_messages WHERE user_id = $1', [userId])).toBe(3);
  });
});

describe('many changes', () => {
  it('sends and receives more changes than one request carries, page by page', async () => {
    const { devices } = await encryptedAccount(server);
    const [a, b] = devices as [TestDevice, TestDevice];
    for (let n = 0; n < 1500; n++)
      a.replica.upsert('cards', `card-${n}`, { front: `Term ${n}`, back: `Definition ${n}` });
    expect(await a.sync()).toMatchObject({ pushed: 1500, rounds: 2 });
    expect(await b.sync()).toMatchObject({ pulled: 1500, rounds: 2 });
    expect(b.replica.snapshot()).toEqual(a.replica.snapshot());
  });
});

describe('signing in again', () => {
  it('a new sign-in on a device that synced before pulls everything from the beginning', async () => {
    const { email, devices } = await encryptedAccount(server, 1);
    devices[0]!.replica.upsert('classes', 'art', { name: 'Art' });
    await devices[0]!.sync();
    const fresh = new TestDevice(await signIn(server, email, PASSWORD), devices[0]!.codec);
    await fresh.sync();
    expect(fresh.replica.snapshot()).toEqual(devices[0]!.replica.snapshot());
  });
});
