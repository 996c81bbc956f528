import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineProvider } from '../ai/engines/engine-provider.js';
import { SETTING_DEFAULTS } from '../contract/index.js';
import type { CoreConfig } from '../config.js';
import type { OpenedDatabase } from '../db/open-database.js';
import { Store } from '../db/store.js';
import { JobQueue, type JobQueueOptions } from '../jobs/job-queue.js';
import type { Catalog } from '../models/catalog.js';
import { ModelManager } from '../models/model-manager.js';
import { HybridSearch } from '../search/hybrid-search.js';
import { SearchIndex } from '../search/search-index.js';
import { SearchSources } from '../search/search-sources.js';
import { SqliteReplica } from '../sync/sqlite-replica.js';
import { DomainEvents } from './domain-events.js';
import type { EventBus } from './event-bus.js';
import type { DomainKit, Lifecycle, Paths, Tuning } from './kit.js';
import { lateQueries } from './queries.js';

export interface KitOptions extends Tuning {
  jobQueue?: Omit<JobQueueOptions, 'concurrency'>;
  llmThreads?: number;
}

/** Everything the domains are built from, made once per engine start. */
export async function createKit(
  config: CoreConfig,
  database: OpenedDatabase,
  catalog: Catalog,
  lifecycle: Lifecycle & { bus: EventBus },
  options: KitOptions = {},
): Promise<DomainKit> {
  const { logger } = config;
  const paths: Paths = {
    data: config.dataDir,
    logs: join(config.dataDir, 'logs'),
    backups: join(config.dataDir, 'backups'),
    cache: join(config.dataDir, 'cache'),
    uploads: join(config.dataDir, 'uploads'),
    models: config.modelsDir,
    resources: config.resourcesDir,
  };
  // Uploads from an earlier run were never imported (a closed tab, a crash mid-upload).
  await rm(paths.uploads, { recursive: true, force: true });

  const store = new Store(database.sqlite, database.db, (error) =>
    logger.error({ err: error }, 'work after a commit failed'),
  );
  // The one UI event bus lives as long as the process: listeners outlast a reopened data folder.
  const { bus } = lifecycle;
  const events = new DomainEvents();
  const queries = lateQueries();
  const models = new ModelManager({
    catalog,
    modelsDir: config.modelsDir,
    onChange: (id) => {
      bus.emit('models.changed', { id });
      events.emit('models.changed', { id });
    },
  });
  const engines = new EngineProvider({
    models,
    secrets: config.secrets,
    logger,
    settings: () => queries.settings.get(),
    resourcesDir: paths.resources,
    cacheDir: paths.cache,
    onChange: (ports) => events.emit('engines.changed', { ports }),
    ...(options.llmThreads ? { llmThreads: options.llmThreads } : {}),
  });
  events.subscribe({
    'settings.changed': ({ settings, previous }) => engines.settingsChanged(settings, previous),
    'models.changed': () => engines.modelsChanged(),
  });
  const index = new SearchIndex(database.sqlite);
  const search = new SearchSources({
    index,
    search: new HybridSearch({
      sqlite: database.sqlite,
      index,
      embedder: () => engines.embedder.ifReady(),
      logger,
    }),
    afterCommit: (effect) => store.afterCommit(effect),
  });
  const { sqliteVersion } = database.sqlite.prepare('SELECT sqlite_version() AS sqliteVersion').get() as {
    sqliteVersion: string;
  };

  return {
    store,
    bus,
    events,
    // The jobs domain sets the concurrency from the settings.
    jobs: new JobQueue(database.db, bus, logger, {
      concurrency: SETTING_DEFAULTS.jobConcurrency,
      ...options.jobQueue,
    }),
    search,
    engines,
    models,
    queries,
    paths,
    database: {
      file: database.file,
      schemaVersion: database.schemaVersion,
      selfCheck: database.selfCheck,
      sqliteVersion,
    },
    app: { version: config.appVersion, hostVersions: config.hostVersions ?? {} },
    tuning: tuningOf(options),
    lifecycle: { reopen: () => lifecycle.reopen(), restored: lifecycle.restored },
    logger,
    secrets: config.secrets,
    syncReplica: (hooks) => new SqliteReplica(store, { ...hooks, logger }),
  };
}

function tuningOf({ llmTemperature, recordingGraceMs, autoBackupCheckMs }: KitOptions): Tuning {
  return Object.fromEntries(
    Object.entries({ llmTemperature, recordingGraceMs, autoBackupCheckMs }).filter(
      ([, value]) => value !== undefined,
    ),
  );
}
