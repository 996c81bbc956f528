import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BlobHashMismatchError,
  DecryptionError,
  ServerApi,
  ServerApiError,
  blobStatusSchema,
  downloadBlob,
  sealFile,
  uploadBlob,
} from '@little-monster/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStoreConfig } from '../config.js';
import { PASSWORD, encryptedAccount, testSyncKey, type TestDevice } from '../test-support/devices.js';
import { startObjectStorage, type LocalObjectStorage } from '../test-support/object-storage.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

const MARKER = 'mitochondria-blob-marker-91c2';
let work: string;
let key: Awaited<ReturnType<typeof testSyncKey>>['key'];
let storage: LocalObjectStorage;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lm-blob-test-'));
  storage = await startObjectStorage();
  ({ key } = await testSyncKey());
});
afterAll(async () => {
  await storage?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A file of `size` bytes starting with the marker; returns its path and SHA-256. */
function makeFile(name: string, size: number): { path: string; sha256: string } {
  const bytes = Buffer.concat([Buffer.from(MARKER), randomBytes(Math.max(0, size - MARKER.length))]).subarray(
    0,
    size,
  );
  const path = join(work, name);
  writeFileSync(path, bytes);
  return { path, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A ServerApi for the device that counts its requests by method. */
function countingApi(device: TestDevice, server: TestServer) {
  const counts: Record<string, number> = {};
  const api = new ServerApi({
    baseUrl: server.url,
    session: {
      accessToken: async () => device.session.tokens.accessToken,
      refresh: async () => device.session.tokens.accessToken,
    },
    fetch: (input, init) => {
      counts[init?.method ?? 'GET'] = (counts[init?.method ?? 'GET'] ?? 0) + 1;
      return fetch(input, init);
    },
  });
  return { api, counts };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe.each([
  { _name: 'disk', s3: false },
  { _name: 'S3-compatible', s3: true },
])('blobs on $_name storage', ({ _name, s3 }) => {
  let server: TestServer;
  let objectsDir: string;
  beforeAll(async () => {
    const config: BlobStoreConfig | undefined = s3 ? storage.config : undefined;
    server = await startTestServer({ config: { rateLimitScale: 10, ...(config ? { blobs: config } : {}) } });
    objectsDir = config ? storage.directory : (server.config.blobs as { dir: string }).dir;
  });
  afterAll(() => server?.close());

  it('uploads an encrypted file once per hash; another device downloads and decrypts it', async () => {
    const { devices } = await encryptedAccount(server);
    const [laptop, desktop] = devices as [TestDevice, TestDevice];
    const file = makeFile(`lecture-${_name}.webm`, 50_000);
    const sealed = await sealFile(key, file.path, file.sha256, `${file.path}.sealed`);
    const first = countingApi(laptop, server);
    expect(await uploadBlob(first.api, sealed)).toMatchObject({ hash: sealed.hash, complete: true });
    expect(first.counts.PUT).toBe(1);

    // The desktop has the same file: same ciphertext, same name, nothing to upload.
    const again = await sealFile(key, file.path, file.sha256, `${file.path}.sealed-again`);
    expect(again.hash).toBe(sealed.hash);
    const second = countingApi(desktop, server);
    await uploadBlob(second.api, again);
    expect(second.counts.PUT ?? 0).toBe(0);

    const target = join(work, `downloaded-${_name}`);
    await downloadBlob(desktop.session.api, sealed.hash, target, key);
    expect(readFileSync(target).equals(readFileSync(file.path))).toBe(true);
    // What the server stored is ciphertext only.
    for (const stored of filesUnder(objectsDir)) expect(readFileSync(stored).includes(MARKER)).toBe(false);
  });

  it('resumes a broken upload at the first missing part', async () => {
    const { devices } = await encryptedAccount(server, 1);
    const device = devices[0]!;
    const file = makeFile(`big-${_name}.pdf`, 2 * server.config.blobPartBytes + 1000);
    const sealed = await sealFile(key, file.path, file.sha256, `${file.path}.sealed`);
    let puts = 0;
    const flaky = new ServerApi({
      baseUrl: server.url,
      session: { accessToken: async () => device.session.tokens.accessToken, refresh: async () => '' },
      fetch: (input, init) => {
        if (init?.method === 'PUT' && ++puts === 2)
          return Promise.reject(new TypeError('fetch failed: connection reset'));
        return fetch(input, init);
      },
    });
    await expect(uploadBlob(flaky, sealed)).rejects.toThrow(/could not be reached/);
    const status = await device.session.api.json('GET', `/v1/blobs/${sealed.hash}/upload`, blobStatusSchema);
    expect(status).toMatchObject({ complete: false, receivedParts: [0] });

    const resumed = countingApi(device, server);
    expect(await uploadBlob(resumed.api, sealed)).toMatchObject({ complete: true });
    expect(resumed.counts.PUT).toBe(2); // parts 1 and 2 only
    const target = join(work, `big-downloaded-${_name}`);
    await downloadBlob(device.session.api, sealed.hash, target, key);
    expect(statSync(target).size).toBe(statSync(file.path).size);
  });

  it('discards an upload whose content does not match its name', async () => {
    const { devices } = await encryptedAccount(server, 1);
    const device = devices[0]!;
    const file = makeFile(`liar-${_name}.bin`, 5000);
    const wrongName = createHash('sha256').update('something else').digest('hex');
    const error = await uploadBlob(device.session.api, {
      path: file.path,
      hash: wrongName,
      size: 5000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, code: 'HASH_MISMATCH' });
    await expect(device.session.api.send('GET', `/v1/blobs/${wrongName}/upload`)).rejects.toMatchObject({
      status: 404,
    });
    await expect(device.session.api.send('GET', `/v1/blobs/${wrongName}`)).rejects.toMatchObject({
      status: 404,
    });
  });

  it('refuses parts of the wrong size, files over the limit and downloads of unfinished files', async () => {
    const { devices } = await encryptedAccount(server, 1);
    const api = devices[0]!.session.api;
    const hash = createHash('sha256').update('x').digest('hex');
    await api.send('POST', `/v1/blobs/${hash}/upload`, { body: { size: 10 } });
    await expect(
      api.send('PUT', `/v1/blobs/${hash}/parts/0`, { bytes: Buffer.alloc(9) }),
    ).rejects.toMatchObject({
      status: 400,
      message: 'Part 0 must be 10 bytes; 9 arrived.',
    });
    await expect(
      api.send('PUT', `/v1/blobs/${hash}/parts/1`, { bytes: Buffer.alloc(10) }),
    ).rejects.toMatchObject({
      status: 400,
    });
    await expect(api.send('POST', `/v1/blobs/${hash}/complete`, { body: {} })).rejects.toMatchObject({
      status: 409,
      code: 'INCOMPLETE',
    });
    await expect(api.send('GET', `/v1/blobs/${hash}`)).rejects.toMatchObject({ status: 404 });
    const tooBig = await api
      .send('POST', `/v1/blobs/${hash}/upload`, { body: { size: server.config.maxBlobBytes + 1 } })
      .catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(ServerApiError);
    expect(tooBig).toMatchObject({ status: 413, code: 'TOO_LARGE' });
  });

  it('a file altered in storage is refused on download and not kept', async () => {
    const { devices } = await encryptedAccount(server, 1);
    const device = devices[0]!;
    const file = makeFile(`altered-${_name}.txt`, 4000);
    const sealed = await sealFile(key, file.path, file.sha256, `${file.path}.sealed`);
    await uploadBlob(device.session.api, sealed);
    const stored = filesUnder(objectsDir).find(
      (path) => path.includes(sealed.hash) && !path.endsWith('.json') && statSync(path).size === sealed.size,
    )!;
    const bytes = readFileSync(stored);
    bytes[100]! ^= 1;
    writeFileSync(stored, bytes);
    const target = join(work, `altered-download-${_name}`);
    await expect(downloadBlob(device.session.api, sealed.hash, target, key)).rejects.toSatisfy(
      (error) => error instanceof DecryptionError || error instanceof BlobHashMismatchError,
    );
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.partial`)).toBe(false);
  });

  it('removes a deleted file, and every file of a deleted account, from storage', async () => {
    const { email, devices } = await encryptedAccount(server, 1);
    const device = devices[0]!;
    const sealedFiles = [];
    for (const name of ['one', 'two']) {
      const file = makeFile(`${name}-${_name}.txt`, 3000);
      const sealed = await sealFile(key, file.path, file.sha256, `${file.path}.sealed`);
      await uploadBlob(device.session.api, sealed);
      sealedFiles.push(sealed);
    }
    // The assembled object (s3rver keeps each object as `<key>._S3rver_object`).
    const stored = (hash: string) =>
      filesUnder(objectsDir).some((path) => new RegExp(`/blobs/${hash}(\\._S3rver_object)?$`).test(path));
    expect(stored(sealedFiles[0]!.hash)).toBe(true);
    await device.session.api.send('DELETE', `/v1/blobs/${sealedFiles[0]!.hash}`);
    expect(stored(sealedFiles[0]!.hash)).toBe(false);
    await expect(device.session.api.send('GET', `/v1/blobs/${sealedFiles[0]!.hash}`)).rejects.toMatchObject({
      status: 404,
    });
    await device.session.api.send('DELETE', '/v1/account', { body: { email, password: PASSWORD } });
    expect(stored(sealedFiles[1]!.hash)).toBe(false);
  });
});
