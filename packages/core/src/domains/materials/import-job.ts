import { z } from 'zod';
import { AppError } from '../../contract/index.js';
import { defineJob } from '../../jobs/job-handler.js';
import type { MaterialsService } from './materials-service.js';
import type { DocumentExtractor } from './ports.js';

export const IMPORT_JOB = 'material.import';
const MAX_ATTEMPTS = 2;

/**
 * Reads a stored file into pages and chunks. It can run again from the start at any time (the
 * file is already stored; the results replace the old ones in one transaction), so a crash
 * mid-import resumes at the next start. An import that cannot succeed removes its material.
 */
export function importJob(materials: MaterialsService, extract: DocumentExtractor) {
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
        const { document, countTokens } = await extract(subject, {
          signal,
          onProgress: (fraction, message) => progress(fraction === null ? null : fraction * 0.95, message),
        });
        await materials.completeImport(materialId, document, countTokens, {
          signal,
          onProgress: (fraction) => progress(0.95 + 0.05 * fraction, 'Indexing'),
        });
        return { materialId, pages: document.pages.length, warnings: document.warnings.length };
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
