import type { Feature } from '../../app/feature';
import { storeJob, storeJobProgress } from './job-cache';
import { JobsIndicator } from './JobsIndicator';
import './jobs.css';

/** What to do when a job fails, unless its feature says otherwise (see ErrorTexts.jobFailureActions). */
const DEFAULT_FAILURE_ACTION =
  'Try it again. If it fails again, the log file (Settings, Your data) has the details.';

/** Background jobs: the sidebar's list with progress and cancel, and a toast when one fails. */
export const jobsFeature: Feature = {
  id: 'jobs',
  SidebarItem: JobsIndicator,
  events: {
    'job.updated': ({ job }, { queryClient, store, errorTexts }) => {
      storeJob(queryClient, job);
      if (job.status !== 'failed') return;
      // null: the job's reason already says what to do ("Remove the password and import it again").
      const action = errorTexts.jobFailureActions?.[job.kind];
      store.getState().pushToast({
        tone: 'error',
        title: `“${job.title}” failed`,
        message: job.error ?? 'The job stopped with an error.',
        ...(action === null ? {} : { action: action ?? DEFAULT_FAILURE_ACTION }),
      });
    },
    'job.progress': (payload, { queryClient }) => storeJobProgress(queryClient, payload),
  },
};
