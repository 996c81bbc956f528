import { useId } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Job } from '@little-monster/core/contract';
import { queryKeys } from '../../app/query-keys';
import { useCancelJob, useJob } from '../jobs/queries';
import { useImports } from './imports-context';
import type { ImportRow } from './imports-store';
import { viewerPath } from './viewer/viewer-link';

const percentOf = (fraction: number) => `${Math.round(fraction * 100)}%`;

function Progress({ label, value }: { label: string; value: number | null }) {
  return (
    <progress className="import-progress" aria-label={label} max={1} {...(value === null ? {} : { value })} />
  );
}

/** A file an import job is reading: its progress, then the material, or why it failed. */
function JobStatus({ row }: { row: ImportRow & { jobId: string } }) {
  const { data: job } = useJob(row.jobId);
  const cancel = useCancelJob();
  if (!job || job.status === 'queued' || job.status === 'running') {
    const progress = job?.status === 'running' ? job.progress : null;
    return (
      <>
        <Progress label={`${row.name} progress`} value={progress} />
        <div className="import-status">
          <span>
            {!job || job.status === 'queued'
              ? 'Waiting to start'
              : `Importing${progress === null ? '…' : ` ${percentOf(progress)}`}`}
            {job?.message ? ` · ${job.message}` : ''}
          </span>
          <button
            type="button"
            className="button button-quiet button-small"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate(row.jobId)}
          >
            Cancel
          </button>
        </div>
      </>
    );
  }
  if (job.status === 'succeeded') {
    return (
      <p className="import-status import-done">
        Imported. {row.materialId ? <Link to={viewerPath(row.materialId)}>Open it</Link> : null}
      </p>
    );
  }
  if (job.status === 'failed') {
    return (
      <p className="import-status text-error">
        Not imported: {job.error ?? 'the import stopped with an error.'}
      </p>
    );
  }
  return <p className="import-status muted">Cancelled. Nothing was added.</p>;
}

function UploadStatus({ row }: { row: ImportRow }) {
  const cancelUpload = useImports((state) => state.cancelUpload);
  const fraction = row.total ? (row.sent ?? 0) / row.total : null;
  return (
    <>
      <Progress label={`${row.name} progress`} value={row.phase === 'uploading' ? fraction : null} />
      <div className="import-status">
        <span>
          {row.phase === 'waiting'
            ? 'Waiting to upload'
            : row.phase === 'uploading'
              ? `Uploading${fraction === null ? '…' : ` ${percentOf(fraction)}`}`
              : 'Starting the import…'}
        </span>
        {row.phase !== 'starting' ? (
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => cancelUpload(row.key)}
          >
            Cancel
          </button>
        ) : null}
      </div>
    </>
  );
}

function RowStatus({ row }: { row: ImportRow }) {
  switch (row.phase) {
    case 'waiting':
    case 'uploading':
    case 'starting':
      return <UploadStatus row={row} />;
    case 'importing':
      return row.jobId ? <JobStatus row={{ ...row, jobId: row.jobId }} /> : null;
    case 'duplicate':
      return (
        <p className="import-status">
          Already in your library:{' '}
          {row.duplicateOf ? <Link to={viewerPath(row.duplicateOf.id)}>{row.duplicateOf.title}</Link> : null}
        </p>
      );
    case 'refused':
      return <p className="import-status text-error">Not imported: {row.error}</p>;
    case 'cancelled':
      return <p className="import-status muted">Cancelled. Nothing was added.</p>;
    case 'imported':
      return (
        <p className="import-status import-done">
          Added. {row.materialId ? <Link to={viewerPath(row.materialId)}>Open it</Link> : null}
        </p>
      );
  }
}

function ImportRowItem({ row }: { row: ImportRow }) {
  const nameId = useId();
  return (
    <li className={`import-row import-${row.phase}`} aria-labelledby={nameId}>
      <span id={nameId} className="import-name">
        {row.name}
      </span>
      <RowStatus row={row} />
    </li>
  );
}

const isFinished = (row: ImportRow, job: Job | undefined) =>
  !['waiting', 'uploading', 'starting', 'importing'].includes(row.phase) ||
  (row.phase === 'importing' && job !== undefined && job.status !== 'queued' && job.status !== 'running');

/** One row per file being imported, until the student clears the finished ones. */
export function ImportPanel() {
  const rows = useImports((state) => state.rows);
  const clear = useImports((state) => state.clear);
  const queryClient = useQueryClient();
  if (rows.length === 0) return null;

  function clearFinished() {
    const jobOf = (row: ImportRow) =>
      row.jobId ? queryClient.getQueryData<Job>(queryKeys.job(row.jobId)) : undefined;
    clear(rows.filter((row) => isFinished(row, jobOf(row))).map((row) => row.key));
  }

  return (
    <section className="imports card" aria-labelledby="imports-heading">
      <div className="imports-head">
        <h2 id="imports-heading" className="card-title">
          Imports
        </h2>
        <button type="button" className="button button-small" onClick={clearFinished}>
          Clear finished
        </button>
      </div>
      <ul className="import-list">
        {rows.map((row) => (
          <ImportRowItem key={row.key} row={row} />
        ))}
      </ul>
    </section>
  );
}
