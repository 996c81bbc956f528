import { rmSync } from 'node:fs';
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { AppError, type BackupResult } from '../../contract/index.js';
import { DATABASE_FILE, inspectDatabaseCopy } from '../../db/database-copy.js';
import { defineJob } from '../../jobs/job-handler.js';
import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import type { ModelManager } from '../../models/model-manager.js';
import { runWorkerTask, workerScript } from '../../workers/worker-task.js';
import type { ArchiveTarget } from './archive-writer.js';
import { AutoBackups } from './auto-backups.js';
import { archiveName, ARCHIVE_EXTENSION, type Manifest } from './backup-manifest.js';
import { deleteBackup, keepNewestAutomatic, listBackups, REPLACED_PREFIX } from './backup-folder.js';
import type { BackupWorkerTask } from './backup-worker.js';
import { RESTORE_FOLDER, stageRestore } from './restore-swap.js';
import { takeSnapshot } from './snapshot.js';

export const BACKUP_JOB = 'backup';
export const RESTORE_JOB = 'backup.restore';
/** Where a backup's moment of the data is linked while the archive is written. */
const SNAPSHOT_FOLDER = '.backup-snapshot';

const BackupPayload = z.object({ target: z.string().nullable(), automatic: z.boolean() }).strict();
const RestorePayload = z.object({ path: z.string() }).strict();

/**
 * Whole backups of the student's data (database snapshot, every file of the data folder but the
 * engine's own) into archives with a manifest, and restores that replace the data in one step.
 */
