import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyEnvelopeSchema, sealFile, uploadBlob } from '@little-monster/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, encryptedAccount, signIn, testSyncKey, type TestDevice } from '../test-support/devices.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

const MARKER = 'photosynthesis-export-marker-77ab';
let server: TestServer;
let work: string;
beforeAll(async () => {
  server = await startTestServer({ config: { rateLimitScale: 10 } });
  work = mkdtempSync(join(tmpdir(), 'lm-account-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** An account with a synced note and an uploaded file. */
async function accountWithData(): Promise<{
  email: string;
  device: TestDevice;
  userId: string;
  blob: string;
}> {
  const { email, devices } = await encryptedAccount(server, 1);
  const device = devices[0]!;
  device.replica.upsert('notes', 'n1', { title: MARKER });
  await device.sync();
  const file = join(work, `${email}.txt`);
  writeFileSync(file, MARKER);
  const { key } = await testSyncKey();
  const sealed = await sealFile(
    key,
    file,
    createHash('sha256').update(MARKER).digest('hex'),
    `${file}.sealed`,
  );
  await uploadBlob(device.session.api, sealed);
  const { rows } = await server.pool.query('SELECT id FROM users WHERE email = $1', [email]);
  return { email, device, userId: rows[0].id, blob: sealed.hash };
}

describe('export my data', () => {
  it('gives the account, its devices, the wrapped key, the file list and every message (still encrypted)', async () => {
    const { email, device, blob } = await accountWithData();
    const response = await device.session.api.send('GET', '/v1/account/export');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const text = await response.text();
    const exported = JSON.parse(text);
    expect(exported.account.email).toBe(email);
    expect(exported.devices).toHaveLength(1);
    expect(keyEnvelopeSchema.parse(exported.syncKey).keyId).toBe((await testSyncKey()).key.keyId);
    expect(exported.files).toEqual([expect.objectContaining({ hash: blob, complete: true })]);
    expect(exported.messages).toHaveLength(1);
    // The export is what the server holds: ciphertext, which the owner's key opens.
    expect(text).not.toContain(MARKER);
    const { key } = await testSyncKey();
    expect(key.open(exported.messages[0])).toMatchObject({ op: 'upsert', fields: { title: MARKER } });
  });
});

describe('delete account', () => {
  it('asks for the email and password again, then removes every row and file of the account', async () => {
    const { email, device, userId } = await accountWithData();
    await expect(
      device.session.api.send('DELETE', '/v1/account', { body: { email, password: 'not my password' } }),
    ).rejects.toMatchObject({ status: 403, code: 'NOT_CONFIRMED' });
    expect(
      (await server.pool.query('SELECT count(*)::int AS n FROM users WHERE id = $1', [userId])).rows[0].n,
    ).toBe(1);

    await device.session.api.send('DELETE', '/v1/account', { body: { email, password: PASSWORD } });
    const { rows: tables } = await server.pool.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'user_id'`,
    );
    for (const { table_name } of [...tables, { table_name: 'users' }]) {
      const column = table_name === 'users' ? 'id' : 'user_id';
      const { rows } = await server.pool.query(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE ${column} = $1`,
        [userId],
      );
      expect({ table_name, rows: rows[0].n }).toEqual({ table_name, rows: 0 });
    }
    const blobRoot = (server.config.blobs as { dir: string }).dir;
    expect(existsSync(join(blobRoot, 'users', userId))).toBe(false);
    expect(readdirSync(join(blobRoot, 'users')).length).toBeGreaterThan(0); // other accounts keep theirs
    await expect(device.session.api.send('GET', '/v1/account')).rejects.toMatchObject({ status: 401 });
    await expect(signIn(server, email)).rejects.toMatchObject({ status: 401 });
  });
});
