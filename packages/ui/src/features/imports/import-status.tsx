import { Link } from 'react-router';
import type { Job } from '@little-monster/core/contract';
import { useCancelJob, useJob } from '../jobs/queries';
import type { ImportRow } from './imports-store';

const percentOf = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** A row's progress bar; no value means "under way, amount unknown". */
export function ImportProgress({ label, value }: { label: string; value: number | null }) {
  return (
    <progress className="import-progress" aria-label={label} max={1} {...(value === null ? {} : { value })} />
  );
}

/** A file on its way to the engine: waiting, uploading with its share, or starting its import. */
export function UploadStatus({ row, onCancel }: { row: ImportRow; onCancel(key: string): void }) {
  const fraction = row.total ? (row.sent ?? 0) / row.total : null;
  return (
    <>
      <ImportProgress label={`${row.name} progress`} value={row.phase === 'uploading' ? fraction : null} />
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
            onClick={() => onCancel(row.key)}
          >
            Cancel
          </button>
        ) : null}
      </div>
    </>
  );
}

export interface ImportJobStatusProps {
  row: ImportRow;
  jobId: string;
  /** Where "Open it" leads, for the row's material or lecture. */
  openPath(id: string): string;
  /** A lecture can be opened while it is transcribed; a material only once imported. */
  openWhileRunning?: boolean;
  cancelledText: string;
}

/** Problems an import met without stopping: its job's result counts them (materials) or lists them (lectures). */
function warningCount(result: unknown): number {
  if (typeof result !== 'object' || result === null || !('warnings' in result)) return 0;
  const { warnings } = result;
  return typeof warnings === 'number' ? warnings : Array.isArray(warnings) ? warnings.length : 0;
}

/** A file an import job is reading: its progress, then a link to it, or why it failed. */
export function ImportJobStatus({
  row,
  jobId,
  openPath,
  openWhileRunning = false,
  cancelledText,
}: ImportJobStatusProps) {
  const { data: job } = useJob(jobId);
  const cancel = useCancelJob();
  const open = row.materialId ? <Link to={openPath(row.materialId)}>Open it</Link> : null;
  if (!job || job.status === 'queued' || job.status === 'running') {
    const progress = job?.status === 'running' ? job.progress : null;
    return (
      <>
        <ImportProgress label={`${row.name} progress`} value={progress} />
        <div className="import-status">
          <span>
            {!job || job.status === 'queued'
              ? 'Waiting to start'
              : `Importing${progress === null ? '…' : ` ${percentOf(progress)}`}`}
            {job?.message ? ` · ${job.message}` : ''}
          </span>
          {openWhileRunning ? open : null}
          <button
            type="button"
            className="button button-quiet button-small"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate(jobId)}
          >
            Cancel
          </button>
        </div>
      </>
    );
  }
  if (job.status === 'succeeded') {
    const warnings = warningCount(job.result);
    return warnings > 0 ? (
      <p className="import-status import-warned">
        Imported with {warnings === 1 ? 'a warning' : `${warnings} warnings`}: open it to see what may be
        missing. {open}
      </p>
    ) : (
      <p className="import-status import-done">Imported. {open}</p>
    );
  }
  if (job.status === 'failed') {
    return (
      <p className="import-status text-error">
        Not imported: {job.error ?? 'the import stopped with an error.'}
      </p>
    );
  }
  return <p className="import-status muted">{cancelledText}</p>;
}

/** Done one way or another: the student may clear it from the list. */
export const isFinishedImport = (row: ImportRow, job: Job | undefined) =>
  !['waiting', 'uploading', 'starting', 'importing'].includes(row.phase) ||
  (row.phase === 'importing' && job !== undefined && job.status !== 'queued' && job.status !== 'running');
