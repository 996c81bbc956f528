import { useId } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Job } from '@little-monster/core/contract';
import { useStore, type StoreApi } from 'zustand';
import { jobKeys } from '../jobs/query-keys';
import { ImportJobStatus, isFinishedImport, UploadStatus } from './import-status';
import type { ImportRow, ImportsState } from './imports-store';

export interface ImportListProps {
  /** The list's heading ("Imports"). */
  title: string;
  store: StoreApi<ImportsState>;
  /** Where "Open it" leads, for a row's material or lecture. */
  openPath(id: string): string;
  /** A lecture can be opened while it is transcribed; a material only once imported. */
  openWhileRunning?: boolean;
  /** What a row whose job was cancelled says. */
  cancelledJobText: string;
  /** What a file that was already there says, before a link to it; without it, it reads as added. */
  duplicateText?: string;
}

type RowProps = Omit<ImportListProps, 'title'> & { row: ImportRow };

function RowStatus({ row, store, openPath, openWhileRunning, cancelledJobText, duplicateText }: RowProps) {
  const cancelUpload = useStore(store, (state) => state.cancelUpload);
  const added = (
    <p className="import-status import-done">
      Added. {row.materialId ? <Link to={openPath(row.materialId)}>Open it</Link> : null}
    </p>
  );
  switch (row.phase) {
    case 'waiting':
    case 'uploading':
    case 'starting':
      return <UploadStatus row={row} onCancel={cancelUpload} />;
    case 'importing':
      return row.jobId ? (
        <ImportJobStatus
          row={row}
          jobId={row.jobId}
          openPath={openPath}
          openWhileRunning={openWhileRunning}
          cancelledText={cancelledJobText}
        />
      ) : null;
    case 'duplicate':
      if (!duplicateText) return added;
      return (
        <p className="import-status">
          {duplicateText}{' '}
          {row.duplicateOf ? <Link to={openPath(row.duplicateOf.id)}>{row.duplicateOf.title}</Link> : null}
        </p>
      );
    case 'refused':
      return <p className="import-status text-error">Not imported: {row.error}</p>;
    case 'cancelled':
      return <p className="import-status muted">Cancelled. Nothing was added.</p>;
    case 'imported':
      return added;
  }
}

function ImportRowItem(props: RowProps) {
  const nameId = useId();
  const { row } = props;
  return (
    <li className={`import-row import-${row.phase}`} aria-labelledby={nameId}>
      <span id={nameId} className="import-name">
        {row.name}
      </span>
      <RowStatus {...props} />
    </li>
  );
}

/** One row per file being imported, until the student clears the finished ones. */
export function ImportList({ title, ...rowProps }: ImportListProps) {
  const rows = useStore(rowProps.store, (state) => state.rows);
  const clear = useStore(rowProps.store, (state) => state.clear);
  const queryClient = useQueryClient();
  const headingId = useId();
  if (rows.length === 0) return null;

  function clearFinished() {
    const jobOf = (row: ImportRow) =>
      row.jobId ? queryClient.getQueryData<Job>(jobKeys.one(row.jobId)) : undefined;
    clear(rows.filter((row) => isFinishedImport(row, jobOf(row))).map((row) => row.key));
  }

  return (
    <section className="imports card" aria-labelledby={headingId}>
      <div className="imports-head">
        <h2 id={headingId} className="card-title">
          {title}
        </h2>
        <button type="button" className="button button-small" onClick={clearFinished}>
          Clear finished
        </button>
      </div>
      <ul className="import-list">
        {rows.map((row) => (
          <ImportRowItem key={row.key} row={row} {...rowProps} />
        ))}
      </ul>
    </section>
  );
}
