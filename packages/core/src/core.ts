import { join } from 'node:path';
import { AppError, type EngineEvent, type Job, type Result } from './contract/index.js';
import type { CoreConfig } from './config.js';
import { defaultMigrationsDir } from './db/migrations.js';
import { openDatabase, type OpenedDatabase } from './db/open-database.js';
import { readAppInfo } from './domains/app-info/app-info.js';
import { backupJob, BACKUP_JOB, listBackups } from './domains/backups/backup-job.js';
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
import { createDispatcher, type Handlers } from './rpc/dispatcher.js';
import { EventBus } from './rpc/event-bus.js';
import type { FileRouteDeps } from './server/file-routes.js';

export interface Core {
  dispatch(method: string, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
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
}

/** The composition root: opens storage, wires domains to the contract and starts the job queue. */
export async function createCore(config: CoreConfig, options: CoreOptions = {}): Promise<Core> {
  // Read before the database opens, so a broken catalog leaves nothing open.
  const catalog = await loadCatalog(config.modelCatalogFile ?? defaultCatalogFile());
  const storage = openDatabase({
    dataDir: config.dataDir,
    migrationsDir: config.migrationsDir ?? defaultMigrationsDir(),
    backupsDir: join(config.dataDir, 'backups'),
    logger: config.logger,
  });
  try {
    return await compose(config, options, storage, catalog);
  } catch (error) {
    storage.close();
    throw error;
  }
}

async function compose(config: CoreConfig, options: CoreOptions, storage: OpenedDatabase, catalog: Catalog) {
  const { logger } = config;
  const paths = {
    data: config.dataDir,
    logs: join(config.dataDir, 'logs'),
    backups: join(config.dataDir, 'backups'),
    models: config.modelsDir,
    resources: config.resourcesDir,
  };
  const bus = new EventBus();
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
  queue.register(backupJob(storage.file, paths.backups));
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
    gpu: () => settings.get().useGpu,
  });

  const lectures = new LecturesService({
    db: storage.db,
    sqlite: storage.sqlite,
    bus,
    dataDir: config.dataDir,
    logger,
  });
  await lectures.recoverInterrupted();
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
  const tutor = createTutor({
    db: storage.db,
    sqlite: storage.sqlite,
    bus,
    models,
    search: library.search,
    secrets: config.secrets,
    logger,
    choice: () => settings.get().tutorEngine,
    gpu: () => settings.get().useGpu,
    cloudEngine: (setup) =>
      createCloudEngine(setup, {
        vocabularyDirs: [config.resourcesDir],
        cacheDir: join(config.dataDir, 'cache'),
      }),
    ...(options.llmThreads ? { threads: options.llmThreads } : {}),
    ...(options.llmTemperature === undefined ? {} : { temperature: options.llmTemperature }),
  });

  let { embeddingModelId, tutorEngine, useGpu } = settings.get();
  const unsubscribe = bus.subscribe((event) => {
    // Search and the tutor follow what is installed: a model added or deleted may change the one they use.
    if (event.name === 'models.changed') {
      library.embedderChanged(settings.get().embeddingModelId);
      tutor.enginesChanged();
    }
    if (event.name === 'settings.changed') {
      const changed = event.payload.settings;
      queue.setConcurrency(changed.jobConcurrency);
      // Local models load again on the device "Use the graphics card" now allows.
      const gpuChanged = changed.useGpu !== useGpu;
      useGpu = changed.useGpu;
      if (changed.embeddingModelId !== embeddingModelId || gpuChanged) {
        embeddingModelId = changed.embeddingModelId;
        library.embedderChanged(embeddingModelId);
      }
      if (JSON.stringify(changed.tutorEngine) !== JSON.stringify(tutorEngine) || gpuChanged) {
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
    ...library.handlers,
    ...tutor.handlers,
    ...lectureCalls,
    'lectures.stop': async (input) => {
      const lecture = await lectureCalls['lectures.stop'](input);
      // The last caption is written (or the recording queued for transcription) in the background.
      void transcripts.service
        .recordingStopped(input.id)
        .catch((error: unknown) => logger.warn({ err: error }, 'the end of a recording was not transcribed'));
      return lecture;
    },
    'lectures.delete': async (input) => {
      const deleted = await lectureCalls['lectures.delete'](input);
      transcripts.service.forget(input.id);
      return deleted;
    },
    ...transcripts.handlers,
  };
  const dispatcher = createDispatcher(handlers, logger);
  queue.start();
  logger.info({ dataDir: config.dataDir }, 'engine ready');

  let closing: Promise<void> | undefined;
  const core: Core = {
    dispatch: async (method, input) =>
      closing
        ? { ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'The engine is shutting down.' } }
        : dispatcher.dispatch(method, input),
    subscribe: (listener) => bus.subscribe(listener),
    enqueueJob: (kind, payload) => queue.enqueue(kind, payload),
    files: { ...library.files, recordingFile: (id) => lectures.recordingFile(id) },
    close: () =>
      (closing ??= (async () => {
        unsubscribe();
        try {
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
