import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
// A worker thread's own read-only connection, for a page-by-page copy: not the engine's handle.
// eslint-disable-next-line no-restricted-imports
import Database from 'better-sqlite3';
import { serveWorkerTask } from '../../workers/worker-task.js';

export interface BackupTask {
  source: string;
  backupsDir: string;
  startedAt: string;
}

/** File name that sorts by time and is valid on every file system. */
const backupName = (startedAt: string) => `little-monster-${startedAt.replace(/[:.]/g, '-')}.sqlite`;

serveWorkerTask<BackupTask, { fileName: string }>(async ({ source, backupsDir, startedAt }, progress) => {
  mkdirSync(backupsDir, { recursive: true });
  // Copies cut short by a crash or a cancel never became backups; clear them away.
  for (const stale of readdirSync(backupsDir).filter((name) => name.endsWith('.part'))) {
    rmSync(join(backupsDir, stale), { force: true });
  }
  const fileName = backupName(startedAt);
  const partial = join(backupsDir, `${fileName}.part`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        progress(totalPages === 0 ? 1 : (totalPages - remainingPages) / totalPages, 'Copying your data');
        return 256; // pages per step: small steps keep the writer unblocked
      },
    });
    // A half-written copy never carries the final name.
    renameSync(partial, join(backupsDir, fileName));
    return { fileName };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
});
