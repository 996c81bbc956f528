/**
 * End-to-end encryption of sync messages and blobs. A random 256-bit data key encrypts
 * everything (AES-256-GCM). The key leaves the device only wrapped twice: under a key derived
 * from the sync passphrase with argon2id, and under the recovery key shown once. The server
 * keeps that {@link KeyEnvelope}, so a new device fetches it and unlocks it with the
 * passphrase; changing the passphrase re-wraps the data key and leaves the data as it is.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type DecipherGCM,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { hashRaw, type Algorithm } from '@node-rs/argon2';
import { z } from 'zod';
import { changeSchema, type StampedChange } from './change.js';
import { keyIdSchema, type Envelope } from './protocol.js';
import { decodeRecoveryKey, encodeRecoveryKey } from './recovery-key.js';

const ARGON2ID = 2 as Algorithm.Argon2id;
/**
 * Key derivation on the device: RFC 9106's second recommended option (64 MiB, 3 passes), about
 * half a second on a 2-core laptop. Unlocking uses the parameters stored with the key, within
 * these bounds, so a server cannot make a device spend gigabytes or accept a weakened key.
 */
export const PASSPHRASE_KDF = { memoryKiB: 65_536, iterations: 3, parallelism: 1 } as const;
const KDF_BOUNDS = { memoryKiB: [19_456, 1_048_576], iterations: [2, 10], parallelism: [1, 8] } as const;
export const MIN_PASSPHRASE_LENGTH = 8;

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BLOB_MAGIC = Buffer.from('LMB1');
const BLOB_HEADER_BYTES = BLOB_MAGIC.length + IV_BYTES;

const base64Bytes = (min: number, max: number) =>
  z.base64().refine((text) => {
    const length = Buffer.from(text, 'base64').length;
    return length >= min && length <= max;
  });

export const keyEnvelopeSchema = z.object({
  version: z.literal(1),
  keyId: keyIdSchema,
  kdf: z.object({
    algorithm: z.literal('argon2id'),
    memoryKiB: z.number().int().min(KDF_BOUNDS.memoryKiB[0]).max(KDF_BOUNDS.memoryKiB[1]),
    iterations: z.number().int().min(KDF_BOUNDS.iterations[0]).max(KDF_BOUNDS.iterations[1]),
    parallelism: z.number().int().min(KDF_BOUNDS.parallelism[0]).max(KDF_BOUNDS.parallelism[1]),
    salt: base64Bytes(16, 64),
  }),
  /** The data key under the passphrase's key: IV, ciphertext, tag. */
  byPassphrase: base64Bytes(60, 60),
  /** The data key under the recovery key. */
  byRecoveryKey: base64Bytes(60, 60),
});
export type KeyEnvelope = z.infer<typeof keyEnvelopeSchema>;

export class WrongPassphraseError extends Error {
  constructor() {
    super('The sync passphrase is wrong. Type it again, or use your recovery key.');
    this.name = 'WrongPassphraseError';
  }
}

export class WrongRecoveryKeyError extends Error {
  constructor() {
    super('This recovery key does not open your synced data. Check it and type it again.');
    this.name = 'WrongRecoveryKeyError';
  }
}

/** Content that does not decrypt with this key: damaged, altered, or sealed with another key. */
export class DecryptionError extends Error {
  constructor(what: string) {
    super(
      `${what} could not be decrypted: it was damaged or altered on the way, or sealed with another key.`,
    );
    this.name = 'DecryptionError';
  }
}

export class WeakPassphraseError extends Error {
  constructor() {
    super(`Choose a sync passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`);
    this.name = 'WeakPassphraseError';
  }
}

/** Turns changes into envelopes for the server and back. */
export interface MessageCodec {
  seal(change: StampedChange): Envelope;
  /** Throws {@link DecryptionError} for content this codec cannot open. */
  open(envelope: Envelope): StampedChange;
}

/** For an account that chose not to encrypt: the change's JSON, base64-encoded. */
export const plainCodec: MessageCodec = {
  seal: ({ timestamp, ...change }) => ({
    timestamp,
    keyId: null,
    content: Buffer.from(JSON.stringify(change)).toString('base64'),
  }),
  open: (envelope) => {
    if (envelope.keyId !== null) throw new DecryptionError('A message');
    return parseChange(Buffer.from(envelope.content, 'base64'), envelope.timestamp);
  },
};

/** The unlocked data key of one account. */
export class SyncKey implements MessageCodec {
  private readonly messageKey: Buffer;
  private readonly blobKey: Buffer;
  private readonly blobNonceKey: Buffer;

