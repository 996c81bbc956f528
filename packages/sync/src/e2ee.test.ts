import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StampedChange } from './change.js';
import {
  DecryptionError,
  SyncKey,
  WeakPassphraseError,
  WrongPassphraseError,
  WrongRecoveryKeyError,
  changeSyncPassphrase,
  createSyncKey,
  keyEnvelopeSchema,
  plainCodec,
  recoverSyncKey,
  unlockSyncKey,
  type KeyEnvelope,
} from './e2ee.js';
import { decodeRecoveryKey, encodeRecoveryKey } from './recovery-key.js';

const MARKER = 'photosynthesis-marker-7f3a';
const change: StampedChange = {
  op: 'upsert',
  dataset: 'notes',
  row: 'n1',
  fields: { title: MARKER, body: 'Light reactions happen in the thylakoid.' },
  timestamp: '2026-03-01T09:30:00.000Z-0000-0123456789abcdef',
};

let created: { key: SyncKey; envelope: KeyEnvelope; recoveryKey: string };
beforeAll(async () => {
  created = await createSyncKey('correct horse battery staple');
});

describe('sync key', () => {
  it('seals a change so that neither its marker nor its fields appear in the envelope', () => {
    const sealed = created.key.seal(change);
    expect(sealed).toMatchObject({ timestamp: change.timestamp, keyId: created.key.keyId });
    const bytes = Buffer.from(sealed.content, 'base64');
    expect(bytes.includes(MARKER)).toBe(false);
    expect(sealed.content.includes(Buffer.from(MARKER).toString('base64').slice(0, 12))).toBe(false);
    expect(created.key.open(sealed)).toEqual(change);
  });

  it('refuses content that was altered, moved to another timestamp, or sealed with another key', () => {
    const sealed = created.key.seal(change);
    const flipped = Buffer.from(sealed.content, 'base64');
    flipped[20]! ^= 1;
    expect(() => created.key.open({ ...sealed, content: flipped.toString('base64') })).toThrow(
      DecryptionError,
    );
    expect(() =>
      created.key.open({ ...sealed, timestamp: '2026-03-01T09:31:00.000Z-0000-0123456789abcdef' }),
    ).toThrow(DecryptionError);
    const other = SyncKey.generate();
    expect(() => other.open(sealed)).toThrow(DecryptionError);
    expect(() => created.key.open(plainCodec.seal(change))).toThrow(/could not be decrypted/);
  });

  it('a second device unlocks the same key from the envelope with the passphrase', async () => {
    const stored = keyEnvelopeSchema.parse(JSON.parse(JSON.stringify(created.envelope)));
    const unlocked = await unlockSyncKey(stored, 'correct horse battery staple');
    expect(unlocked.open(created.key.seal(change))).toEqual(change);
  });

  it('exports the unlocked key for the keychain and imports it back, refusing anything else', () => {
    const imported = SyncKey.import(created.key.export());
    expect(imported.keyId).toBe(created.key.keyId);
    expect(imported.open(created.key.seal(change))).toEqual(change);
    for (const bad of ['', 'nokey', `${created.key.keyId}.${Buffer.alloc(16).toString('base64url')}`])
      expect(() => SyncKey.import(bad)).toThrow(RangeError);
  });

  it('says a wrong passphrase is wrong', async () => {
    await expect(unlockSyncKey(created.envelope, 'correct horse battery stapler')).rejects.toThrow(
      WrongPassphraseError,
    );
    await expect(unlockSyncKey(created.envelope, 'correct horse battery stapler')).rejects.toThrow(
      'The sync passphrase is wrong. Type it again, or use your recovery key.',
    );
  });

  it('opens with the recovery key, typed in any case with or without dashes, and refuses a wrong one', () => {
    expect(created.recoveryKey).toMatch(/^([0-9A-Z]{4}-){12}[0-9A-Z]{4}$/);
    const typed = created.recoveryKey.toLowerCase().replace(/-/g, ' ');
    expect(recoverSyncKey(created.envelope, typed).open(created.key.seal(change))).toEqual(change);
    const wrong = encodeRecoveryKey(randomBytes(32));
    expect(() => recoverSyncKey(created.envelope, wrong)).toThrow(WrongRecoveryKeyError);
    expect(() => recoverSyncKey(created.envelope, 'not a key')).toThrow(WrongRecoveryKeyError);
  });

  it('changing the passphrase re-wraps the key: old data opens, the old passphrase no longer does', async () => {
    const before = created.key.seal(change);
    const changed = await changeSyncPassphrase(created.envelope, created.key, 'a brand new passphrase');
    expect(changed.keyId).toBe(created.envelope.keyId);
    expect(changed.byRecoveryKey).toBe(created.envelope.byRecoveryKey);
    expect(changed.kdf.salt).not.toBe(created.envelope.kdf.salt);
    const unlocked = await unlockSyncKey(changed, 'a brand new passphrase');
    expect(unlocked.open(before)).toEqual(change);
    await expect(unlockSyncKey(changed, 'correct horse battery staple')).rejects.toThrow(
      WrongPassphraseError,
    );
    expect(recoverSyncKey(changed, created.recoveryKey).keyId).toBe(created.key.keyId);
  });

  it('refuses a passphrase too short to protect anything', async () => {
    await expect(createSyncKey('short')).rejects.toThrow(WeakPassphraseError);
  });

  it('refuses key parameters a server could use to weaken or stall a device', () => {
    const weakened = { ...created.envelope, kdf: { ...created.envelope.kdf, memoryKiB: 8 } };
    expect(keyEnvelopeSchema.safeParse(weakened).success).toBe(false);
    const huge = { ...created.envelope, kdf: { ...created.envelope.kdf, memoryKiB: 64 * 1024 * 1024 } };
    expect(keyEnvelopeSchema.safeParse(huge).success).toBe(false);
  });
});

