import { join } from 'node:path';
import { AppError, type EngineEvent, type Job, type Result } from './contract/index.js';
import { defaultMigrationsDir } from './db/migrations.js';
import { openDatabase } from './db/open-database.js';
import { readAppInfo } from './domains/app-info/app-info.js';
import { backupJob, BACKUP_JOB, listBackups } from './domains/backups/backup-job.js';
import { ClassesService } from './domains/classes/classes-service.js';
import { SettingsService } from './domains/settings/settings-service.js';
import { JobQueue, type JobQueueOptions } from './jobs/job-queue.js';
import type { RegisteredJob } from './jobs/job-handler.js';
import type { CoreConfig } from './config.js';
import { defaultCatalogFile, loadCatalog } from './models/catalog.js';
import { createModelHandlers } from './models/model-handlers.js';
import { ModelManager } from './models/model-manager.js';
import { createDispatcher, type Handlers } from './rpc/dispatcher.js';
import { EventBus } from './rpc/event-bus.js';

export interface Core {
  dispatch(method: string, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** Queues background work of a registered kind (features do this from their procedures). */
  enqueueJob(kind: string, payload: unknown): Job;
  close(): Promise<void>;
}

export interface CoreOptions {
  /** Extra job kinds (tests register their own to exercise the queue). */
  jobHandlers?: RegisteredJob[];
  jobQueue?: Omit<JobQueueOptions, 'concurrency'>;
}

/** The composition root: opens storage, wires domains to the contract and starts the job queue. */
export async function createCore(config: CoreConfig, options: CoreOptions = {}): Promise<Core> {
  const { logger } = config;
  const paths = {
    data: config.dataDir,
    logs: join(config.dataDir, 'logs'),
    backups: join(config.dataDir, 'backups'),
    models: config.modelsDir,
    resources: config.resourcesDir,
  };
  // Read before the database opens, so a broken catalog leaves nothing open.
  const models = new ModelManager({
    catalog: await loadCatalog(config.modelCatalogFile ?? defaultCatalogFile()),
    modelsDir: config.modelsDir,
  });
  const storage = openDatabase({
    dataDir: config.dataDir,
    migrationsDir: config.migrationsDir ?? defaultMigrationsDir(),
    backupsDir: paths.backups,
    logger,
  });
  const bus = new EventBus();
  const settings = new SettingsService(storage.db, bus, logger);
  const classes = new ClassesService(storage.db, bus);
  const queue = new JobQueue(storage.db, bus, logger, {
    concurrency: settings.get().jobConcurrency,
    ...options.jobQueue,
  });
  queue.register(backupJob(storage.file, paths.backups));
  queue.register(models.downloadJob());
  for (const handler of options.jobHandlers ?? []) queue.register(handler);
  const unsubscribeSettings = bus.subscribe((event) => {
    if (event.name === 'settings.changed') queue.setConcurrency(event.payload.settings.jobConcurrency);
  });

  const { sqlite_version: sqliteVersion } = storage.sqlite
    .prepare('SELECT sqlite_version() AS sqlite_version')
    .get() as {
    sqlite_version: string;
  };

  const handlers: Handlers = {
    'app.info': () =>
      readAppInfo({
        appVersion: config.appVersion,
        hostVersions: config.hostVersions ?? {},
        paths: { ...paths, database: storage.file },
        storage: { schemaVersion: storage.schemaVersion, ...storage.selfCheck },
        sqliteVersion,
      }),
    'backups.create': () => ({ jobId: queue.enqueue(BACKUP_JOB, {}).id }),
    'backups.list': () => listBackups(paths.backups),
    'classes.list': ({ includeArchived }) => classes.list({ includeArchived }),
    'classes.get': ({ id }) => classes.get(id),
    'classes.create': (input) => classes.create(input),
    'classes.update': ({ id, patch }) => classes.update(id, patch),
    'classes.reorder': ({ ids }) => {
      classes.reorder(ids);
      return { ok: true as const };
    },
    'classes.delete': ({ id }) => {
      classes.delete(id);
      return { id };
    },
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    'jobs.list': (input) => queue.list(input),
    'jobs.get': ({ id }) => queue.get(id),
    'jobs.cancel': ({ id }) => queue.cancel(id),
    'jobs.retry': ({ id }) => queue.retry(id),
    ...createModelHandlers(models, queue),
  };
  const dispatcher = createDispatcher(handlers, logger);
  queue.start();
  logger.info({ dataDir: config.dataDir }, 'engine ready');

  let closing: Promise<void> | undefined;
  return {
    dispatch: async (method, input) =>
      closing
        ? { ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'The engine is shutting down.' } }
        : dispatcher.dispatch(method, input),
    subscribe: (listener) => bus.subscribe(listener),
    enqueueJob: (kind, payload) => queue.enqueue(kind, payload),
    close: () =>
      (closing ??= (async () => {
        unsubscribeSettings();
        await queue.stop();
        storage.close();
        logger.info('engine closed');
      })()),
  };
}

export { AppError };
