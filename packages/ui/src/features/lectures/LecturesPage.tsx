import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Lecture } from '@little-monster/core/contract';
import { ConfirmDialog } from '../../app/components/ConfirmDialog';
import { RenameDialog } from '../../app/components/RenameDialog';
import { PageHeader } from '../../app/components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { formatDateTime } from '../../app/format';
import { useUiStoreApi } from '../../app/ui-store';
import { classNameOf, useClassLookup, type ClassLookup } from '../classes/class-lookup';
import { lecturePath } from './lecture-link';
import { formatLength, LECTURE_STATUS_LABELS, recoveryText, transcriptLabel } from './lecture-text';
import { LectureImport } from './LectureImport';
import { useRecorder, useRecordingState } from './LecturesProvider';
import {
  useDeleteLecture,
  useDismissRecovery,
  useLectures,
  useRenameLecture,
  useTranscriptStatuses,
} from './queries';

/** The class filter in the address: a class id, `none` for lectures in no class, absent for all. */
const NO_CLASS_PARAM = 'none';

/** Lectures cut short by an unexpected close, until the student has seen it. */
function RecoveryNotices() {
  const { data } = useLectures(undefined);
  const dismiss = useDismissRecovery();
  const recovered = (data ?? []).filter((lecture) => lecture.recoveryNotice);
  if (recovered.length === 0) return null;
  return (
    <ul className="recovery-notices" aria-label="Recovered recordings">
      {recovered.map((lecture) => (
        <li
          key={lecture.id}
          className={`notice ${lecture.status === 'failed' ? 'notice-error' : 'notice-warning'}`}
        >
          <p>{recoveryText(lecture)}</p>
          <div className="row">
            <Link to={lecturePath(lecture.id)}>Open it</Link>
            <button
              type="button"
              className="button button-small"
              disabled={dismiss.isPending}
              onClick={() => dismiss.mutate(lecture.id)}
            >
              Dismiss
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}

function TranscriptState({ lectureId }: { lectureId: string }) {
  const { data } = useTranscriptStatuses();
  if (!data) return null;
  // Lectures never transcribed have no status of their own.
  const status = data[lectureId] ?? { state: 'none' as const, modelId: null, jobId: null, error: null };
  return <span className={`badge transcript-${status.state}`}>{transcriptLabel(status)}</span>;
}

function LectureRow({
  lecture,
  classes,
  onRename,
  onDelete,
}: {
  lecture: Lecture;
  classes: ClassLookup;
  onRename(): void;
  onDelete(): void;
}) {
  const titleId = useId();
  const { session } = useRecorder();
  const recordingHere = useRecordingState(session)?.lecture?.id === lecture.id;
  return (
    <li className="lecture" aria-labelledby={titleId}>
      <div className="lecture-body">
        <h2 id={titleId} className="lecture-title">
          <Link
            to={
              lecture.status === 'recording' && recordingHere ? '/lectures/record' : lecturePath(lecture.id)
            }
          >
            {lecture.title}
          </Link>
        </h2>
        <p className="lecture-meta">
          <span className={`badge lecture-status status-${lecture.status}`}>
            {LECTURE_STATUS_LABELS[lecture.status]}
          </span>
          <span>{classNameOf(classes, lecture.classId)}</span>
          <span>{formatDateTime(lecture.startedAt)}</span>
          {lecture.status !== 'recording' ? <span>{formatLength(lecture.durationMs)}</span> : null}
          <TranscriptState lectureId={lecture.id} />
        </p>
        {lecture.error ? <p className="text-error">{lecture.error}</p> : null}
      </div>
      <div className="lecture-actions">
        <button type="button" className="button button-small" onClick={onRename}>
          Rename
        </button>
        <button type="button" className="button button-small button-danger-quiet" onClick={onDelete}>
          Delete
        </button>
      </div>
    </li>
  );
}

export function RenameLectureDialog({ lecture, onClose }: { lecture: Lecture; onClose(): void }) {
  const rename = useRenameLecture();
  return (
    <RenameDialog
      heading="Rename lecture"
      current={lecture.title}
      pending={rename.isPending}
      rename={(title) => rename.mutateAsync({ id: lecture.id, title })}
      onClose={onClose}
    />
  );
}

export function DeleteLectureDialog({
  lecture,
  onClose,
  onDeleted,
}: {
  lecture: Lecture;
  onClose(): void;
  onDeleted?(): void;
}) {
  const remove = useDeleteLecture();
  const store = useUiStoreApi();
  return (
    <ConfirmDialog
      title={`Delete “${lecture.title}”?`}
      confirmLabel="Delete lecture"
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={() =>
        remove.mutate(lecture.id, {
          onSuccess() {
            store.getState().pushToast({ tone: 'success', title: `Deleted “${lecture.title}”` });
            onClose();
            onDeleted?.();
          },
        })
      }
    >
      Its audio, transcript and bookmarks are deleted from this computer. This cannot be undone.
    </ConfirmDialog>
  );
}

/** `/lectures`: every recorded or imported lecture, by class, with recording and importing. */
export function LecturesPage() {
  const [params, setParams] = useSearchParams();
  const classParam = params.get('class');
  const classFilter = classParam === null ? undefined : classParam === NO_CLASS_PARAM ? null : classParam;
  const classes = useClassLookup();
  const lectures = useLectures(classFilter);
  const [renaming, setRenaming] = useState<Lecture | null>(null);
  const [deleting, setDeleting] = useState<Lecture | null>(null);
  const filterId = useId();
  const recordPath = `/lectures/record${typeof classFilter === 'string' ? `?class=${classFilter}` : ''}`;

  return (
    <>
      <PageHeader
        title="Lectures"
        description="Record a lecture or import a recording; read and search its transcript, and jump to any moment."
        actions={
          <Link className="button button-primary" to={recordPath}>
            Record a lecture
          </Link>
        }
      />
      <RecoveryNotices />
      <LectureImport
        classes={classes.active}
        initialClassId={typeof classFilter === 'string' ? classFilter : null}
      />

      <div className="lectures-filters">
        <div className="field">
          <label htmlFor={filterId}>Class</label>
          <select
            id={filterId}
            value={classParam ?? ''}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('class', e.target.value);
              else next.delete('class');
              setParams(next, { replace: true });
            }}
          >
            <option value="">All classes</option>
            <option value={NO_CLASS_PARAM}>No class</option>
            {classes.all.map((cls) => (
              <option key={cls.id} value={cls.id}>
                {cls.name}
              </option>
            ))}
          </select>
        </div>
      </div>

      {lectures.isPending ? (
        <Loading label="Loading lectures…" />
      ) : lectures.isError ? (
        <ErrorState error={lectures.error} what="your lectures" onRetry={() => void lectures.refetch()} />
      ) : lectures.data.length === 0 ? (
        <EmptyState title={classFilter === undefined ? 'No lectures yet' : 'No lectures in this class'}>
          Press <Link to={recordPath}>Record a lecture</Link> at the start of a class, or import a recording.
        </EmptyState>
      ) : (
        <ul className="lecture-list" aria-label="Lectures">
          {lectures.data.map((lecture) => (
            <LectureRow
              key={lecture.id}
              lecture={lecture}
              classes={classes.byId}
              onRename={() => setRenaming(lecture)}
              onDelete={() => setDeleting(lecture)}
            />
          ))}
        </ul>
      )}

      {renaming ? <RenameLectureDialog lecture={renaming} onClose={() => setRenaming(null)} /> : null}
      {deleting ? <DeleteLectureDialog lecture={deleting} onClose={() => setDeleting(null)} /> : null}
    </>
  );
}