describe('blob encryption', () => {
  const file = Buffer.concat([Buffer.from(MARKER), randomBytes(300_000)]);
  const sha = createHash('sha256').update(file).digest('hex');
  const seal = async (key: SyncKey, chunkSize = 65_536) =>
    buffer(Readable.from(chunks(file, chunkSize)).pipe(key.encryptBlob(sha)));

  it('round-trips a file streamed in any chunking, without the plaintext in the ciphertext', async () => {
    const sealed = await seal(created.key, 1000);
    expect(sealed.includes(MARKER)).toBe(false);
    for (const size of [1, 17, 70_000]) {
      const opened = await buffer(Readable.from(chunks(sealed, size)).pipe(created.key.decryptBlob()));
      expect(opened.equals(file)).toBe(true);
    }
  });

  it('gives the same ciphertext for the same file under one key, so it is uploaded once', async () => {
    expect((await seal(created.key, 4096)).equals(await seal(created.key, 99_999))).toBe(true);
    expect((await seal(SyncKey.generate())).equals(await seal(created.key))).toBe(false);
  });

  it('fails a file altered anywhere, including its last byte', async () => {
    const sealed = await seal(created.key);
    for (const position of [0, 10, 5000, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[position]! ^= 0x40;
      await expect(buffer(Readable.from([altered]).pipe(created.key.decryptBlob()))).rejects.toThrow(
        DecryptionError,
      );
    }
  });

  it('handles an empty file', async () => {
    const empty = createHash('sha256').update('').digest('hex');
    const sealed = await buffer(Readable.from([]).pipe(created.key.encryptBlob(empty)));
    const opened = await buffer(Readable.from([sealed]).pipe(created.key.decryptBlob()));
    expect(opened.length).toBe(0);
  });
});

describe('recovery key text', () => {
  it('round-trips 32 bytes and rejects other lengths or characters', () => {
    const bytes = randomBytes(32);
    expect(decodeRecoveryKey(encodeRecoveryKey(bytes))).toEqual(bytes);
    expect(decodeRecoveryKey(encodeRecoveryKey(randomBytes(31)))).toBeUndefined();
    expect(decodeRecoveryKey(encodeRecoveryKey(bytes).replace(/^./, 'U'))).toBeUndefined();
  });
});

function* chunks(data: Buffer, size: number) {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}
