import { join } from 'node:path';
import { AppError } from '../../contract/index.js';
import { readDocument } from '../../ingest/extract-document.js';
import { releaseDocumentWorkers } from '../../ingest/warm-document-workers.js';
import { releasePdfWorkers } from '../../ingest/warm-pdf-workers.js';
import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import { BlobStore } from '../../storage/blob-store.js';
import { IMPORT_JOB, importJob } from './import-job.js';
import { MaterialsService } from './materials-service.js';

/** The library: imported files, their pages, and their passages as search's `material` sources. */
export async function createMaterials(kit: DomainKit): Promise<DomainModule<ProceduresOf<'materials'>>> {
  const { jobs, engines } = kit;
  const blobs = new BlobStore(join(kit.paths.data, 'blobs'));
  await blobs.removeInterruptedWrites();

  const materials = new MaterialsService({
    store: kit.store,
    bus: kit.bus,
    files: blobs,
    source: kit.search.register('material'),
    uploadsDir: kit.paths.uploads,
    imports: {
      start: (materialId, name) => jobs.enqueue(IMPORT_JOB, { materialId, name }).id,
      cancel: (jobId) => {
        try {
          jobs.cancel(jobId);
        } catch (error) {
          // Already finished, or gone: there is nothing left to stop.
          if (!(error instanceof AppError)) throw error;
        }
      },
    },
    classExists: (id) => kit.queries.classes.exists(id),
    logger: kit.logger,
  });

  return {
    handlers: {
      'materials.list': (filter) => materials.list(filter),
      'materials.get': ({ id }) => materials.get(id),
      'materials.import': async ({ classId, sources }) => ({
        items: await materials.importSources(classId, sources),
      }),
      'materials.pasteText': ({ classId, title, text }) => materials.pasteText(classId, title, text),
      'materials.update': ({ id, patch }) => materials.update(id, patch),
      'materials.delete': async ({ ids }) => ({ deleted: await materials.delete(ids) }),
      'materials.page': ({ id, page }) => materials.page(id, page),
      'materials.find': ({ id, text }) => materials.findText(id, text),
    },
    jobs: [
      importJob(materials, {
        // Passages are measured in real tokens.
        tokenCounter: async () => (await engines.tokenizer()).countTokens,
        read: (file, options) => readDocument(file, { ocr: engines.ocr() }, options),
      }),
    ],
    subscriptions: {
      'class.deleted': ({ id }) => materials.unfileClass(id),
    },
    files: { materialFile: (id) => materials.file(id) },
    // Deletions a stop or crash interrupted are finished in the background, not before start.
    start: () => {
      void materials
        .resumeDeletions()
        .catch((error: unknown) => kit.logger.warn({ err: error }, 'finishing interrupted deletions failed'));
    },
    close: async () => {
      await Promise.all([materials.close(), releasePdfWorkers(), releaseDocumentWorkers()]);
    },
  };
}
