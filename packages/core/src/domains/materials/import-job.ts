import { z } from 'zod';
import { AppError } from '../../contract/index.js';
import { defineJob } from '../../jobs/job-handler.js';
import type { MaterialsService } from './materials-service.js';
import type { DocumentReader } from './ports.js';

export const IMPORT_JOB = 'material.import';
const MAX_ATTEMPTS = 2;

/**
 * Reads a stored file into pages and chunks, saving them as they are read. It can run again from
 * the start at any time (the file is already stored; what an earlier run saved is removed first),
 * so a crash mid-import resumes at the next start. An import that cannot succeed removes its
 * material.
 */
export function importJob(materials: MaterialsService, reader: DocumentReader) {
  return defineJob({
    kind: IMPORT_JOB,
    payload: z.object({ materialId: z.string().uuid(), name: z.string() }),
    title: ({ name }) => `Import ${name}`,
    maxAttempts: MAX_ATTEMPTS,
    onInterrupted: 'resume',
    onAbandoned: ({ materialId }) => materials.abandonImport(materialId),
    run: async ({ materialId }, { signal, progress, attempt }) => {
      const subject = materials.importSubject(materialId);
      // Deleting a material cancels its import, and an import that ended without success took its
      // material and stored file with it: so this is a retry of such an import, which has nothing
      // left to read.
      if (!subject) {
        throw new AppError(
          'NOT_FOUND',
          'This import cannot be retried: its file was removed when the import stopped. Import the file again.',
        );
      }
      try {
        const writer = await materials.openImport(materialId, await reader.tokenCounter());
        const document = await reader.read(subject, {
          signal,
          onProgress: progress,
          onPages: (pages, type) => writer.add(pages, type, signal),
        });
        const pages = writer.finish(document);
        return { materialId, pages, warnings: document.warnings.length };
      } catch (error) {
        // Shutting down: leave it as it is; it resumes at the next start.
        if (signal.aborted && signal.reason === 'shutdown') throw error;
        const final =
          signal.aborted ||
          (error instanceof AppError && error.code !== 'INTERNAL') ||
          attempt >= MAX_ATTEMPTS;
        if (final) await materials.abandonImport(materialId);
        throw error;
      }
    },
  });
}
