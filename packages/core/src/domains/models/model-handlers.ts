import type { z } from 'zod';
import { AppError } from '../../contract/errors.js';
import type { Job } from '../../contract/jobs.js';
import type { modelProcedures } from '../../contract/models.js';
import { MODEL_DOWNLOAD_JOB } from '../../models/model-download-job.js';
import type { ModelManager } from '../../models/model-manager.js';

type ModelProcedures = typeof modelProcedures;
type ModelProcedureName = keyof ModelProcedures;

/** Typed like the dispatcher's `Handlers`, from this file's own schemas, so it fits them once merged. */
export type ModelHandlers = {
  [N in ModelProcedureName]: (
    args: z.output<ModelProcedures[N]['input']>,
  ) => Promise<z.output<ModelProcedures[N]['output']>>;
};

/** What the handlers need of the job queue (the real `JobQueue` fits). */
export interface ModelJobs {
  enqueue(kind: string, payload: unknown): Job;
  get(id: string): Job | Promise<Job>;
}

const isActive = (job: Job) => job.status === 'queued' || job.status === 'running';

export function createModelHandlers(manager: ModelManager, jobs: ModelJobs): ModelHandlers {
  /** The model's download job while it is queued or running; a finished one is forgotten. */
  async function activeDownload(id: string): Promise<string | undefined> {
    const jobId = manager.downloadJobOf(id);
    if (!jobId) return undefined;
    const job = await Promise.resolve(jobs.get(jobId)).catch(() => null);
    if (job && isActive(job)) return jobId;
    manager.forgetDownloadJob(id, jobId);
    return undefined;
  }

  async function refuseWhileDownloading(id: string, action: string): Promise<void> {
    if (await activeDownload(id)) {
      throw new AppError(
        'CONFLICT',
        `${manager.catalogEntry(id).name} is downloading. Cancel the download first, then ${action}.`,
      );
    }
  }

  return {
    'models.list': async () => {
      const entries = await manager.list();
      return Promise.all(
        entries.map(async (entry) => {
          const downloadJobId = await activeDownload(entry.id);
          return downloadJobId ? { ...entry, downloadJobId } : entry;
        }),
      );
    },
    'models.download': async ({ id }) => {
      const entry = manager.catalogEntry(id);
      // A second click (or a second window) follows the download already under way.
      const running = await activeDownload(id);
      if (running) return { jobId: running };
      if ((await manager.describe(id)).installed)
        throw new AppError('CONFLICT', `${entry.name} is already installed.`);
      const job = jobs.enqueue(MODEL_DOWNLOAD_JOB, { id });
      manager.rememberDownloadJob(id, job.id);
      return { jobId: job.id };
    },
    'models.installFromFile': async ({ id, path }) => {
      await refuseWhileDownloading(id, 'use your file');
      return manager.installFromFile(id, path);
    },
    'models.delete': async ({ id }) => {
      await refuseWhileDownloading(id, 'delete it');
      await manager.delete(id);
      return { id };
    },
  };
}
