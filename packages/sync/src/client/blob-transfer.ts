/**
 * Files travel as content-addressed blobs named by the SHA-256 of what the server stores (the
 * ciphertext, for an encrypted account). A blob is uploaded in numbered parts, so an upload
 * broken off resumes at the first part the server lacks, and once a blob is complete on the
 * server no device uploads it again. Downloads are checked against the name before they are
 * kept.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { blobStatusSchema, type BlobStatus } from '../api.js';
import type { SyncKey } from '../e2ee.js';
import type { ServerApi } from './server-api.js';

/** A file whose content does not match the hash it is named by. */
export class BlobHashMismatchError extends Error {
  constructor(hash: string) {
    super(`The file downloaded as ${hash.slice(0, 12)}… is not the file that was uploaded; it was not kept.`);
    this.name = 'BlobHashMismatchError';
  }
}

export interface SealedFile {
  path: string;
  /** SHA-256 of the sealed bytes: the blob's name on the server. */
  hash: string;
  size: number;
}

/** Encrypts a file for upload into `sealedPath` and names it by the ciphertext's hash. */
export async function sealFile(
  key: SyncKey,
  plainPath: string,
  plainSha256: string,
  sealedPath: string,
): Promise<SealedFile> {
  const hasher = new HashingStream();
  await pipeline(
    createReadStream(plainPath),
    key.encryptBlob(plainSha256),
    hasher,
    createWriteStream(sealedPath),
  );
  return { path: sealedPath, hash: hasher.hex(), size: hasher.bytes };
}

/** Uploads a file as the blob `hash`, sending only the parts the server does not have yet. */
export async function uploadBlob(
  api: ServerApi,
  file: SealedFile,
  signal?: AbortSignal,
): Promise<BlobStatus> {
  const { size } = await stat(file.path);
  if (size !== file.size) throw new RangeError(`${file.path} changed since it was hashed.`);
  let status = await api.json('POST', `/v1/blobs/${file.hash}/upload`, blobStatusSchema, {
    body: { size },
    signal,
  });
  if (status.complete) return status;
  const received = new Set(status.receivedParts);
  const parts = Math.max(1, Math.ceil(size / status.partBytes));
  const handle = await open(file.path, 'r');
  try {
    for (let index = 0; index < parts; index++) {
      if (received.has(index)) continue;
      const start = index * status.partBytes;
      const bytes = Buffer.alloc(Math.min(status.partBytes, size - start));
      await handle.read(bytes, 0, bytes.length, start);
      await api.send('PUT', `/v1/blobs/${file.hash}/parts/${index}`, { bytes, signal });
    }
  } finally {
    await handle.close();
  }
  status = await api.json('POST', `/v1/blobs/${file.hash}/complete`, blobStatusSchema, { body: {}, signal });
  return status;
}

/**
 * Downloads blob `hash` to `destination` (decrypted with `key` when given), through a file
 * beside it that becomes `destination` only when the hash and the decryption both check out.
 */
export async function downloadBlob(
  api: ServerApi,
  hash: string,
  destination: string,
  key?: SyncKey,
  signal?: AbortSignal,
): Promise<void> {
  const response = await api.send('GET', `/v1/blobs/${hash}`, { signal });
  if (!response.body) throw new BlobHashMismatchError(hash);
  const partial = `${destination}.partial`;
  const hasher = new HashingStream();
  const body = Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]);
  try {
    if (key) await pipeline(body, hasher, key.decryptBlob(), createWriteStream(partial), { signal });
    else await pipeline(body, hasher, createWriteStream(partial), { signal });
    if (hasher.hex() !== hash) throw new BlobHashMismatchError(hash);
    await rename(partial, destination);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Passes bytes through while hashing them. */
class HashingStream extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null, data?: Buffer) => void,
  ) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  hex(): string {
    return this.hash.copy().digest('hex');
  }
}
