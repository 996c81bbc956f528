/**
 * Test users and devices speaking to a real server through the same client code a desktop
 * uses (ServerApi, syncOnce), each device with an in-memory replica.
 */
import {
  createSyncKey,
  ServerApi,
  syncOnce,
  TokenSession,
  type KeyEnvelope,
  type SyncKey,
  tokensSchema,
  type DeviceInfo,
  type MessageCodec,
  type SyncDatasets,
  type SyncResult,
  type Tokens,
} from '@little-monster/sync';
import { MemoryReplica } from '@little-monster/sync/test-support';
import type { TestServer } from './test-server.js';

export const PASSWORD = 'a long enough password';
export const DATASETS: SyncDatasets = {
  classes: 'lww',
  materials: 'lww',
  notes: 'lww',
  cards: 'lww',
  review_log: 'append-only',
};

let users = 0;
/** A fresh address per call, so tests in one database never collide. */
export const newEmail = (name = 'student') => `${name}-${process.pid}-${++users}@example.org`;

/** Registers and confirms an account through the real email round trip. */
export async function registerVerified(
  server: TestServer,
  email = newEmail(),
  password = PASSWORD,
): Promise<string> {
  const api = new ServerApi({ baseUrl: server.url });
  await api.send('POST', '/v1/auth/register', { body: { email, password }, auth: false });
  const mail = await server.mailbox.waitFor(email, /Confirm your email/);
  const link = /https?:\/\/\S+verify-email\?token=\S+/.exec(mail.text)![0];
  const token = new URL(link).searchParams.get('token')!;
  await api.send('POST', '/v1/auth/verify-email', { body: { token }, auth: false });
  return email;
}

/** A signed-in session whose access token refreshes itself once when refused. */
export class Session {
  readonly api: ServerApi;
  private readonly session: TokenSession;

  constructor(baseUrl: string, tokens: Tokens) {
    this.session = new TokenSession(baseUrl, tokens);
    this.api = this.on(baseUrl);
  }

  get tokens(): Tokens {
    return this.session.tokens;
  }

  /** The same session through another server instance. */
  on(baseUrl: string): ServerApi {
    return new ServerApi({ baseUrl, session: this.session });
  }
}

export async function signIn(
  server: { url: string },
  email: string,
  password = PASSWORD,
  device: DeviceInfo = { name: 'Test laptop', platform: 'linux' },
): Promise<Session> {
  const tokens = await new ServerApi({ baseUrl: server.url }).json('POST', '/v1/auth/login', tokensSchema, {
    body: { email, password, device },
    auth: false,
  });
  return new Session(server.url, tokens);
}

/** A device: an in-memory replica syncing through a session. */
export class TestDevice {
  readonly replica: MemoryReplica;

  constructor(
    public session: Session,
    public codec: MessageCodec,
    /** This device's wall clock (a device whose clock is wrong). */
    clock: { now?: () => number } = {},
  ) {
    this.replica = new MemoryReplica(DATASETS, clock);
  }

  sync(): Promise<SyncResult> {
    return syncOnce(this.replica, this.session.api.syncTransport(), this.codec);
  }
}

let sharedKey: Promise<{ key: SyncKey; envelope: KeyEnvelope }> | undefined;
/** One end-to-end key for a test file (argon2id takes half a second per derivation). */
export function testSyncKey(): Promise<{ key: SyncKey; envelope: KeyEnvelope }> {
  return (sharedKey ??= createSyncKey(SYNC_PASSPHRASE));
}
export const SYNC_PASSPHRASE = 'tulips in the physics lab';

/** A verified account with end-to-end encryption set up, and `devices` signed-in devices. */
export async function encryptedAccount(
  server: TestServer,
  devices = 2,
): Promise<{ email: string; devices: TestDevice[] }> {
  const email = await registerVerified(server);
  const { key, envelope } = await testSyncKey();
  const sessions = [];
  for (let index = 0; index < devices; index++)
    sessions.push(await signIn(server, email, PASSWORD, { name: `Device ${index + 1}`, platform: 'linux' }));
  await sessions[0]!.api.send('PUT', '/v1/sync/key', { body: { envelope } });
  return { email, devices: sessions.map((session) => new TestDevice(session, key)) };
}
