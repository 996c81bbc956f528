import { join } from 'node:path';
import { AppError, type EngineEvent, type Job, type Result } from './contract/index.js';
import type { CoreConfig } from './config.js';
import { defaultMigrationsDir } from './db/migrations.js';
import { openDatabase, type OpenedDatabase } from './db/open-database.js';
import { createDomains } from './domains/registry.js';
import type { RegisteredJob } from './jobs/job-handler.js';
import { createKit, type KitOptions } from './kit/create-kit.js';
import type { FileAccess } from './kit/kit.js';
import { defaultCatalogFile, loadCatalog, type Catalog } from './models/catalog.js';
import { createDispatcher } from './rpc/dispatcher.js';

export interface Core {
  dispatch(method: string, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** Queues background work of a registered kind (features do this from their procedures). */
  enqueueJob(kind: string, payload: unknown): Job;
  /** Files that travel outside calls: uploads into the library, the originals the viewer shows, recordings. */
  files: FileAccess & { uploadsDir: string };
  close(): Promise<void>;
}

export interface CoreOptions extends KitOptions {
  /** Extra job kinds (tests register their own to exercise the queue). */
  jobHandlers?: RegisteredJob[];
}

/** The composition root: opens storage, builds the kit and every domain from it, and starts the job queue. */
export async function createCore(config: CoreConfig, options: CoreOptions = {}): Promise<Core> {
  // Read before the database opens, so a broken catalog leaves nothing open.
  const catalog = await loadCatalog(config.modelCatalogFile ?? defaultCatalogFile());
  const database = openDatabase({
    dataDir: config.dataDir,
    migrationsDir: config.migrationsDir ?? defaultMigrationsDir(),
    backupsDir: join(config.dataDir, 'backups'),
    logger: config.logger,
  });
  try {
    return await compose(config, options, database, catalog);
  } catch (error) {
    database.close();
    throw error;
  }
}

async function compose(config: CoreConfig, options: CoreOptions, database: OpenedDatabase, catalog: Catalog) {
  const { logger } = config;
  const kit = await createKit(config, database, catalog, options);
  const { domains, handlers } = await createDomains(kit);
  for (const job of [...domains.flatMap((domain) => domain.jobs ?? []), ...(options.jobHandlers ?? [])])
    kit.jobs.register(job);
  const unsubscribe = domains.map((domain) => kit.events.subscribe(domain.subscriptions ?? {}));
  for (const domain of domains) await domain.start?.();
  const dispatcher = createDispatcher(handlers, logger);
  kit.jobs.start();
  logger.info({ dataDir: config.dataDir }, 'engine ready');

  const files = Object.assign({}, ...domains.map((domain) => domain.files)) as FileAccess;
  let closing: Promise<void> | undefined;
  return {
    dispatch: async (method, input) =>
      closing
        ? { ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'The engine is shutting down.' } }
        : dispatcher.dispatch(method, input),
    subscribe: (listener) => kit.bus.subscribe(listener),
    enqueueJob: (kind, payload) => kit.jobs.enqueue(kind, payload),
    files: { ...files, uploadsDir: kit.paths.uploads },
    close: () =>
      (closing ??= (async () => {
        for (const stop of unsubscribe) stop();
        try {
          await kit.jobs.stop();
          // Each domain closes even when another fails to; the engines they used go last.
          for (const domain of [...domains].reverse()) {
            await (async () => domain.close?.())().catch((error: unknown) =>
              logger.warn({ err: error }, 'a domain did not close cleanly'),
            );
          }
          await kit.engines.close();
        } finally {
          database.close();
          logger.info('engine closed');
        }
      })()),
  } satisfies Core;
}

export { AppError };
