/**
 * OWASP ASVS level 2 checks that apply to this server (the README lists each with its test):
 * access control on every route, injection through every parameter, token forgery, brute
 * force, oversized input, no secrets in logs, and no plaintext of synced data on the server.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose';
import { pino } from 'pino';
import { devicesSchema, sealFile, ServerApi, syncResponseSchema, uploadBlob } from '@little-monster/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED_PATHS } from '../server.js';
import {
  PASSWORD,
  encryptedAccount,
  newEmail,
  registerVerified,
  signIn,
  testSyncKey,
  type TestDevice,
} from '../test-support/devices.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const MARKER = 'osmosis-plaintext-marker-5d1e';
const logLines: string[] = [];
let server: TestServer;
let work: string;
/** Two students: the attacker (a) and the victim (b), each with data on the server. */
let a: TestDevice;
let b: TestDevice;
let bBlob: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lm-security-'));
  const logger = pino(
    { level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );
  server = await startTestServer({ logger });
  [a] = (await encryptedAccount(server, 1)).devices as [TestDevice];
  [b] = (await encryptedAccount(server, 1)).devices as [TestDevice];
  b.replica.upsert('notes', 'secret', { title: MARKER, body: `Lab notes: ${MARKER}` });
  await b.sync();
  const file = join(work, 'notes.txt');
  writeFileSync(file, `${MARKER} `.repeat(1000));
  const { key } = await testSyncKey();
  const sealed = await sealFile(
    key,
    file,
    createHash('sha256').update(readFileSync(file)).digest('hex'),
    `${file}.sealed`,
  );
  await uploadBlob(b.session.api, sealed);
  bBlob = sealed.hash;
});
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

const HASH = 'a'.repeat(64);
const DEVICE = '00000000-0000-4000-8000-000000000000';
/** One request for each signed-in route. */
const signedIn: Record<
  string,
  { method: string; path: (ids: { device: string; blob: string }) => string; body?: unknown; bytes?: Buffer }
> = {
  'GET /v1/account': { method: 'GET', path: () => '/v1/account' },
  'GET /v1/account/devices': { method: 'GET', path: () => '/v1/account/devices' },
  'DELETE /v1/account/devices/:id': {
    method: 'DELETE',
    path: ({ device }) => `/v1/account/devices/${device}`,
  },
  'DELETE /v1/account': {
    method: 'DELETE',
    path: () => '/v1/account',
    body: { email: 'x@example.org', password: 'x' },
  },
  'GET /v1/account/export': { method: 'GET', path: () => '/v1/account/export' },
  'POST /v1/sync': { method: 'POST', path: () => '/v1/sync', body: { messages: [], after: null } },
  'GET /v1/sync/key': { method: 'GET', path: () => '/v1/sync/key' },
  'PUT /v1/sync/key': {
    method: 'PUT',
    path: () => '/v1/sync/key',
    body: { envelope: {}, expectedVersion: 1 },
  },
  'POST /v1/blobs/:hash/upload': {
    method: 'POST',
    path: ({ blob }) => `/v1/blobs/${blob}/upload`,
    body: { size: 1 },
  },
  'GET /v1/blobs/:hash/upload': { method: 'GET', path: ({ blob }) => `/v1/blobs/${blob}/upload` },
  'PUT /v1/blobs/:hash/parts/:part': {
    method: 'PUT',
    path: ({ blob }) => `/v1/blobs/${blob}/parts/0`,
    bytes: Buffer.alloc(1),
  },
  'POST /v1/blobs/:hash/complete': {
    method: 'POST',
    path: ({ blob }) => `/v1/blobs/${blob}/complete`,
    body: {},
  },
  'GET /v1/blobs/:hash': { method: 'GET', path: ({ blob }) => `/v1/blobs/${blob}` },
  'DELETE /v1/blobs/:hash': { method: 'DELETE', path: ({ blob }) => `/v1/blobs/${blob}` },
  'POST /v1/auth/logout': { method: 'POST', path: () => '/v1/auth/logout' },
  'POST /v1/auth/logout-all': { method: 'POST', path: () => '/v1/auth/logout-all' },
  'GET /v1/ai/models': { method: 'GET', path: () => '/v1/ai/models' },
  'GET /v1/ai/quota': { method: 'GET', path: () => '/v1/ai/quota' },
  'POST /v1/ai/generate': {
    method: 'POST',
    path: () => '/v1/ai/generate',
    body: { model: 'x', system: '', history: [], prompt: 'hi', maxTokens: 5 },
  },
};
const open = [
  'GET /health',
  'GET /ready',
  'POST /v1/auth/register',
  'POST /v1/auth/verify-email',
  'GET /v1/auth/verify-email',
  'POST /v1/auth/resend-verification',
  'POST /v1/auth/login',
  'POST /v1/auth/refresh',
  'POST /v1/auth/forgot-password',
  'POST /v1/auth/reset-password',
  'GET /v1/auth/oidc/providers',
  'GET /v1/auth/oidc/:provider/start',
  'GET /v1/auth/oidc/:provider/callback',
  'POST /v1/auth/oidc/token',
];

