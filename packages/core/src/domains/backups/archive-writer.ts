import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, readSync, openSync, closeSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { deflateRawSync } from 'node:zlib';
import { ZipFile } from 'yazl';
import type { BackupResult } from '../../contract/index.js';
import { DATABASE_FILE } from '../../db/database-copy.js';
import type { ProgressReporter } from '../../workers/worker-task.js';
import { syncFile, syncFolder } from '../../storage/durable-files.js';
import { readManifest } from './archive-reader.js';
import {
  DATA_PREFIX,
  FILE_STORE_FOLDER,
  MANIFEST_ENTRY,
  newManifest,
  storePathOf,
  type Manifest,
  type ManifestFile,
} from './backup-manifest.js';
import type { DataFile } from './data-set.js';
import { archivesIn } from './backup-folder.js';

const READ_CHUNK = 1 << 20;

/** Where a backup goes: one self-contained archive, or an archive in a folder whose file store it shares. */
export type ArchiveTarget =
  { kind: 'file'; path: string } | { kind: 'folder'; folder: string; fileName: string };

export interface WriteArchiveTask {
  files: DataFile[];
  target: ArchiveTarget;
  manifest: Omit<Manifest, 'format' | 'formatVersion' | 'files'>;
}

export const partialNameOf = (path: string) => `${path}.part`;
export const finalPathOf = (target: ArchiveTarget) =>
  target.kind === 'file' ? target.path : join(target.folder, target.fileName);

/**
 * Writes the archive under a temporary name and renames it once complete and on the disk, so a
 * backup cut short (a crash, a cancel, a full disk) never carries the final name. In a folder,
 * every file but the database goes to the shared file store by its sha256, copied only when the
 * store does not have it yet: unchanged files are neither read nor written again (their hash is
 * taken from the folder's last backup when their size and time did not change).
 */
