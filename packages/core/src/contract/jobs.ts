import { z } from 'zod';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const JobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobIdSchema = z.string().uuid();

export const JobSchema = z.object({
  id: JobIdSchema,
  kind: z.string(),
  title: z.string(),
  status: JobStatusSchema,
  /** 0..1, or null while the job cannot tell how far it is. */
  progress: z.number().min(0).max(1).nullable(),
  message: z.string().nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  error: z.string().nullable(),
  result: z.unknown().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof JobSchema>;

export const jobProcedures = {
  'jobs.list': {
    input: z
      .object({
        status: z.array(JobStatusSchema).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .default({ limit: 100 }),
    output: z.array(JobSchema),
  },
  'jobs.get': { input: z.object({ id: JobIdSchema }), output: JobSchema },
  'jobs.cancel': { input: z.object({ id: JobIdSchema }), output: JobSchema },
  'jobs.retry': { input: z.object({ id: JobIdSchema }), output: JobSchema },
} as const;

export const jobEvents = {
  /** A job changed state (queued, started, finished, cancelled, retried). */
  'job.updated': z.object({ job: JobSchema }),
  /** A running job moved forward; frequent, so it carries only what changed. */
  'job.progress': z.object({
    id: JobIdSchema,
    kind: z.string(),
    progress: z.number().min(0).max(1).nullable(),
    message: z.string().nullable(),
  }),
} as const;
