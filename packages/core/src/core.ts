import { join } from 'node:path';
import { AppError, type EngineEvent, type Job, type Result } from './contract/index.js';
import type { CoreConfig } from './config.js';
import { defaultMigrationsDir } from './db/migrations.js';
import { openDatabase, type OpenedDatabase } from './db/open-database.js';
import { readAppInfo } from './domains/app-info/app-info.js';
import { createBackups } from './domains/backups/backups.js';
import { applyPendingRestore, type AppliedRestore } from './domains/backups/restore-swap.js';
import { ClassesService } from './domains/classes/classes-service.js';
import { lectureHandlers } from './domains/lectures/lectures.js';
import { LecturesService } from './domains/lectures/lectures-service.js';
import type { RecordingFile } from './domains/lectures/recording-file-route.js';
import { createLibrary } from './domains/materials/library.js';
import { SettingsService } from './domains/settings/settings-service.js';
import { createTranscripts } from './domains/transcripts/transcripts.js';
import { createTutor } from './domains/tutor/tutor.js';
import { createCloudEngine } from './domains/tutor/cloud-engine.js';
import type { RegisteredJob } from './jobs/job-handler.js';
import { JobQueue, type JobQueueOptions } from './jobs/job-queue.js';
import { defaultCatalogFile, loadCatalog, type Catalog } from './models/catalog.js';
import { createModelHandlers } from './models/model-handlers.js';
import { ModelManager } from './models/model-manager.js';
import { createDispatcher, type Caller, type Handlers } from './rpc/dispatcher.js';
import { reopenableCore, type Lifecycle } from './core-lifecycle.js';
import type { FileRouteDeps } from './server/file-routes.js';

export interface Core {
  /** `caller` names the transport's connection, so the engine can tell when a recorder is gone. */
  dispatch(method: string, input: unknown, caller?: Caller): Promise<Result<unknown>>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** The transport lost a connection (a closed tab or window): recordings it was sending are watched. */
  disconnected(connection: string): void;
  /** Queues background work of a registered kind (features do this from their procedures). */
  enqueueJob(kind: string, payload: unknown): Job;
  /** Files that travel outside calls: uploads into the library, the originals the viewer shows, recordings. */
  files: FileRouteDeps & { recordingFile(lectureId: string): RecordingFile };
  close(): Promise<void>;
}

export interface CoreOptions {
  /** Extra job kinds (tests register their own to exercise the queue). */
  jobHandlers?: RegisteredJob[];
  jobQueue?: Omit<JobQueueOptions, 'concurrency'>;
  /** llama.cpp threads for the chat model (tests use 1; default all cores but one). */
  llmThreads?: number;
  /** The chat model's sampling temperature (tests use 0: the same model then answers the same way). */
  llmTemperature?: number;
  /** How often automatic backups look whether one is due (tests shorten it). */
  autoBackupCheckMs?: number;
  /** How long a recording whose recorder's connection is gone waits for it before it is recovered. */
  recordingGraceMs?: number;
  /** Told after each move of a restore (tests stop the engine here, as a crash would). */
  afterRestoreMove?: (done: number, total: number) => void;
}

/** The engine for the life of the process; a restore reopens the data folder behind it. */
export function createCore(config: CoreConfig, options: CoreOptions = {}): Promise<Core> {
  return reopenableCore((lifecycle) => openCore(config, options, lifecycle), config.logger);
}

/** The composition root: opens storage, wires domains to the contract and starts the job queue. */
async function openCore(config: CoreConfig, options: CoreOptions, lifecycle: Lifecycle): Promise<Core> {
  // Read before the database opens, so a broken catalog leaves nothing open.
  const catalog = await loadCatalog(config.modelCatalogFile ?? defaultCatalogFile());
  let restored: AppliedRestore | null = null;
  const storage = openDatabase({
    dataDir: config.dataDir,
    migrationsDir: config.migrationsDir ?? defaultMigrationsDir(),
    backupsDir: join(config.dataDir, 'backups'),
    logger: config.logger,
    prepare: () => {
      const afterMove = options.afterRestoreMove;
      restored = applyPendingRestore(config.dataDir, {
        modelsDir: config.modelsDir,
        ...(afterMove ? { afterMove } : {}),
      });
    },
  });
  try {
    return await compose(config, options, storage, catalog, lifecycle, restored);
  } catch (error) {
    storage.close();
    throw error;
  }
}

