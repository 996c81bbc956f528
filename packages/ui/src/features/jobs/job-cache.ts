import type { QueryClient } from '@tanstack/react-query';
import type { EventPayload, Job } from '@little-monster/core/contract';
import { jobKeys } from './query-keys';

const isActive = (job: Job) => job.status === 'queued' || job.status === 'running';

/** Applies a job's new state to the job caches (the active list and that job's own entry). */
export function storeJob(queryClient: QueryClient, job: Job): void {
  queryClient.setQueryData(jobKeys.one(job.id), job);
  queryClient.setQueryData<Job[]>(jobKeys.active, (jobs) => {
    if (!jobs) return jobs;
    const others = jobs.filter((other) => other.id !== job.id);
    return isActive(job) ? [...others, job].sort((a, b) => a.createdAt.localeCompare(b.createdAt)) : others;
  });
}

/** A running job moved on: its progress and message, in its own entry and the active list. */
export function storeJobProgress(
  queryClient: QueryClient,
  { id, progress, message }: EventPayload<'job.progress'>,
): void {
  const patch = (job: Job | undefined): Job | undefined =>
    job ? { ...job, status: job.status === 'queued' ? 'running' : job.status, progress, message } : job;
  queryClient.setQueryData<Job>(jobKeys.one(id), patch);
  queryClient.setQueryData<Job[]>(jobKeys.active, (jobs) =>
    jobs?.map((job) => (job.id === id ? { ...job, status: 'running', progress, message } : job)),
  );
}