  private constructor(
    readonly keyId: string,
    private readonly dataKey: Buffer,
  ) {
    const derive = (purpose: string) =>
      Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `lm-sync ${purpose}`, 32));
    this.messageKey = derive('messages');
    this.blobKey = derive('blobs');
    this.blobNonceKey = derive('blob nonces');
  }

  static generate(): SyncKey {
    return new SyncKey(randomBytes(12).toString('base64url'), randomBytes(32));
  }

  /** @internal Unwraps a data key (used by the functions below). */
  static fromDataKey(keyId: string, dataKey: Buffer): SyncKey {
    return new SyncKey(keyId, dataKey);
  }

  /**
   * The unlocked key as text, for the device's OS keychain (so the passphrase is asked once per
   * device, not at every start). It opens everything: it never goes anywhere else.
   */
  export(): string {
    return `${this.keyId}.${this.dataKey.toString('base64url')}`;
  }

  /** A key from {@link export}; throws a RangeError for anything else. */
  static import(text: string): SyncKey {
    const [keyId = '', key = ''] = text.split('.');
    const dataKey = Buffer.from(key, 'base64url');
    if (!keyIdSchema.safeParse(keyId).success || dataKey.length !== 32)
      throw new RangeError('This is not an exported sync key.');
    return new SyncKey(keyId, dataKey);
  }

  seal({ timestamp, ...change }: StampedChange): Envelope {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.messageKey, iv).setAAD(this.messageAad(timestamp));
    const sealed = Buffer.concat([
      Buffer.of(VERSION),
      iv,
      cipher.update(JSON.stringify(change)),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return { timestamp, keyId: this.keyId, content: sealed.toString('base64') };
  }

  open(envelope: Envelope): StampedChange {
    const sealed = Buffer.from(envelope.content, 'base64');
    if (envelope.keyId !== this.keyId || sealed[0] !== VERSION || sealed.length < 1 + IV_BYTES + TAG_BYTES)
      throw new DecryptionError('A message');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.messageKey, iv)
      .setAAD(this.messageAad(envelope.timestamp))
      .setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new DecryptionError('A message');
    }
    return parseChange(plain, envelope.timestamp);
  }

  /**
   * Encrypts a file as a stream. The IV comes from the file's own SHA-256 under a key of this
   * account, so the same file always gives the same ciphertext: it is uploaded once, whichever
   * device has it, and the server learns only that two uploads are the same file.
   */
  encryptBlob(plaintextSha256: string): Transform {
    if (!/^[0-9a-f]{64}$/.test(plaintextSha256)) throw new RangeError('Expected a hex SHA-256.');
    const iv = createHmac('sha256', this.blobNonceKey).update(plaintextSha256).digest().subarray(0, IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.blobKey, iv).setAAD(this.blobAad());
    let started = false;
    return new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (!started) {
          started = true;
          this.push(Buffer.concat([BLOB_MAGIC, iv]));
        }
        callback(null, cipher.update(chunk));
      },
      flush(callback) {
        if (!started) this.push(Buffer.concat([BLOB_MAGIC, iv]));
        this.push(cipher.final());
        callback(null, cipher.getAuthTag());
      },
    });
  }

  /**
   * Decrypts a stream from {@link encryptBlob}. Plaintext flows out as it comes; the stream
   * fails at its end if the file was altered, so write it aside and keep it only when the
   * stream finished without error.
   */
  decryptBlob(): Transform {
    return new BlobDecryptor(this.blobKey, this.blobAad());
  }

  /** The data key wrapped under `wrappingKey`, bound to this key's id and purpose. */
  wrap(wrappingKey: Buffer, purpose: WrapPurpose): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv).setAAD(wrapAad(this.keyId, purpose));
    return Buffer.concat([iv, cipher.update(this.dataKey), cipher.final(), cipher.getAuthTag()]).toString(
      'base64',
    );
  }

  private messageAad(timestamp: string): Buffer {
    // Binds the content to its timestamp: the server cannot move a change to another time.
    return Buffer.from(`lm-sync message v${VERSION}|${this.keyId}|${timestamp}`);
  }

  private blobAad(): Buffer {
    return Buffer.from(`lm-sync blob v${VERSION}|${this.keyId}`);
  }
}

type WrapPurpose = 'passphrase' | 'recovery';

/** A new data key for an account, wrapped under the passphrase and a new recovery key. */
export async function createSyncKey(
  passphrase: string,
): Promise<{ key: SyncKey; envelope: KeyEnvelope; recoveryKey: string }> {
  const key = SyncKey.generate();
  const recovery = randomBytes(32);
  const byRecoveryKey = key.wrap(recoveryWrappingKey(recovery), 'recovery');
  const envelope = await wrapWithPassphrase(key, passphrase, byRecoveryKey);
  return { key, envelope, recoveryKey: encodeRecoveryKey(recovery) };
}

/** Opens the account's key with its sync passphrase. */
export async function unlockSyncKey(envelope: KeyEnvelope, passphrase: string): Promise<SyncKey> {
  const { kdf } = keyEnvelopeSchema.parse(envelope);
  const wrappingKey = await passphraseKey(passphrase, Buffer.from(kdf.salt, 'base64'), kdf);
  const dataKey = unwrap(envelope.byPassphrase, wrappingKey, envelope.keyId, 'passphrase');
  if (!dataKey) throw new WrongPassphraseError();
  return SyncKey.fromDataKey(envelope.keyId, dataKey);
}

