import { useId } from 'react';
import type { Job } from '@little-monster/core/contract';
import { useActiveJobs, useCancelJob } from './queries';

function JobRow({ job }: { job: Job }) {
  const titleId = useId();
  const cancel = useCancelJob();
  const percent = job.progress === null ? null : Math.round(job.progress * 100);
  return (
    <li className="job" aria-labelledby={titleId}>
      <div className="job-head">
        <span id={titleId} className="job-title">
          {job.title}
        </span>
        <button
          type="button"
          className="button button-quiet button-small"
          onClick={() => cancel.mutate(job.id)}
          disabled={cancel.isPending}
        >
          Cancel
        </button>
      </div>
      <progress
        className="job-progress"
        aria-label={`${job.title} progress`}
        max={1}
        {...(job.progress === null ? {} : { value: job.progress })}
      />
      <p className="job-status">
        {job.status === 'queued' ? 'Waiting to start' : percent === null ? 'Working…' : `${percent}%`}
        {job.message ? ` · ${job.message}` : ''}
      </p>
    </li>
  );
}

/** Background work in progress (backups now; imports, transcription and downloads later). */
export function JobsIndicator() {
  const { data: jobs, isError } = useActiveJobs();
  return (
    <section className="jobs" aria-labelledby="jobs-heading">
      <h2 id="jobs-heading" className="jobs-heading">
        Background jobs
      </h2>
      {isError ? (
        <p className="jobs-empty">Could not load background jobs.</p>
      ) : !jobs || jobs.length === 0 ? (
        <p className="jobs-empty">Nothing running.</p>
      ) : (
        <ul className="jobs-list">
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} />
          ))}
        </ul>
      )}
    </section>
  );
}
