/**
 * Two real desktop engines (two data folders, each its own keychain entries) signed in to one
 * account on this server, syncing their classes through it end to end encrypted: what one
 * creates appears on the other, concurrent edits resolve column by column by the clock, a delete
 * sticks, the server going away loses nothing, and signing out stops everything leaving.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AccountStatus, StudyClass } from '@little-monster/core/contract';
import {
  DATABASE_FILE,
  KeyringSecretStore,
  openTestCore,
  tempDir,
  waitFor,
  type TestCore,
} from '@little-monster/core/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEmail, PASSWORD, SYNC_PASSPHRASE } from '../test-support/devices.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
let a: Device;
let b: Device;
const email = newEmail('desktop');

interface Device {
  core: TestCore;
  keychain: KeyringSecretStore;
}

async function openDevice(name: string): Promise<Device> {
  const keychain = new KeyringSecretStore(`Little Monster sync test ${name} ${process.pid}`);
  const core = await openTestCore(join(dir.path, name), {}, { secrets: keychain });
  return { core, keychain };
}

const signedIn = (status: AccountStatus) => {
  if (!status.signedIn) throw new Error('expected a signed-in status');
  return status;
};
const syncNow = async (device: Device) => signedIn(await device.core.value<AccountStatus>('account.syncNow'));
const classes = (device: Device) =>
  device.core.value<StudyClass[]>('classes.list', { includeArchived: true });
const classNamed = async (device: Device, name: string) =>
  (await classes(device)).find((studyClass) => studyClass.name === name);
/** Waits until the wall clock has moved on, so the next change is stamped later than the last. */
const nextMillisecond = async () => {
  const now = Date.now();
  await waitFor(
    () => Date.now(),
    (later) => later > now,
  );
};

/** The change feed of a device's database: table, row, operation and timestamp. */
function feed(device: Device, table: string, rowId: string): { operation: string; hlc: string }[] {
  const database = new Database(join(device.core.dataDir, DATABASE_FILE), { readonly: true });
  try {
    return database
      .prepare('SELECT operation, hlc FROM changes WHERE table_name = ? AND row_id = ? ORDER BY seq')
      .all(table, rowId) as { operation: string; hlc: string }[];
  } finally {
    database.close();
  }
}

beforeAll(async () => {
  server = await startTestServer();
  dir = tempDir('lm-desktop-sync-');
  a = await openDevice('a');
  b = await openDevice('b');
});

afterAll(async () => {
  for (const device of [a, b]) {
    if (!device) continue;
    await device.core.dispatch('account.signOut', {});
    await device.core.close();
  }
  dir?.remove();
  await server?.close();
});