/** Opens the account's key with the recovery key (when the passphrase is forgotten). */
export function recoverSyncKey(envelope: KeyEnvelope, recoveryKey: string): SyncKey {
  const recovery = decodeRecoveryKey(recoveryKey);
  if (!recovery) throw new WrongRecoveryKeyError();
  const dataKey = unwrap(envelope.byRecoveryKey, recoveryWrappingKey(recovery), envelope.keyId, 'recovery');
  if (!dataKey) throw new WrongRecoveryKeyError();
  return SyncKey.fromDataKey(envelope.keyId, dataKey);
}

/**
 * The envelope with the same data key under a new passphrase (new salt); the recovery
 * wrapping and every message and blob stay as they are.
 */
export function changeSyncPassphrase(
  envelope: KeyEnvelope,
  key: SyncKey,
  newPassphrase: string,
): Promise<KeyEnvelope> {
  if (key.keyId !== envelope.keyId) throw new RangeError('This key does not belong to that envelope.');
  return wrapWithPassphrase(key, newPassphrase, envelope.byRecoveryKey);
}

async function wrapWithPassphrase(
  key: SyncKey,
  passphrase: string,
  byRecoveryKey: string,
): Promise<KeyEnvelope> {
  if (passphrase.trim().length < MIN_PASSPHRASE_LENGTH) throw new WeakPassphraseError();
  const salt = randomBytes(16);
  const wrappingKey = await passphraseKey(passphrase, salt, PASSPHRASE_KDF);
  return {
    version: 1,
    keyId: key.keyId,
    kdf: { algorithm: 'argon2id', ...PASSPHRASE_KDF, salt: salt.toString('base64') },
    byPassphrase: key.wrap(wrappingKey, 'passphrase'),
    byRecoveryKey,
  };
}

function passphraseKey(
  passphrase: string,
  salt: Buffer,
  kdf: { memoryKiB: number; iterations: number; parallelism: number },
): Promise<Buffer> {
  return hashRaw(passphrase.normalize('NFC'), {
    algorithm: ARGON2ID,
    salt,
    memoryCost: kdf.memoryKiB,
    timeCost: kdf.iterations,
    parallelism: kdf.parallelism,
    outputLen: 32,
  });
}

function recoveryWrappingKey(recovery: Buffer): Buffer {
  // The recovery key is 256 random bits: a plain key derivation suffices, no stretching.
  return Buffer.from(hkdfSync('sha256', recovery, Buffer.alloc(0), 'lm-sync recovery wrapping', 32));
}

function unwrap(
  wrapped: string,
  wrappingKey: Buffer,
  keyId: string,
  purpose: WrapPurpose,
): Buffer | undefined {
  const bytes = Buffer.from(wrapped, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey, bytes.subarray(0, IV_BYTES))
    .setAAD(wrapAad(keyId, purpose))
    .setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}

function wrapAad(keyId: string, purpose: WrapPurpose): Buffer {
  return Buffer.from(`lm-sync key v${VERSION}|${keyId}|${purpose}`);
}

function parseChange(plain: Buffer, timestamp: string): StampedChange {
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain.toString('utf8'));
  } catch {
    throw new DecryptionError('A message');
  }
  const change = changeSchema.safeParse(parsed);
  if (!change.success) throw new DecryptionError('A message');
  return { ...change.data, timestamp };
}

/** AES-GCM decryption of a blob stream: header first, the tag in the last 16 bytes. */
class BlobDecryptor extends Transform {
  private header = Buffer.alloc(0);
  private decipher: DecipherGCM | undefined;
  /** The last bytes seen, which may be the tag. */
  private tail = Buffer.alloc(0);

  constructor(
    private readonly key: Buffer,
    private readonly aad: Buffer,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let data = chunk;
    if (!this.decipher) {
      this.header = Buffer.concat([this.header, data]);
      if (this.header.length < BLOB_HEADER_BYTES) return callback();
      if (!timingSafeEqual(this.header.subarray(0, BLOB_MAGIC.length), BLOB_MAGIC))
        return callback(new DecryptionError('A file'));
      const iv = this.header.subarray(BLOB_MAGIC.length, BLOB_HEADER_BYTES);
      this.decipher = createDecipheriv('aes-256-gcm', this.key, iv).setAAD(this.aad);
      data = this.header.subarray(BLOB_HEADER_BYTES);
    }
    const buffered = Buffer.concat([this.tail, data]);
    const cut = Math.max(0, buffered.length - TAG_BYTES);
    this.tail = buffered.subarray(cut);
    callback(null, this.decipher.update(buffered.subarray(0, cut)));
  }

  override _flush(callback: TransformCallback): void {
    if (!this.decipher || this.tail.length < TAG_BYTES) return callback(new DecryptionError('A file'));
    try {
      this.decipher.setAuthTag(this.tail);
      callback(null, this.decipher.final());
    } catch {
      callback(new DecryptionError('A file'));
    }
  }
}
