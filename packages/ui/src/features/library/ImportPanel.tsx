import { useId } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Job } from '@little-monster/core/contract';
import { queryKeys } from '../../app/query-keys';
import { useImports } from './imports-context';
import { ImportJobStatus, isFinishedImport, UploadStatus } from './import-status';
import type { ImportRow } from './imports-store';
import { viewerPath } from './viewer/viewer-link';

function RowStatus({ row }: { row: ImportRow }) {
  const cancelUpload = useImports((state) => state.cancelUpload);
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
          openPath={viewerPath}
          cancelledText="Cancelled. Nothing was added."
        />
      ) : null;
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

/** One row per file being imported, until the student clears the finished ones. */
export function ImportPanel() {
  const rows = useImports((state) => state.rows);
  const clear = useImports((state) => state.clear);
  const queryClient = useQueryClient();
  if (rows.length === 0) return null;

  function clearFinished() {
    const jobOf = (row: ImportRow) =>
      row.jobId ? queryClient.getQueryData<Job>(queryKeys.job(row.jobId)) : undefined;
    clear(rows.filter((row) => isFinishedImport(row, jobOf(row))).map((row) => row.key));
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
