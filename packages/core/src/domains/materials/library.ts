import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { GpuPreference } from '../../ai/llama/llama-runtime.js';
import { TesseractOcrEngine } from '../../ai/ocr/tesseract-ocr-engine.js';
import { resolveTokenCounter, type LoadedTokenCounter } from '../../ai/tokenizer/vocabulary-token-counter.js';
import type { AppDatabase } from '../../db/open-database.js';
import { extractDocument } from '../../ingest/extract-document.js';
import { releasePdfWorkers } from '../../ingest/warm-pdf-workers.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { ModelManager } from '../../models/model-manager.js';
import type { Handlers } from '../../rpc/dispatcher.js';
import type { EventBus } from '../../rpc/event-bus.js';
import { EmbedderSlot } from '../../search/embedder-slot.js';
import { EMBED_JOB, embedJob } from '../../search/embed-job.js';
import { HybridSearch } from '../../search/hybrid-search.js';
import { MaterialChunkIndex } from '../../search/material-chunk-index.js';
import { SearchIndex } from '../../search/search-index.js';
import type { FileRouteDeps } from '../../server/file-routes.js';
import { AppError } from '../../contract/index.js';
import { BlobStore } from '../../storage/blob-store.js';
import { IMPORT_JOB, importJob } from './import-job.js';
import { MaterialsService } from './materials-service.js';

export interface LibraryDeps {
  db: AppDatabase;
  sqlite: Database.Database;
  bus: EventBus;
  queue: JobQueue;
  models: ModelManager;
  logger: Logger;
  dataDir: string;
  resourcesDir: string;
  /** The embedding model chosen in settings, if any. */
  chosenEmbedder: string | null;
  /** "Use the graphics card" for the embedding model, read at each load. */
  gpu: () => GpuPreference;
}

type LibraryProcedure = `materials.${string}` | 'search.query';
export type LibraryHandlers = Pick<Handlers, Extract<keyof Handlers, LibraryProcedure>>;

export interface Library {
  handlers: LibraryHandlers;
  files: FileRouteDeps;
  /** Search over the library, for features that retrieve from it (the tutor). */
  search: HybridSearch;
  /** The chunk index, for features that add passages of their own (lecture transcripts). */
  index: SearchIndex;
  /** The real token measure chunks are sized with. */
  tokenCounter(): Promise<LoadedTokenCounter>;
  /** Chunks were written outside an import: embed them for search by meaning. */
  chunksChanged(): void;
  /** Settings or installed models changed: pick the embedding model again and re-embed if needed. */
  embedderChanged(chosen: string | null): void;
  close(): Promise<void>;
}

/** The library: imported materials, their files and pages, and search over them. */
export async function createLibrary(deps: LibraryDeps): Promise<Library> {
  const { db, sqlite, bus, queue, models, logger } = deps;
  const blobs = new BlobStore(join(deps.dataDir, 'blobs'));
  await blobs.removeInterruptedWrites();
  const uploadsDir = join(deps.dataDir, 'uploads');
  // Uploads from an earlier run were never imported (a closed tab, a crash mid-upload).
  await rm(uploadsDir, { recursive: true, force: true });

  let ocr: TesseractOcrEngine | undefined;
  // Resolved on the first import: finding a real vocabulary can take a moment.
  let tokens: Promise<LoadedTokenCounter> | undefined;
  let countTokens: LoadedTokenCounter['countTokens'] | undefined;
  const tokenCounter = () =>
    (tokens ??= resolveTokenCounter({
      vocabularyDirs: [deps.resourcesDir],
      cacheDir: join(deps.dataDir, 'cache'),
    }).then((loaded) => {
      logger.info({ source: loaded.source, exact: loaded.exact }, 'chunks are measured in tokens');
      countTokens = loaded.countTokens;
      return loaded;
    }));

  const embedders = new EmbedderSlot(models, logger, deps.gpu);
  embedders.reconsider(deps.chosenEmbedder);
  const index = new SearchIndex(sqlite);
  const search = new HybridSearch({ sqlite, index, embedder: () => embedders.ifReady(), logger });

  /** One embedding job at a time is enough (it embeds everything still without a vector); none without a model. */
  const queueEmbedding = () => {
    void (async () => {
      try {
        const embedder = await embedders.current();
        const waiting = queue.list({ status: ['queued'], limit: 500 }).some((job) => job.kind === EMBED_JOB);
        if (embedder && !waiting) queue.enqueue(EMBED_JOB, {});
      } catch (error) {
        logger.warn({ err: error }, 'search by meaning is unavailable');
      }
    })();
  };

  const materialIndex = new MaterialChunkIndex({
    index,
    countTokens: () => countTokens!,
    onChunksChanged: queueEmbedding,
  });
  const materials = new MaterialsService(
    db,
    bus,
    blobs,
    materialIndex,
    uploadsDir,
    {
      start: (materialId, name) => queue.enqueue(IMPORT_JOB, { materialId, name }).id,
      cancel: (jobId) => {
        try {
          queue.cancel(jobId);
        } catch (error) {
          // Already finished, or gone: there is nothing left to stop.
          if (!(error instanceof AppError)) throw error;
        }
      },
    },
    logger,
  );
  queue.register(
    importJob(materials, async (file, options) => {
      const document = await extractDocument(file, { ocr: (ocr ??= new TesseractOcrEngine()) }, options);
      await tokenCounter();
      return document;
    }),
  );
  queue.register(embedJob(index, () => embedders.current()));

  const handlers: LibraryHandlers = {
    'materials.list': (filter) => materials.list(filter),
    'materials.get': ({ id }) => materials.get(id),
    'materials.import': async ({ classId, sources }) => ({
      items: await materials.importSources(classId, sources),
    }),
    'materials.pasteText': ({ classId, title, text }) => materials.pasteText(classId, title, text),
    'materials.update': ({ id, patch }) => materials.update(id, patch),
    'materials.delete': async ({ ids }) => ({ deleted: await materials.delete(ids) }),
    'materials.page': ({ id, page }) => materials.page(id, page),
    'search.query': ({ importedFrom, importedTo, ...request }) =>
      search.search({
        ...request,
        // Stored import times are UTC ISO strings: compare like with like.
        ...(importedFrom ? { importedFrom: asUtc(importedFrom) } : {}),
        ...(importedTo ? { importedTo: asUtc(importedTo) } : {}),
        asYouType: true,
      }),
  };

  return {
    handlers,
    files: { uploadsDir, materialFile: (id) => materials.file(id) },
    search,
    index,
    tokenCounter,
    chunksChanged: queueEmbedding,
    embedderChanged(chosen) {
      embedders.reconsider(chosen);
      queueEmbedding();
    },
    async close() {
      // Each engine closes even when another fails to.
      const closed = await Promise.allSettled([
        ocr?.close(),
        releasePdfWorkers(),
        embedders.close(),
        tokens?.then((loaded) => loaded.close()),
      ]);
      for (const outcome of closed) {
        if (outcome.status === 'rejected')
          logger.warn({ err: outcome.reason }, 'an engine did not close cleanly');
      }
    },
  };
}

/** A date stays a date (the filter reads it as a whole day); an instant becomes UTC ISO. */
const asUtc = (value: string) => (value.length === 10 ? value : new Date(value).toISOString());
