import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Backup } from '../../contract/index.js';
import { defineJob, type RegisteredJob } from '../../jobs/job-handler.js';
import { runWorkerTask, workerScript } from '../../workers/worker-task.js';
import type { BackupTask } from './backup-worker.js';

export const BACKUP_JOB = 'backup';

/** A consistent copy of the database, made page by page in a worker thread while the app keeps working. */
export function backupJob(databaseFile: string, backupsDir: string): RegisteredJob {
  return defineJob({
    kind: BACKUP_JOB,
    payload: z.object({}).strict(),
    title: () => 'Back up your data',
    onInterrupted: 'resume',
    // Network and file copies: nothing in them can bring the engine down.
    afterCrash: 'resume',
    run: (_payload, { signal, progress }) => {
      const task: BackupTask = { source: databaseFile, backupsDir, startedAt: new Date().toISOString() };
      return runWorkerTask(workerScript(import.meta.url, 'backup-worker'), task, {
        signal,
        onProgress: progress,
      });
    },
  });
}

export async function listBackups(backupsDir: string): Promise<Backup[]> {
  const names = await readdir(backupsDir).catch(() => [] as string[]);
  const backups = await Promise.all(
    names
      .filter((name) => name.endsWith('.sqlite'))
      .map(async (fileName) => {
        const info = await stat(join(backupsDir, fileName));
        return { fileName, bytes: info.size, createdAt: info.mtime.toISOString() };
      }),
  );
  return backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