export async function writeArchive(
  task: WriteArchiveTask,
  progress: ProgressReporter,
): Promise<BackupResult> {
  const final = finalPathOf(task.target);
  const partial = partialNameOf(final);
  await mkdir(dirname(final), { recursive: true });
  const total = task.files.reduce((sum, file) => sum + file.bytes, 0) || 1;
  let done = 0;
  let written = 0;
  const advance = (bytes: number) => {
    done += bytes;
    progress(Math.min(1, done / total), 'Copying your files');
  };
  const store = task.target.kind === 'folder' ? await FileStore.open(task.target.folder) : null;

  const zip = new ZipFile();
  const output = createWriteStream(partial, { flags: 'wx' });
  const writing = pipeline(zip.outputStream, output);
  const failed = new Promise<never>((_resolve, reject) => zip.on('error', reject));
  writing.catch(() => undefined);
  failed.catch(() => undefined);
  try {
    const entries: ManifestFile[] = [];
    for (const file of task.files) {
      if (store && file.path !== DATABASE_FILE) {
        const stored = await store.put(file, advance);
        written += stored.written;
        entries.push({ ...fields(file), sha256: stored.sha256, in: 'store' });
        continue;
      }
      const hash = createHash('sha256');
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          advance(chunk.length);
          callback(null, chunk);
        },
      });
      const source = file.bytes === 0 ? null : readUpTo(file);
      source?.on('error', (error) => tap.destroy(error));
      zip.addReadStream(source ? source.pipe(tap) : endedStream(tap), `${DATA_PREFIX}${file.path}`, {
        size: file.bytes,
        mtime: new Date(file.mtimeMs),
        compress: file.path === DATABASE_FILE || compressible(file),
      });
      await Promise.race([finished(tap), failed]);
      entries.push({ ...fields(file), sha256: hash.digest('hex'), in: 'archive' });
    }
    const manifest = newManifest({ ...task.manifest, files: entries });
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 1)), MANIFEST_ENTRY);
    zip.end();
    await Promise.race([writing, failed]);
    await syncFile(partial);
    await rename(partial, final);
    await syncFolder(dirname(final));
    const bytes = (await stat(final)).size;
    return {
      path: final,
      bytes,
      files: entries.length,
      dataBytes: task.files.reduce((sum, file) => sum + file.bytes, 0),
      writtenBytes: written + bytes,
    };
  } catch (error) {
    output.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

/** The file as it was at the snapshot (a recording may have grown since), in large reads. */
const readUpTo = (file: DataFile) =>
  createReadStream(file.absolute, { start: 0, end: file.bytes - 1, highWaterMark: READ_CHUNK });

const fields = (file: DataFile) => ({ path: file.path, bytes: file.bytes, mtimeMs: file.mtimeMs });

function endedStream(tap: Transform): Transform {
  tap.end();
  return tap;
}

/** Whether deflating pays: most of what students keep (PDFs, images, Opus) is compressed already. */
function compressible(file: DataFile): boolean {
  if (file.bytes < 512) return false;
  const sample = Buffer.alloc(Math.min(file.bytes, 64 * 1024));
  const fd = openSync(file.absolute, 'r');
  try {
    readSync(fd, sample, 0, sample.length, 0);
  } finally {
    closeSync(fd);
  }
  return deflateRawSync(sample, { level: 1 }).length < sample.length * 0.9;
}

/** A file named by its own sha256, as content stores name them (the library's `blobs/ab/abcdef…`). */
const CONTENT_ADDRESSED = /(?:^|\/)([0-9a-f]{64})$/;

/** A backup folder's shared files, named by their sha256 like the data folder's own content store. */
class FileStore {
  private constructor(
    private readonly folder: string,
    /** sha256 of files as the folder's last backup saw them, by path, size and time. */
    private readonly known: Map<string, ManifestFile>,
  ) {}

  static async open(folder: string): Promise<FileStore> {
    const temp = join(folder, FILE_STORE_FOLDER, 'tmp');
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    const known = new Map<string, ManifestFile>();
    const latest = (await archivesIn(folder)).at(0);
    const manifest = latest ? await readManifest(latest).catch(() => null) : null;
    for (const file of manifest?.files ?? []) known.set(file.path, file);
    return new FileStore(folder, known);
  }

  async put(file: DataFile, advance: (bytes: number) => void): Promise<{ sha256: string; written: number }> {
    const expected = this.expectedHash(file);
    if (expected && (await this.size(expected)) === file.bytes) {
      advance(file.bytes);
      return { sha256: expected, written: 0 };
    }
    const temp = join(this.folder, FILE_STORE_FOLDER, 'tmp', randomUUID());
    const hash = createHash('sha256');
    try {
      await pipeline(
        file.bytes === 0 ? [] : readUpTo(file),
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            advance(chunk.length);
            callback(null, chunk);
          },
        }),
        createWriteStream(temp, { flags: 'wx' }),
      );
      const sha256 = hash.digest('hex');
      const path = join(this.folder, ...storePathOf(sha256).split('/'));
      if ((await this.size(sha256)) === file.bytes) {
        await rm(temp, { force: true });
        return { sha256, written: 0 };
      }
      await syncFile(temp);
      await mkdir(dirname(path), { recursive: true });
      await rename(temp, path);
      await syncFolder(dirname(path));
      return { sha256, written: file.bytes };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** The hash a file is known to have without reading it: its content-store name, or the last backup's. */
  private expectedHash(file: DataFile): string | null {
    const named = CONTENT_ADDRESSED.exec(file.path)?.[1];
    if (named) return named;
    const seen = this.known.get(file.path);
    return seen && seen.bytes === file.bytes && seen.mtimeMs === file.mtimeMs ? seen.sha256 : null;
  }

  private async size(sha256: string): Promise<number | null> {
    const info = await stat(join(this.folder, ...storePathOf(sha256).split('/'))).catch(() => null);
    return info?.size ?? null;
  }
}
