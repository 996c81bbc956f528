import { z } from 'zod';
import { ModelIdSchema } from '../contract/models.js';
import { defineJob, type RegisteredJob } from '../jobs/job-handler.js';
import { formatBytes } from '../format-bytes.js';
import type { ModelManager } from './model-manager.js';

export const MODEL_DOWNLOAD_JOB = 'model.download';

/**
 * Downloads one catalog model in the background. A dropped connection fails the attempt with the
 * part kept, so the queue's retry (with back-off) resumes it; closing the app resumes it at the
 * next start; cancelling deletes the part.
 */
export function modelDownloadJob(manager: ModelManager): RegisteredJob {
  return defineJob({
    kind: MODEL_DOWNLOAD_JOB,
    payload: z.object({ id: ModelIdSchema }),
    title: ({ id }) => `Download ${nameOf(manager, id)}`,
    maxAttempts: 5,
    onInterrupted: 'resume',
    // Network and file copies: nothing in them can bring the engine down.
    afterCrash: 'resume',
    run: async ({ id }, { jobId, signal, progress }) => {
      // A job resumed after a restart is not known to this process yet.
      manager.rememberDownloadJob(id, jobId);
      const expected = manager.catalogEntry(id).bytes;
      const entry = await manager.download(id, {
        signal,
        onProgress: (received, total) => {
          const whole = total ?? expected;
          progress(whole > 0 ? received / whole : null, `${formatBytes(received)} of ${formatBytes(whole)}`);
        },
      });
      return { id: entry.id, status: entry.status, bytes: entry.installedBytes ?? null };
    },
  });
}

/** The title is stored with the job, so a model missing from a later catalog still shows its id. */
function nameOf(manager: ModelManager, id: string): string {
  try {
    return manager.catalogEntry(id).name;
  } catch {
    return id;
  }
}
