import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Job } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { storeJob } from './job-cache';
import { jobKeys } from './query-keys';

/** Queued and running jobs, oldest first; kept current by job.updated and job.progress events. */
export function useActiveJobs() {
  const engine = useEngine();
  return useQuery({
    queryKey: jobKeys.active,
    queryFn: async () => {
      const jobs = await engine.call('jobs.list', { status: ['queued', 'running'] });
      return jobs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
  });
}

/** One job (e.g. the backup just started); events keep it current. */
export function useJob(id: string | null) {
  const engine = useEngine();
  return useQuery({
    queryKey: jobKeys.one(id ?? ''),
    queryFn: () => engine.call('jobs.get', { id: id ?? '' }),
    enabled: id !== null,
    staleTime: Infinity,
  });
}

export function useCancelJob() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => engine.call('jobs.cancel', { id }),
    onSuccess: (job: Job) => storeJob(queryClient, job),
    // A job that finished or vanished meanwhile: show the list as it is now.
    onError: () => queryClient.invalidateQueries({ queryKey: jobKeys.active }),
  });
}
