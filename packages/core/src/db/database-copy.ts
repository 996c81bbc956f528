import Database from 'better-sqlite3';
import { AppError } from '../contract/index.js';

/** The database's file name in the data folder. */
export const DATABASE_FILE = 'little-monster.sqlite';

export interface CopyAtOptions<T> {
  /** Runs once the moment is pinned, in the same synchronous step (nothing on this thread writes meanwhile). */
  atMoment: () => T;
  signal: AbortSignal;
  progress: (fraction: number) => void;
}

/**
 * Copies the database as of one moment, on a connection of its own (not the engine's): a read
 * transaction pins the moment, `atMoment` runs in the same step, then the pinned pages are copied
 * a few at a time while the engine goes on working. Answers what `atMoment` answered.
 */
export async function copyDatabaseAt<T>(
  source: string,
  target: string,
  options: CopyAtOptions<T>,
): Promise<T> {
  if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    const atMoment = options.atMoment();
    await db.backup(target, {
      // A backup cannot be stopped midway (a step of 0 pages never ends): a cancel is noticed
      // when the copy is done. Small steps keep the engine answering meanwhile.
      progress: ({ totalPages, remainingPages }) => {
        if (!options.signal.aborted)
          options.progress(totalPages === 0 ? 1 : (totalPages - remainingPages) / totalPages);
        return 256;
      },
    });
    if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    return atMoment;
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
    db.close();
  }
}

/**
 * Makes a copy one self-contained file (the write-ahead log folded in); `finishedJobId`, the job
 * that made it, is recorded there as finished, so the copy once restored does not run it again.
 */
export function sealDatabaseCopy(file: string, { finishedJobId }: { finishedJobId: string }): void {
  const db = new Database(file);
  try {
    const now = new Date().toISOString();
    db.prepare(
      "UPDATE jobs SET status = 'succeeded', progress = 1, message = NULL, finished_at = ?, updated_at = ? WHERE id = ?",
    ).run(now, now, finishedJobId);
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/**
 * Opens a database file that is not the engine's (a backup's copy) read-only: its schema version,
 * and SQLite's quick check ('ok' when intact). Throws when it cannot be opened at all.
 */
export function inspectDatabaseCopy(file: string): { schemaVersion: number; check: string } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      check: String(db.pragma('quick_check(1)', { simple: true })),
    };
  } finally {
    db.close();
  }
}