describe('two desktop engines syncing through the server', () => {
  it('signs up, confirms the email, signs in with its tokens in the keychain only, and sets the sync passphrase', async () => {
    const answer = await a.core.value<{ message: string }>('account.signUp', {
      serverUrl: server.url,
      email,
      password: PASSWORD,
    });
    expect(answer.message).toMatch(/email/i);

    // Not confirmed yet: the server says what to do.
    const early = await a.core.dispatch('account.signIn', {
      serverUrl: server.url,
      email,
      password: PASSWORD,
    });
    expect(early).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: /Confirm your email/ },
    });

    const mail = await server.mailbox.waitFor(email, /Confirm your email/);
    const link = /https?:\/\/\S+verify-email\?token=\S+/.exec(mail.text)![0];
    expect((await fetch(link)).status).toBe(200);

    const wrong = await a.core.dispatch('account.signIn', {
      serverUrl: server.url,
      email,
      password: 'not it at all',
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: /email or password is wrong/ },
    });

    const status = signedIn(
      await a.core.value<AccountStatus>('account.signIn', {
        serverUrl: server.url,
        email,
        password: PASSWORD,
      }),
    );
    expect(status).toMatchObject({ email, serverUrl: server.url, syncUnlocked: false, lastSyncedAt: null });
    const tokens = JSON.parse((await a.keychain.get('account.tokens'))!) as { refreshToken: string };
    const database = new Database(join(a.core.dataDir, DATABASE_FILE), { readonly: true });
    const stored = JSON.stringify(database.prepare('SELECT * FROM account').all());
    database.close();
    expect(stored).toContain(email);
    expect(stored).not.toContain(tokens.refreshToken);

    // Sync waits for the passphrase.
    expect(await a.core.dispatch('account.syncNow', {})).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: /passphrase/ },
    });
    const first = await a.core.value<{ status: AccountStatus; recoveryKey: string | null }>(
      'account.unlockSync',
      {
        passphrase: SYNC_PASSPHRASE,
      },
    );
    expect(first.recoveryKey).toMatch(/\S{20,}/);
    expect(signedIn(first.status).syncUnlocked).toBe(true);
    expect(await a.keychain.get('account.sync-key')).toBeTruthy();

    signedIn(
      await b.core.value<AccountStatus>('account.signIn', {
        serverUrl: server.url,
        email,
        password: PASSWORD,
      }),
    );
    const mistyped = await b.core.dispatch('account.unlockSync', {
      passphrase: 'tulips in the chemistry lab',
    });
    expect(mistyped).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: /passphrase is wrong/ },
    });
    const second = await b.core.value<{ status: AccountStatus; recoveryKey: string | null }>(
      'account.unlockSync',
      {
        passphrase: SYNC_PASSPHRASE,
      },
    );
    expect(second.recoveryKey).toBeNull();
    expect(signedIn(second.status).syncUnlocked).toBe(true);
  });

  it('shows a class created on one on the other, exams included, recorded there under the time it was made', async () => {
    const created = await a.core.value<StudyClass>('classes.create', {
      name: 'Biology',
      code: 'BIO 101',
      exams: [{ title: 'Midterm', date: '2026-12-14', time: '09:30' }],
    });
    expect(signedIn(await syncNow(a))).toMatchObject({ pending: 0, lastError: null });
    const status = await syncNow(b);
    expect(status.lastSyncedAt).not.toBeNull();

    const copy = await classNamed(b, 'Biology');
    expect(copy).toEqual({ ...created, updatedAt: copy!.updatedAt });
    expect(copy!.updatedAt).toBe(created.updatedAt);
    expect(b.core.events.some((event) => event.name === 'classes.changed')).toBe(true);
    // B's feed has the row under A's timestamp, so B does not send it back as its own.
    expect(feed(b, 'classes', created.id)[0]).toEqual(feed(a, 'classes', created.id)[0]);
    expect((await syncNow(b)).pending).toBe(0);
  });

  it('resolves edits made on both column by column: the later edit of a column wins on both', async () => {
    const biology = (await classNamed(a, 'Biology'))!;
    await a.core.value('classes.update', {
      id: biology.id,
      patch: { name: 'Biology I', term: 'Autumn' },
    });
    await nextMillisecond();
    await b.core.value('classes.update', {
      id: biology.id,
      patch: { name: 'Cell Biology', instructor: 'Dr. Okafor' },
    });

    await syncNow(a);
    await syncNow(b);
    await syncNow(a);
    for (const device of [a, b])
      expect(await classNamed(device, 'Cell Biology')).toMatchObject({
        id: biology.id,
        term: 'Autumn',
        instructor: 'Dr. Okafor',
        code: 'BIO 101',
      });
  });

  it('keeps a deleted class deleted, even against a later edit and an exam added elsewhere', async () => {
    const biology = (await classNamed(a, 'Cell Biology'))!;
    await b.core.value('classes.delete', { id: biology.id });
    await nextMillisecond();
    const edited = await a.core.value<StudyClass>('classes.update', {
      id: biology.id,
      patch: { color: '#ff8800', exams: [...biology.exams, { title: 'Final', date: '2027-01-20' }] },
    });

    await syncNow(b);
    await syncNow(a);
    await syncNow(b);
    for (const device of [a, b]) expect(await classNamed(device, 'Cell Biology')).toBeUndefined();
    expect(feed(a, 'classes', biology.id).at(-1)?.operation).toBe('delete');
    // The exam A added to the class B deleted went on both (B received it after the delete).
    const final = edited.exams.find((exam) => exam.title === 'Final')!;
    for (const device of [a, b])
      expect(feed(device, 'class_exams', final.id).at(-1)?.operation).toBe('delete');

    // Nothing brings it back later.
    await syncNow(a);
    await syncNow(b);
    for (const device of [a, b])
      expect((await classes(device)).map((studyClass) => studyClass.id)).not.toContain(biology.id);
  });

  it('keeps changes made while the server is down and sends them when it is back', async () => {
    await server.stop();
    await a.core.value('classes.create', { name: 'History' });
    const offline = await syncNow(a);
    expect(offline.lastError).toMatch(/could not be reached/);
    expect(offline.pending).toBeGreaterThan(0);

    await server.restart();
    expect(await syncNow(a)).toMatchObject({ pending: 0, lastError: null });
    await syncNow(b);
    expect(await classNamed(b, 'History')).toBeDefined();
  });

  it('sends nothing once signed out, and forgets the tokens and the key', async () => {
    const status = await b.core.value<AccountStatus>('account.signOut');
    expect(status).toEqual({ signedIn: false });
    expect(await b.keychain.get('account.tokens')).toBeNull();
    expect(await b.keychain.get('account.sync-key')).toBeNull();
    expect(await b.core.dispatch('account.syncNow', {})).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });

    await b.core.value('classes.create', { name: 'Only on B' });
    await syncNow(a);
    expect(await classNamed(a, 'Only on B')).toBeUndefined();
    // Its classes are still here.
    expect(await classNamed(b, 'History')).toBeDefined();
  });
});
