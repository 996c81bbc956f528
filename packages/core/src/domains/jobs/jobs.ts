import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';

/** The background jobs list: follow, cancel and retry any domain's work; as many at once as settings allow. */
export function createJobs(kit: DomainKit): DomainModule<ProceduresOf<'jobs'>> {
  const queue = kit.jobs;
  return {
    handlers: {
      'jobs.list': (input) => queue.list(input),
      'jobs.get': ({ id }) => queue.get(id),
      'jobs.cancel': ({ id }) => queue.cancel(id),
      'jobs.retry': ({ id }) => queue.retry(id),
    },
    subscriptions: {
      'settings.changed': ({ settings }) => queue.setConcurrency(settings.jobConcurrency),
    },
    start: () => queue.setConcurrency(kit.queries.settings.get().jobConcurrency),
  };
}
