import { copyFileSync, linkSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copyDatabaseAt, DATABASE_FILE, sealDatabaseCopy } from '../../db/database-copy.js';
import type { ProgressReporter } from '../../workers/worker-task.js';
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
  const { dataDir, dir } = options;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, DATABASE_FILE);
  const files = await copyDatabaseAt(options.databaseFile, copy, {
    atMoment: () => linkAll(listDataFiles(dataDir, options.modelsDir), dir),
    signal: options.signal,
    progress: (fraction) => options.progress(fraction, 'Copying the database'),
  });
  sealDatabaseCopy(copy, { finishedJobId: options.jobId });
  const database = statSync(copy);
  return {
    files: [
      { path: DATABASE_FILE, absolute: copy, bytes: database.size, mtimeMs: database.mtimeMs },
      ...files,
    ],
  };
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