async function call(
  token: string | undefined,
  route: (typeof signedIn)[string],
  ids = { device: DEVICE, blob: HASH },
) {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  let body: string | Buffer | undefined;
  if (route.bytes) {
    headers['content-type'] = 'application/octet-stream';
    body = route.bytes;
  } else if (route.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(route.body);
  }
  return fetch(server.url + route.path(ids), { method: route.method, headers, body });
}

describe('access control (ASVS V4, V8.2)', () => {
  it('knows every route: each is public by design or listed here as signed-in', () => {
    expect([...server.routes].sort()).toEqual([...open, ...Object.keys(signedIn)].sort());
  });

  it('refuses every signed-in route without a token, with a forged one, an expired one or alg "none" (ASVS V3.5)', async () => {
    const secret = server.config.tokenSecret;
    const claims = decodeJwt(a.session.tokens.accessToken);
    const [header, , signature] = a.session.tokens.accessToken.split('.') as [string, string, string];
    const asVictim = Buffer.from(
      JSON.stringify({ ...claims, sub: decodeJwt(b.session.tokens.accessToken).sub }),
    ).toString('base64url');
    const sign = (payload: Record<string, unknown>, key: Uint8Array, expiry: string | number = '5m') =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(claims.sub))
        .setIssuer('little-monster-server')
        .setAudience('little-monster-api')
        .setIssuedAt()
        .setExpirationTime(expiry)
        .sign(key);
    const forged = {
      missing: undefined,
      garbage: 'not-a-token-at-all',
      'payload changed to the victim': `${header}.${asVictim}.${signature}`,
      'signature changed': `${header}.${a.session.tokens.accessToken.split('.')[1]}.${signature.slice(0, -4)}AAAA`,
      'alg none': new UnsecuredJWT({ ...claims }).encode(),
      'another key': await sign({ did: claims.did }, randomBytes(32)),
      expired: await sign({ did: claims.did }, secret, Math.floor(Date.now() / 1000) - 60),
      'another audience': await new SignJWT({ did: claims.did })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(claims.sub))
        .setIssuer('little-monster-server')
        .setAudience('someone-else')
        .setExpirationTime('5m')
        .sign(secret),
      'unknown device': await sign({ did: DEVICE }, secret),
    };
    for (const [route, request] of Object.entries(signedIn))
      for (const [kind, token] of Object.entries(forged)) {
        const response = await call(token, request);
        expect({ route, kind, status: response.status }).toEqual({ route, kind, status: 401 });
        expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      }
  });

  it("never reads, changes or reveals another student's devices, files, key or messages (IDOR)", async () => {
    const token = a.session.tokens.accessToken;
    const ids = { device: b.session.tokens.deviceId, blob: bBlob };
    for (const name of [
      'DELETE /v1/account/devices/:id',
      'GET /v1/blobs/:hash/upload',
      'PUT /v1/blobs/:hash/parts/:part',
      'POST /v1/blobs/:hash/complete',
      'GET /v1/blobs/:hash',
      'DELETE /v1/blobs/:hash',
    ]) {
      const response = await call(token, signedIn[name]!, ids);
      expect({ name, status: response.status }).toEqual({ name, status: 404 });
    }
    // Routes without ids answer about the caller only.
    const pulled = await a.session.api.json('POST', '/v1/sync', syncResponseSchema, {
      body: { messages: [], after: null },
    });
    expect(pulled.messages).toEqual([]);
    const exported = await (await a.session.api.send('GET', '/v1/account/export')).text();
    expect(exported).not.toContain(bBlob);
    expect(exported).not.toContain(b.session.tokens.deviceId);
    // The victim's data is untouched.
    expect((await b.session.api.json('GET', '/v1/account/devices', devicesSchema)).devices).toHaveLength(1);
    const victim = new ServerApi({
      baseUrl: server.url,
      session: { accessToken: async () => b.session.tokens.accessToken, refresh: async () => '' },
    });
    expect((await victim.send('GET', `/v1/blobs/${bBlob}`)).status).toBe(200);
    const victimPull = await b.session.api.json('POST', '/v1/sync', syncResponseSchema, {
      body: { messages: [], after: null },
    });
    expect(victimPull.messages).toHaveLength(1);
  });
});

