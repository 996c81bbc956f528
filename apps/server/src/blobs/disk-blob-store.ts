/** Blobs as files under one folder (a shared volume when several instances run). */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, checkKey, type BlobStore } from './blob-store.js';

export function diskBlobStore(root: string): BlobStore {
  const pathOf = (key: string) => join(root, checkKey(key));
  return {
    async put(key, body, size) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      // Written aside and renamed: a reader sees the old object or the whole new one.
      const partial = `${target}.${randomUUID()}.partial`;
      try {
        await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(partial));
        const { size: written } = await stat(partial);
        if (written !== size) throw new Error(`Expected ${size} bytes for ${key}, received ${written}.`);
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    async get(key) {
      const stream = createReadStream(pathOf(key));
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', (error: NodeJS.ErrnoException) =>
          reject(error.code === 'ENOENT' ? new BlobNotFoundError(key) : error),
        );
      });
      return stream;
    },
    async delete(keys) {
      await Promise.all(keys.map((key) => rm(pathOf(key), { force: true })));
    },
    async deletePrefix(prefix) {
      await rm(pathOf(prefix), { recursive: true, force: true });
    },
    async close() {},
  };
}
