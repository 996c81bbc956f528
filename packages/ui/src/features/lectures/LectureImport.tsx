import { useId, useRef, useState, type DragEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Job, StudyClass } from '@little-monster/core/contract';
import { queryKeys } from '../../app/query-keys';
import { useUiStoreApi } from '../../app/ui-store';
import { ClassSelect } from '../library/ClassSelect';
import { filesFromDrop, useKeepDroppedFilesInPage } from '../library/dropped-files';
import { ImportFromPath } from '../library/ImportFromPath';
import { ImportJobStatus, isFinishedImport, UploadStatus } from '../library/import-status';
import type { ImportRow } from '../library/imports-store';
import { lecturePath } from './lecture-link';
import { useLectureImports } from './LecturesProvider';

/** What the file picker offers: the formats the engine decodes (it checks the content, not the name). */
const ACCEPT = 'audio/*,video/mp4,video/webm,.wav,.mp3,.m4a,.aac,.ogg,.oga,.opus,.flac,.webm,.mp4';

function RowStatus({ row }: { row: ImportRow }) {
  const cancelUpload = useLectureImports((state) => state.cancelUpload);
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
          openPath={lecturePath}
          openWhileRunning
          cancelledText="Cancelled."
        />
      ) : null;
    case 'refused':
      return <p className="import-status text-error">Not imported: {row.error}</p>;
    case 'cancelled':
      return <p className="import-status muted">Cancelled. Nothing was added.</p>;
    case 'duplicate':
    case 'imported':
      return (
        <p className="import-status import-done">
          Added. {row.materialId ? <Link to={lecturePath(row.materialId)}>Open it</Link> : null}
        </p>
      );
  }
}

function LectureImportPanel() {
  const rows = useLectureImports((state) => state.rows);
  const clear = useLectureImports((state) => state.clear);
  const queryClient = useQueryClient();
  const headingId = useId();
  if (rows.length === 0) return null;
  const clearFinished = () =>
    clear(
      rows
        .filter((row) =>
          isFinishedImport(
            row,
            row.jobId ? queryClient.getQueryData<Job>(queryKeys.job(row.jobId)) : undefined,
          ),
        )
        .map((row) => row.key),
    );
  return (
    <section className="imports card" aria-labelledby={headingId}>
      <div className="imports-head">
        <h2 id={headingId} className="card-title">
          Imported recordings
        </h2>
        <button type="button" className="button button-small" onClick={clearFinished}>
          Clear finished
        </button>
      </div>
      <ul className="import-list">
        {rows.map((row) => (
          <li key={row.key} className={`import-row import-${row.phase}`} aria-label={row.name}>
            <span className="import-name">{row.name}</span>
            <RowStatus row={row} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Imports recorded lectures (audio or video files) by drop, by picker, or by path, into the class
 * picked here; each becomes a lecture that is transcribed in the background.
 */
export function LectureImport({
  classes,
  initialClassId,
}: {
  classes: readonly StudyClass[];
  initialClassId: string | null;
}) {
  const importFiles = useLectureImports((state) => state.importFiles);
  const importPath = useLectureImports((state) => state.importPath);
  const [classId, setClassId] = useState(initialClassId);
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const store = useUiStoreApi();
  const classFieldId = useId();
  useKeepDroppedFilesInPage();

  const take = (files: File[]) => {
    if (files.length > 0) importFiles(files, classId);
  };
  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    filesFromDrop(event.dataTransfer).then(take, () =>
      store.getState().pushToast({
        tone: 'error',
        title: 'Some dropped files could not be read',
        action:
          'Check that the files are still there and try again, or choose them with Import audio or video.',
      }),
    );
  }

  return (
    <div className="library-import">
      <section
        className={`drop-zone${dragging ? ' is-dragging' : ''}`}
        aria-label="Import a recorded lecture"
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <p className="drop-zone-title">
          Drop recordings here: WAV, MP3, M4A/AAC, OGG/Opus, FLAC, WebM or MP4 (the sound of a video)
        </p>
        <div className="drop-zone-controls">
          <button type="button" className="button" onClick={() => picker.current?.click()}>
            Import audio or video
          </button>
          <input
            ref={picker}
            type="file"
            multiple
            hidden
            accept={ACCEPT}
            aria-label="Recordings to import"
            onChange={(e) => {
              take([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
          <div className="drop-zone-class">
            <label htmlFor={classFieldId}>Add to class</label>
            <ClassSelect id={classFieldId} classes={classes} value={classId} onChange={setClassId} />
          </div>
        </div>
      </section>
      <ImportFromPath onImport={(path) => importPath(path, classId)} startOpen={false} />
      <LectureImportPanel />
    </div>
  );
}
