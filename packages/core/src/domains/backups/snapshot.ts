import { copyFileSync, linkSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../contract/index.js';
import { DATABASE_FILE } from '../../db/open-database.js';
import type { ProgressReporter } from '../../jobs/worker-task.js';
import { listDataFiles, type DataFile, type DataPath } from './data-set.js';

export interface Snapshot {
  /** The database copy, then every data file, as `path` names them under `dir`. */
  files: DataFile[];
}

export interface SnapshotOptions {
  databaseFile: string;
  dataDir: string;
  modelsDir: string;
  /** Where the snapshot is made; on the data folder's file system (files are hard-linked). */
  dir: string;
  /** The job taking the snapshot: recorded as finished in the copy, so a restore does not run it again. */
  jobId: string;
  signal: AbortSignal;
  progress: ProgressReporter;
}

/**
 * One moment of the student's data. A read transaction pins the database and, in the same
 * synchronous step, every data file is hard-linked into `dir`: nothing else runs on this thread
 * meanwhile, every write to the database happens on it, and each domain gives a file its row only
 * once the file is complete and removes a file only after its row. So every file the pinned
 * database names is in the snapshot, and files deleted or replaced afterwards stay in it (a link
 * keeps the content). Sizes are taken at that moment too: a recording still growing is copied up
 * to what its row acknowledged then. The database is then copied from the pinned transaction page
 * by page, a few at a time, while the engine goes on working.
 */
export async function takeSnapshot(options: SnapshotOptions): Promise<Snapshot> {
  const { databaseFile, dataDir, dir } = options;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const source = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    source.exec('BEGIN');
    source.prepare('SELECT count(*) FROM sqlite_master').get();
    const files = linkAll(listDataFiles(dataDir, options.modelsDir), dir);

    const copy = join(dir, DATABASE_FILE);
    await source.backup(copy, {
      progress: ({ totalPages, remainingPages }) => {
        if (options.signal.aborted) return 0;
        options.progress(
          totalPages === 0 ? 1 : (totalPages - remainingPages) / totalPages,
          'Copying the database',
        );
        return 256; // pages per step: small steps keep the engine answering
      },
    });
    if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    markJobFinished(copy, options.jobId);
    const database = statSync(copy);
    return {
      files: [
        { path: DATABASE_FILE, absolute: copy, bytes: database.size, mtimeMs: database.mtimeMs },
        ...files,
      ],
    };
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
  }
}

function linkAll(files: DataPath[], dir: string): DataFile[] {
  const linked: DataFile[] = [];
  for (const file of files) {
    const target = join(dir, ...file.path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    try {
      linkSync(file.absolute, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // removed just before the moment: not part of it
      // A file system without hard links (FAT, some network drives): copy at this moment instead.
      copyFileSync(file.absolute, target);
    }
    const info = statSync(target);
    linked.push({ path: file.path, absolute: target, bytes: info.size, mtimeMs: Math.round(info.mtimeMs) });
  }
  return linked;
}

/** The copy was taken while this job ran; in the restored data it is a backup that finished. */
function markJobFinished(databaseCopy: string, jobId: string): void {
  const db = new Database(databaseCopy);
  try {
    const now = new Date().toISOString();
    db.prepare(
      "UPDATE jobs SET status = 'succeeded', progress = 1, message = NULL, finished_at = ?, updated_at = ? WHERE id = ?",
    ).run(now, now, jobId);
    // One self-contained file: fold the write-ahead log back in.
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}