async function compose(
  config: CoreConfig,
  options: CoreOptions,
  storage: OpenedDatabase,
  catalog: Catalog,
  lifecycle: Lifecycle,
  restored: AppliedRestore | null,
): Promise<Core> {
  const { logger } = config;
  const { bus } = lifecycle;
  const paths = {
    data: config.dataDir,
    logs: join(config.dataDir, 'logs'),
    backups: join(config.dataDir, 'backups'),
    models: config.modelsDir,
    resources: config.resourcesDir,
  };
  const settings = new SettingsService(storage.db, bus, logger);
  const models = new ModelManager({
    catalog,
    modelsDir: config.modelsDir,
    onChange: (id) => bus.emit('models.changed', { id }),
  });
  const classes = new ClassesService(storage.db, bus);
  const queue = new JobQueue(storage.db, bus, logger, {
    concurrency: settings.get().jobConcurrency,
    ...options.jobQueue,
  });
  queue.register(models.downloadJob());
  for (const handler of options.jobHandlers ?? []) queue.register(handler);
  const library = await createLibrary({
    db: storage.db,
    sqlite: storage.sqlite,
    bus,
    queue,
    models,
    logger,
    dataDir: config.dataDir,
    resourcesDir: config.resourcesDir,
    chosenEmbedder: settings.get().embeddingModelId,
  });

  const lectures = new LecturesService({
    db: storage.db,
    sqlite: storage.sqlite,
    bus,
    dataDir: config.dataDir,
    logger,
    ...(options.recordingGraceMs === undefined ? {} : { graceMs: options.recordingGraceMs }),
  });
  await lectures.recoverInterrupted();
  const backups = createBackups({
    dataDir: config.dataDir,
    modelsDir: config.modelsDir,
    databaseFile: storage.file,
    schemaVersion: storage.schemaVersion,
    appVersion: config.appVersion,
    bus,
    queue,
    models,
    logger,
    autoBackup: () => settings.get().autoBackup,
    restoreBlocker: () =>
      lectures.recordingInProgress()
        ? 'A lecture is being recorded. Stop the recording first, then restore the backup.'
        : null,
    reopen: () => lifecycle.reopen(),
    ...(options.autoBackupCheckMs ? { autoBackupCheckMs: options.autoBackupCheckMs } : {}),
  });
  for (const job of backups.jobs) queue.register(job);
  const transcripts = createTranscripts({
    db: storage.db,
    sqlite: storage.sqlite,
    bus,
    queue,
    models,
    library,
    lectures,
    logger,
    settings: () => settings.get(),
  });
  const lectureCalls = lectureHandlers(lectures);
  const stopTranscribing = (lectureId: string) =>
    transcripts.service
      .recordingStopped(lectureId)
      .catch((error: unknown) => logger.warn({ err: error }, 'the end of a recording was not transcribed'));
  const tutor = createTutor({
    db: storage.db,
    sqlite: storage.sqlite,
    bus,
    models,
    search: library.search,
    secrets: config.secrets,
    logger,
    choice: () => settings.get().tutorEngine,
    cloudEngine: (setup) =>
      createCloudEngine(setup, {
        vocabularyDirs: [config.resourcesDir],
        cacheDir: join(config.dataDir, 'cache'),
      }),
    ...(options.llmThreads ? { threads: options.llmThreads } : {}),
    ...(options.llmTemperature === undefined ? {} : { temperature: options.llmTemperature }),
  });

  let { embeddingModelId, tutorEngine } = settings.get();
  const unsubscribe = bus.subscribe((event) => {
    // Search and the tutor follow what is installed: a model added or deleted may change the one they use.
    if (event.name === 'models.changed') {
      library.embedderChanged(settings.get().embeddingModelId);
      tutor.enginesChanged();
    }
    // A recording whose recorder went away: its last caption is written as when it is stopped.
    if (event.name === 'lectures.recovered') void stopTranscribing(event.payload.id);
    if (event.name === 'settings.changed') {
      const changed = event.payload.settings;
      queue.setConcurrency(changed.jobConcurrency);
      if (changed.embeddingModelId !== embeddingModelId) {
        embeddingModelId = changed.embeddingModelId;
        library.embedderChanged(embeddingModelId);
      }
      if (JSON.stringify(changed.tutorEngine) !== JSON.stringify(tutorEngine)) {
        tutorEngine = changed.tutorEngine;
        tutor.enginesChanged();
      }
    }
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
    ...backups.handlers,
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
    ...library.handlers,
    ...tutor.handlers,
    ...lectureCalls,
    'lectures.stop': async (input, caller) => {
      const lecture = await lectureCalls['lectures.stop'](input, caller);
      // The last caption is written (or the recording queued for transcription) in the background.
      void stopTranscribing(input.id);
      return lecture;
    },
    'lectures.delete': async (input, caller) => {
      const deleted = await lectureCalls['lectures.delete'](input, caller);
      transcripts.service.forget(input.id);
      return deleted;
    },
    ...transcripts.handlers,
  };
  const dispatcher = createDispatcher(handlers, logger);
  queue.start();
  backups.start();
  logger.info({ dataDir: config.dataDir }, 'engine ready');
  if (restored) {
    const { source, replaced, missingModels } = restored;
    logger.info({ source, replaced }, 'data restored from a backup');
    bus.emit('backups.restored', { source, replaced: join(config.dataDir, replaced), missingModels });
  }

  let closing: Promise<void> | undefined;
  const core: Core = {
    dispatch: async (method, input, caller) =>
      closing
        ? { ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'The engine is shutting down.' } }
        : dispatcher.dispatch(method, input, caller),
    subscribe: (listener) => bus.subscribe(listener),
    disconnected: (connection) => lectures.disconnected(connection),
    enqueueJob: (kind, payload) => queue.enqueue(kind, payload),
    files: { ...library.files, recordingFile: (id) => lectures.recordingFile(id) },
    close: () =>
      (closing ??= (async () => {
        unsubscribe();
        try {
          await backups.close();
          await queue.stop();
          await tutor.close();
          await transcripts.service.close();
          await lectures.close();
          await library.close();
        } finally {
          storage.close();
          logger.info('engine closed');
        }
      })()),
  };
  return core;
}

export { AppError };
