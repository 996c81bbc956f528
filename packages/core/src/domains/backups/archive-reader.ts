import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../../contract/index.js';
import type { ProgressReporter } from '../../workers/worker-task.js';
import { syncFile } from '../../storage/durable-files.js';
import {
  DATA_PREFIX,
  FILE_STORE_FOLDER,
  MANIFEST_ENTRY,
  ManifestSchema,
  storePathOf,
  type Manifest,
} from './backup-manifest.js';

/** The largest manifest read (a million files would still be far below it). */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

const notABackup = (archive: string, why: string) =>
  new AppError(
    'INVALID_INPUT',
    `${basename(archive)} is not a Little Monster backup (${why}). Choose a .lmbackup file made with Back up now; nothing was changed.`,
  );

const damaged = (archive: string, why: string) =>
  new AppError(
    'INVALID_INPUT',
    `The backup ${basename(archive)} is damaged: ${why}. Nothing was changed; restore another backup.`,
  );

/** An open archive: its entries by name (from the zip's central directory). */
class Archive {
  private constructor(
    readonly path: string,
    private readonly zip: ZipFile,
    readonly entries: Map<string, Entry>,
  ) {}

  static async open(path: string): Promise<Archive> {
    const info = await stat(path).catch(() => null);
    if (!info) throw new AppError('NOT_FOUND', `There is no file at ${path}. Check the path and try again.`);
    if (!info.isFile()) throw notABackup(path, 'it is a folder, not a file');
    const zip = await new Promise<ZipFile>((resolve, reject) =>
      yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true }, (error, opened) =>
        error ? reject(notABackup(path, 'it is not a zip archive')) : resolve(opened),
      ),
    );
    const entries = new Map<string, Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: Entry) => {
          entries.set(entry.fileName, entry);
          zip.readEntry();
        });
        zip.on('end', resolve);
        zip.on('error', (error: Error) =>
          reject(damaged(path, `its table of contents cannot be read (${error.message})`)),
        );
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw error;
    }
    return new Archive(path, zip, entries);
  }

  read(entry: Entry): Promise<Readable> {
    return new Promise((resolve, reject) =>
      this.zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(damaged(this.path, `${entry.fileName} cannot be read (${error.message})`));
        // Whoever reads the stream hears its first error; a damaged entry's inflater can raise more
        // once that reader has let go, and they must not end the worker.
        stream.on('error', () => undefined);
        resolve(stream);
      }),
    );
  }

  async manifest(): Promise<Manifest> {
    const entry = this.entries.get(MANIFEST_ENTRY);
    if (!entry) throw notABackup(this.path, 'it has no manifest');
    if (entry.uncompressedSize > MAX_MANIFEST_BYTES) throw notABackup(this.path, 'its manifest is too large');
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of await this.read(entry)) chunks.push(chunk as Buffer);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw damaged(this.path, `its manifest cannot be read (${(error as Error).message})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw notABackup(this.path, 'its manifest is not JSON');
    }
    const manifest = ManifestSchema.safeParse(parsed);
    if (!manifest.success) throw notABackup(this.path, 'its manifest is not one Little Monster writes');
    return manifest.data;
  }

  close(): void {
    this.zip.close();
  }
}

/** The manifest of an archive (to list it, or to know what an earlier backup in a folder holds). */
export async function readManifest(path: string): Promise<Manifest> {
  const archive = await Archive.open(path);
  try {
    return await archive.manifest();
  } finally {
    archive.close();
  }
}

export interface StageTask {
  archive: string;
  /** An empty folder the data is written to, on the data folder's file system. */
  stagingDir: string;
  /** The newest database schema this app can open. */
  knownSchemaVersion: number;
}

/**
 * Checks a backup completely and writes its data into `stagingDir`: the manifest must be one this
 * app wrote and can open, list every entry the archive holds and find every file it names, and
 * each file must have the size and sha256 the manifest says. Any failure says what is wrong;
 * the live data is never touched here.
 */
export async function stageArchive(task: StageTask, progress: ProgressReporter): Promise<Manifest> {
  const archive = await Archive.open(task.archive);
  try {
    const manifest = await archive.manifest();
    if (manifest.schemaVersion > task.knownSchemaVersion) {
      throw new AppError(
        'CONFLICT',
        `This backup was made by a newer version of Little Monster (schema ${manifest.schemaVersion}; this version knows ${task.knownSchemaVersion}). ` +
          'Update the app to restore it; nothing was changed.',
      );
    }
    await checkContents(archive, manifest);
    const total = manifest.files.reduce((sum, file) => sum + file.bytes, 0) || 1;
    let done = 0;
    for (const file of manifest.files) {
      const target = join(task.stagingDir, ...file.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      // Opened just before it is piped: an error it raises before anyone listens would be lost.
      const source =
        file.in === 'archive'
          ? await archive.read(archive.entries.get(`${DATA_PREFIX}${file.path}`)!)
          : createReadStream(storedFile(task.archive, file.sha256), { highWaterMark: 1 << 20 });
      const hash = createHash('sha256');
      let bytes = 0;
      try {
        await pipeline(
          source,
          new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              hash.update(chunk);
              bytes += chunk.length;
              done += chunk.length;
              progress(Math.min(1, done / total), 'Checking the backup');
              callback(null, chunk);
            },
          }),
          createWriteStream(target, { flags: 'wx' }),
        );
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw damaged(task.archive, `${file.path} cannot be read (${(error as Error).message})`);
      }
      if (bytes !== file.bytes || hash.digest('hex') !== file.sha256) {
        throw damaged(task.archive, `${file.path} does not match its checksum`);
      }
      // On the disk before the journal that puts it in place is written.
      await syncFile(target);
    }
    return manifest;
  } finally {
    archive.close();
  }
}

/** The manifest and the archive agree: nothing missing, nothing extra, no path twice. */
async function checkContents(archive: Archive, manifest: Manifest): Promise<void> {
  const named = new Set<string>();
  const inArchive = new Set<string>();
  const missingFromStore: string[] = [];
  for (const file of manifest.files) {
    if (named.has(file.path)) throw notABackup(archive.path, `its manifest names ${file.path} twice`);
    named.add(file.path);
    if (file.in === 'archive') {
      inArchive.add(`${DATA_PREFIX}${file.path}`);
      if (!archive.entries.has(`${DATA_PREFIX}${file.path}`)) {
        throw damaged(archive.path, `${file.path} is missing from it`);
      }
    } else if (!(await stat(storedFile(archive.path, file.sha256)).catch(() => null))) {
      missingFromStore.push(file.path);
    }
  }
  for (const name of archive.entries.keys()) {
    if (name === MANIFEST_ENTRY || name.endsWith('/')) continue;
    if (!inArchive.has(name))
      throw notABackup(archive.path, `it holds ${name}, which its manifest does not list`);
  }
  if (missingFromStore.length > 0) {
    throw damaged(
      archive.path,
      `${missingFromStore.length} of its files (${missingFromStore[0]}${missingFromStore.length > 1 ? '…' : ''}) are missing from the ${FILE_STORE_FOLDER} folder beside it. ` +
        'A backup made into a folder needs that folder whole: copy the folder, not only the archive',
    );
  }
}

/** Where a file of an archive made into a folder is kept: the folder's file store. */
const storedFile = (archive: string, sha256: string) =>
  join(dirname(archive), ...storePathOf(sha256).split('/'));