describe('injection (ASVS V5.3)', () => {
  const payloads = [
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    '1) OR 1=1 --',
    '" OR ""="',
    "\\'; SELECT pg_sleep(5); --",
    '${7*7}',
    '%00',
  ];

  it('treats SQL in every parameter as data: refused by validation or matched literally, never executed', async () => {
    const before = (await server.pool.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
    const statuses = new Set<number>();
    let registered = 0;
    const anonymous = (method: string, path: string, body?: unknown) =>
      fetch(server.url + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    for (const payload of payloads) {
      const responses = await Promise.all([
        anonymous('POST', '/v1/auth/register', { email: payload, password: PASSWORD }),
        anonymous('POST', '/v1/auth/register', {
          email: `${encodeURIComponent(payload)}@example.org`,
          password: payload.padEnd(12, 'x'),
        }),
        anonymous('POST', '/v1/auth/login', {
          email: newEmail(),
          password: payload,
          device: { name: payload, platform: 'linux' },
        }),
        anonymous('POST', '/v1/auth/login', {
          email: payload,
          password: payload,
          device: { name: 'x', platform: payload },
        }),
        anonymous('POST', '/v1/auth/refresh', { refreshToken: payload.padEnd(20, 'x') }),
        anonymous('POST', '/v1/auth/verify-email', { token: payload.padEnd(20, 'x') }),
        anonymous('GET', `/v1/auth/verify-email?token=${encodeURIComponent(payload.padEnd(20, 'x'))}`),
        anonymous('POST', '/v1/auth/resend-verification', { email: payload }),
        anonymous('POST', '/v1/auth/forgot-password', { email: payload }),
        anonymous('POST', '/v1/auth/reset-password', { token: payload.padEnd(20, 'x'), password: PASSWORD }),
        anonymous(
          'GET',
          `/v1/auth/oidc/${encodeURIComponent(payload)}/start?redirect_uri=x&state=${'s'.repeat(16)}&code_challenge=${'c'.repeat(43)}&code_challenge_method=S256`,
        ),
        anonymous('GET', `/v1/auth/oidc/x/callback?state=${encodeURIComponent(payload)}`),
        anonymous('POST', '/v1/auth/oidc/token', {
          code: payload.padEnd(20, 'x'),
          code_verifier: 'v'.repeat(43),
          redirect_uri: payload,
          device: { name: 'x', platform: 'linux' },
        }),
        call(a.session.tokens.accessToken, signedIn['DELETE /v1/account/devices/:id']!, {
          device: encodeURIComponent(payload),
          blob: HASH,
        }),
        call(a.session.tokens.accessToken, signedIn['GET /v1/blobs/:hash']!, {
          device: DEVICE,
          blob: encodeURIComponent(payload),
        }),
        call(a.session.tokens.accessToken, {
          method: 'PUT',
          path: () => `/v1/blobs/${HASH}/parts/${encodeURIComponent(payload)}`,
          bytes: Buffer.alloc(1),
        }),
        call(a.session.tokens.accessToken, {
          method: 'POST',
          path: () => '/v1/sync',
          body: { messages: [], after: payload },
        }),
        call(a.session.tokens.accessToken, {
          method: 'POST',
          path: () => '/v1/sync',
          body: { messages: [{ timestamp: payload, keyId: payload, content: 'e30=' }], after: null },
        }),
        call(a.session.tokens.accessToken, {
          method: 'PUT',
          path: () => '/v1/sync/key',
          body: { envelope: { keyId: payload }, expectedVersion: 1 },
        }),
        call(a.session.tokens.accessToken, {
          method: 'POST',
          path: () => '/v1/ai/generate',
          body: { model: payload, system: payload, history: [], prompt: payload, maxTokens: 5 },
        }),
        call(a.session.tokens.accessToken, {
          method: 'DELETE',
          path: () => '/v1/account',
          body: { email: payload, password: payload },
        }),
      ]);
      if (responses[1]!.status === 202) registered += 1;
      for (const response of responses) {
        statuses.add(response.status);
        expect(response.status, `${response.url} answered ${response.status}`).toBeLessThan(500);
      }
    }
    expect([...statuses].every((status) => [202, 302, 400, 401, 403, 404].includes(status))).toBe(true);
    expect((await server.pool.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(
      before + registered,
    );
    // A device name is stored as typed.
    const tricky = "Robert'); DROP TABLE devices; --";
    const session = await signIn(server, await registerVerified(server), PASSWORD, {
      name: tricky,
      platform: 'linux',
    });
    expect((await session.api.json('GET', '/v1/account/devices', devicesSchema)).devices[0]!.name).toBe(
      tricky,
    );
  });
});

describe('brute force and oversized input (ASVS V2.2, V13.1)', () => {
  it('locks sign-in for an email after ten failures, even with the right password, across instances', async () => {
    const email = await registerVerified(server);
    const second = await startTestServer({ sameDataAs: server });
    try {
      const attempt = (instance: TestServer, password: string) =>
        fetch(`${instance.url}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password, device: { name: 'x', platform: 'linux' } }),
        });
      for (let tries = 0; tries < 10; tries++)
        expect((await attempt(tries % 2 ? second : server, `guess number ${tries}`)).status).toBe(401);
      const locked = await attempt(server, PASSWORD);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await locked.json()).toMatchObject({
        error: { code: 'RATE_LIMITED', message: expect.stringMatching(/Wait .* and try again/) },
      });
      expect((await attempt(second, PASSWORD)).status).toBe(429);
    } finally {
      await second.close();
    }
  });

  it('refuses bodies over each route limit with 413 before reading them whole', async () => {
    const big = (bytes: number) => JSON.stringify({ email: 'x@example.org', password: 'p'.repeat(bytes) });
    const login = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big(2 * 1024 * 1024),
    });
    expect(login.status).toBe(413);
    expect(await login.json()).toMatchObject({ error: { code: 'TOO_LARGE' } });
    const part = await call(a.session.tokens.accessToken, {
      method: 'PUT',
      path: () => `/v1/blobs/${HASH}/parts/0`,
      bytes: Buffer.alloc(server.config.blobPartBytes + 1),
    });
    expect(part.status).toBe(413);
  });
});

describe('what the server keeps (ASVS V6, V7, V8.3)', () => {
  it('holds no plaintext of synced notes or files: not in any table, not in the object store', async () => {
    const forms = [
      MARKER,
      Buffer.from(MARKER).toString('hex'),
      Buffer.from(MARKER).toString('base64').slice(0, 20),
    ];
    const { rows: tables } = await server.pool.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    for (const { table_name } of tables) {
      const { rows } = await server.pool.query(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
      for (const { row } of rows) for (const form of forms) expect(row, `${table_name}`).not.toContain(form);
    }
    const dir = (server.config.blobs as { dir: string }).dir;
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) =>
      entry.isFile(),
    );
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect(readFileSync(join(file.parentPath, file.name)).includes(MARKER)).toBe(false);
  });

  it('never writes passwords or tokens to its log, and answers with no-store and nosniff', async () => {
    const email = await registerVerified(server);
    const session = await signIn(server, email);
    await session.api.send('POST', '/v1/auth/refresh', {
      body: { refreshToken: session.tokens.refreshToken },
      auth: false,
    });
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, session.tokens.refreshToken, session.tokens.accessToken])
      expect(log).not.toContain(secret);
    const response = await session.api.send('GET', '/v1/account');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