export function createBackups(kit: DomainKit): DomainModule<ProceduresOf<'backups'>> {
  const { jobs: queue, bus, logger, paths, database } = kit;
  const dataDir = paths.data;
  const defaultFolder = paths.backups;
  const autoBackup = () => kit.queries.settings.get().autoBackup;
  const worker = workerScript(import.meta.url, 'backup-worker');
  // What a crash left mid-way: a backup's moment of the data, a restore being checked (a staged
  // restore was applied before the database opened, so none is pending now).
  rmSync(join(dataDir, SNAPSHOT_FOLDER), { recursive: true, force: true });
  rmSync(join(dataDir, RESTORE_FOLDER), { recursive: true, force: true });
  const runWorker = <T>(
    task: BackupWorkerTask,
    signal: AbortSignal,
    progress: (p: number | null, m?: string | null) => void,
  ) => runWorkerTask<T>(worker, task, { signal, onProgress: progress });

  const backupJob = defineJob({
    kind: BACKUP_JOB,
    payload: BackupPayload,
    title: ({ automatic }) => (automatic ? 'Automatic backup' : 'Back up your data'),
    onInterrupted: 'resume',
    // File copies in a worker thread: nothing in them can bring the engine down.
    afterCrash: 'resume',
    run: async ({ target, automatic }, { jobId, signal, progress }): Promise<BackupResult> => {
      const createdAt = new Date().toISOString();
      const resolved = await resolveTarget(
        target ?? automaticFolder(),
        defaultFolder,
        dataDir,
        createdAt,
        automatic,
      );
      await removeStaleParts(resolved);
      const snapshotDir = join(dataDir, SNAPSHOT_FOLDER, jobId);
      try {
        const snapshot = await takeSnapshot({
          databaseFile: database.file,
          dataDir,
          modelsDir: paths.models,
          dir: snapshotDir,
          jobId,
          signal,
          progress: (value) => progress(value === null ? null : value * 0.05, 'Copying the database'),
        });
        const result = await runWorker<BackupResult>(
          {
            type: 'write',
            files: snapshot.files,
            target: resolved,
            manifest: {
              createdAt,
              appVersion: kit.app.version,
              schemaVersion: database.schemaVersion,
              automatic,
              models: await installedModels(kit.models),
            },
          },
          signal,
          (value, message) => progress(value === null ? null : 0.05 + value * 0.95, message ?? null),
        );
        if (automatic && resolved.kind === 'folder')
          await keepNewestAutomatic(resolved.folder, autoBackup().keep);
        logger.info({ path: result.path, bytes: result.bytes, written: result.writtenBytes }, 'backup made');
        return result;
      } catch (error) {
        // The worker stopped mid-write (cancel, shutdown): its partial file never got the final name.
        await removeStaleParts(resolved);
        throw error;
      } finally {
        await rm(snapshotDir, { recursive: true, force: true });
      }
    },
  });

  const restoreJob = defineJob({
    kind: RESTORE_JOB,
    payload: RestorePayload,
    title: ({ path }) => `Restore ${basename(path)}`,
    maxAttempts: 1,
    onInterrupted: 'fail',
    run: async ({ path }, { jobId, signal, progress }) => {
      assertRestorable();
      const source = resolve(path);
      const aside = `backups/${REPLACED_PREFIX}${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const replaced = await asReplacedData(source);
      if (replaced) {
        checkDatabase(join(source, DATABASE_FILE), source);
        stageRestore(dataDir, { from: replaced, aside, source: basename(source), missingModels: [] });
        return { source: basename(source) };
      }
      const staging = `${RESTORE_FOLDER}/${jobId}`;
      const stagingDir = join(dataDir, ...staging.split('/'));
      try {
        await rm(stagingDir, { recursive: true, force: true });
        const manifest = await runWorker<Manifest>(
          { type: 'stage', archive: source, stagingDir, knownSchemaVersion: database.schemaVersion },
          signal,
          progress,
        );
        if (!manifest.files.some((file) => file.path === DATABASE_FILE)) {
          throw new AppError(
            'INVALID_INPUT',
            `${basename(source)} holds no database, so it is not a whole backup. Nothing was changed.`,
          );
        }
        checkDatabase(join(stagingDir, DATABASE_FILE), source);
        assertRestorable();
        const installed = new Set((await installedModels(kit.models)).map((model) => model.id));
        const missingModels = manifest.models
          .filter((model) => !installed.has(model.id))
          .map((model) => model.id);
        stageRestore(dataDir, { from: staging, aside, source: basename(source), missingModels });
        return { source: basename(source), missingModels };
      } catch (error) {
        await rm(stagingDir, { recursive: true, force: true });
        await rmdir(join(dataDir, RESTORE_FOLDER)).catch(() => undefined);
        throw error;
      }
    },
  });

  function assertRestorable(): void {
    if (kit.queries.lectures.recordingInProgress()) {
      throw new AppError(
        'CONFLICT',
        'A lecture is being recorded. Stop the recording first, then restore the backup.',
      );
    }
  }

  /** `backups/replaced-…` of this data folder: put back as it is (it was the live data). */
  async function asReplacedData(source: string): Promise<string | null> {
    const info = await stat(source).catch(() => null);
    if (!info?.isDirectory()) return null;
    const inside = relative(defaultFolder, source);
    if (dirname(inside) !== '.' || !basename(source).startsWith(REPLACED_PREFIX)) {
      throw new AppError(
        'INVALID_INPUT',
        `${source} is a folder. Choose a backup file (${ARCHIVE_EXTENSION}) or data a restore replaced (in the backups folder).`,
      );
    }
    return `backups/${basename(source)}`;
  }

  /** The staged database opens, is intact, and is not from a newer version. */
  function checkDatabase(file: string, source: string): void {
    let found: ReturnType<typeof inspectDatabaseCopy>;
    try {
      found = inspectDatabaseCopy(file);
    } catch (error) {
      throw damaged(source, (error as Error).message);
    }
    if (found.schemaVersion > database.schemaVersion) {
      throw new AppError(
        'CONFLICT',
        `This backup was made by a newer version of Little Monster (schema ${found.schemaVersion}; this version knows ${database.schemaVersion}). Update the app to restore it; nothing was changed.`,
      );
    }
    if (found.check !== 'ok') throw damaged(source, found.check);
  }

  const automaticFolder = () => autoBackup().folder ?? defaultFolder;
  const auto = new AutoBackups({
    queue,
    logger,
    settings: autoBackup,
    folder: automaticFolder,
    kind: BACKUP_JOB,
    ...(kit.tuning.autoBackupCheckMs ? { checkEveryMs: kit.tuning.autoBackupCheckMs } : {}),
  });

  // A checked restore replaces the data as soon as its job is recorded as done.
  const unsubscribe = bus.subscribe((event) => {
    if (
      event.name === 'job.updated' &&
      event.payload.job.kind === RESTORE_JOB &&
      event.payload.job.status === 'succeeded'
    ) {
      kit.lifecycle.reopen();
    }
  });

  return {
    handlers: {
      'backups.create': ({ target }) => ({
        jobId: queue.enqueue(BACKUP_JOB, { target: target ?? null, automatic: false }).id,
      }),
      // Without a folder: the backups folder and, when they go elsewhere, the automatic backups.
      'backups.list': async ({ folder }) => {
        if (folder) return listBackups(resolve(folder));
        const folders = [...new Set([defaultFolder, resolve(automaticFolder())])];
        const lists = await Promise.all(folders.map((each) => listBackups(each)));
        return lists.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      },
      'backups.delete': async ({ path }) => {
        const target = resolve(path);
        const folder = [defaultFolder, automaticFolder()].find(
          (candidate) => dirname(target) === resolve(candidate),
        );
        if (!folder)
          throw new AppError('INVALID_INPUT', 'Only backups in the backups folder can be deleted here.');
        await deleteBackup(folder, target);
        return { path: target };
      },
      'backups.restore': ({ path }) => {
        assertRestorable();
        return { jobId: queue.enqueue(RESTORE_JOB, { path }).id };
      },
    },
    jobs: [backupJob, restoreJob],
    start: () => {
      const { restored } = kit.lifecycle;
      if (restored) {
        logger.info(restored, 'data restored from a backup');
        bus.emit('backups.restored', restored);
      }
      auto.start();
    },
    close: () => {
      unsubscribe();
      auto.stop();
    },
  };
}

/** A folder (made if needed; incremental) or a new `.lmbackup` file; never inside the data but its backups folder. */
async function resolveTarget(
  target: string,
  defaultFolder: string,
  dataDir: string,
  createdAt: string,
  automatic: boolean,
): Promise<ArchiveTarget> {
  const path = resolve(target);
  const inData = relative(dataDir, path);
  const insideData = inData === '' || (!inData.startsWith('..') && !inData.includes(':'));
  const inBackups = path === defaultFolder || path.startsWith(`${defaultFolder}${sep}`);
  if (insideData && !inBackups) {
    throw new AppError(
      'INVALID_INPUT',
      'A backup cannot go inside the data folder it backs up (except its backups folder). Choose another folder, such as a USB drive.',
    );
  }
  const info = await stat(path).catch(() => null);
  if (info?.isDirectory() || (!info && extname(path) === '')) {
    return { kind: 'folder', folder: path, fileName: archiveName(createdAt, automatic) };
  }
  if (info) throw new AppError('CONFLICT', `${path} already exists. Choose another name, or a folder.`);
  if (extname(path) !== ARCHIVE_EXTENSION) {
    throw new AppError(
      'INVALID_INPUT',
      `A backup file's name ends with ${ARCHIVE_EXTENSION} (or choose a folder).`,
    );
  }
  return { kind: 'file', path };
}

/** Archives a crash or a cancel cut short: they never got their final name; clear them away. */
async function removeStaleParts(target: ArchiveTarget): Promise<void> {
  const folder = target.kind === 'folder' ? target.folder : dirname(target.path);
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (name.endsWith(`${ARCHIVE_EXTENSION}.part`)) await rm(join(folder, name), { force: true });
  }
}

async function installedModels(models: ModelManager): Promise<Manifest['models']> {
  return (await models.list())
    .filter((model) => model.installed)
    .map((model) => ({ id: model.id, name: model.name, bytes: model.installedBytes ?? model.bytes }));
}

const damaged = (source: string, why: string) =>
  new AppError(
    'INVALID_INPUT',
    `The database in ${basename(source)} is damaged (${why}). Nothing was changed; restore another backup.`,
  );
