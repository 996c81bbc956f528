import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../contract/index.js';

/** What `put` accepts: a file to copy, bytes in memory, or a stream of chunks. */
export type BlobSource = string | Uint8Array | AsyncIterable<Uint8Array>;

export interface StoredBlob {
  sha256: string;
  bytes: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Beside the blobs so a rename into place never crosses file systems. */
const TEMP_FOLDER = 'tmp';

/**
 * Content-addressed files beside the database (`blobs/ab/abcdef…`): the same content is stored
 * once, and a name is only ever given to a complete, fsynced file.
 */
export class BlobStore {
  constructor(readonly root: string) {}

  /** Copies `source` into the store while hashing it; storing existing content again is a no-op. */
  async put(source: BlobSource, options: { signal?: AbortSignal } = {}): Promise<StoredBlob> {
    const tempFolder = join(this.root, TEMP_FOLDER);
    await mkdir(tempFolder, { recursive: true });
    const partial = join(tempFolder, `${randomUUID()}.part`);
    try {
      const { sha256, bytes } = await writeHashed(partial, chunksOf(source), options.signal);
      const final = this.pathOf(sha256);
      if (await exists(final)) {
        await rm(partial, { force: true });
      } else {
        await mkdir(dirname(final), { recursive: true });
        await rename(partial, final);
        await syncFolder(dirname(final));
      }
      return { sha256, bytes };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new AppError('INVALID_INPUT', `Not a sha256 digest: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  /** Removes a blob; removing one that is not there is not an error. */
  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  /** Deletes copies cut short by a crash or a quit; call once at start-up, before any `put`. */
  async removeInterruptedWrites(): Promise<number> {
    const tempFolder = join(this.root, TEMP_FOLDER);
    const names = await readdir(tempFolder).catch(() => [] as string[]);
    await Promise.all(names.map((name) => rm(join(tempFolder, name), { force: true, recursive: true })));
    return names.length;
  }
}

async function* chunksOf(source: BlobSource): AsyncIterable<Uint8Array> {
  if (typeof source === 'string') yield* createReadStream(source, { highWaterMark: 1 << 20 });
  else if (source instanceof Uint8Array) yield source;
  else yield* source;
}

async function writeHashed(
  path: string,
  chunks: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
): Promise<StoredBlob> {
  const hash = createHash('sha256');
  let bytes = 0;
  const file = await open(path, 'wx');
  try {
    for await (const chunk of chunks) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      hash.update(chunk);
      bytes += chunk.byteLength;
      // write() may write less than asked; loop until the whole chunk is down.
      for (let offset = 0; offset < chunk.byteLength;) {
        const { bytesWritten } = await file.write(chunk, offset, chunk.byteLength - offset);
        offset += bytesWritten;
      }
    }
    await file.sync();
  } finally {
    await file.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Makes the rename itself durable; some platforms (Windows) cannot open folders, which is fine there. */
async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r').catch(() => null);
  if (!folder) return;
  await folder.sync().catch(() => undefined);
  await folder.close();
}
