/**
 * Where blob bytes live: the server's disk by default, or S3-compatible object storage shared
 * by every instance. Keys are `users/<user id>/...`, so an account's objects go with one prefix.
 */
import type { Readable } from 'node:stream';

export interface BlobStore {
  /** Stores `size` bytes under `key`, replacing what was there; readers never see half an object. */
  put(key: string, body: Readable | Buffer, size: number): Promise<void>;
  /** The object's bytes; throws {@link BlobNotFoundError} when there is none. */
  get(key: string): Promise<Readable>;
  delete(keys: readonly string[]): Promise<void>;
  deletePrefix(prefix: string): Promise<void>;
  close(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`No stored object ${key}.`);
    this.name = 'BlobNotFoundError';
  }
}

/** Keys are built by the server from a user id and hex names only; anything else is a bug. */
export function checkKey(key: string): string {
  if (!/^users\/[0-9a-f-]{36}(\/[0-9a-z-]+)*$/.test(key)) throw new RangeError(`Not a blob key: ${key}`);
  return key;
}
