import { useCallback, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { Lecture, LectureBookmark } from '@little-monster/core/contract';
import { PageHeader } from '../../app/components/PageHeader';
import { generatePath } from '../generate/generate-links';
import { ErrorState, Loading } from '../../app/components/States';
import { useEngine } from '../../app/engine-context';
import { formatDateTime } from '../../app/format';
import { isRpcCallError } from '../../transport/client';
import { classNameOf, useClassLookup } from '../classes/class-lookup';
import { LectureNotesPane } from '../notes/LectureNotesPane';
import { readStartSeconds } from './lecture-link';
import { formatLength, recoveryText } from './lecture-text';
import { DeleteLectureDialog, RenameLectureDialog } from './LecturesPage';
import { Bookmarks, ExportTranscript, TranscriptStatusPanel } from './LectureTools';
import { useDismissRecovery, useLecture, useTranscript } from './queries';
import { TranscriptLines } from './TranscriptLines';
import { Waveform } from './Waveform';

/** The player and what follows its position: the transcript line being played, the waveform. */
function usePlayer(startSeconds: number | null) {
  const audio = useRef<HTMLAudioElement | null>(null);
  const [positionMs, setPositionMs] = useState(() => (startSeconds ?? 0) * 1000);
  const [durationMs, setDurationMs] = useState(0);
  const pendingStart = useRef(startSeconds);

  const attach = useCallback((element: HTMLAudioElement | null) => {
    audio.current = element;
    if (!element) return;
    const applyStart = () => {
      if (pendingStart.current === null) return;
      element.currentTime = pendingStart.current;
      pendingStart.current = null;
    };
    const readDuration = () => {
      if (Number.isFinite(element.duration)) setDurationMs(element.duration * 1000);
    };
    element.addEventListener('timeupdate', () => setPositionMs(element.currentTime * 1000));
    element.addEventListener('seeked', () => setPositionMs(element.currentTime * 1000));
    element.addEventListener('durationchange', readDuration);
    element.addEventListener('loadedmetadata', () => {
      readDuration();
      applyStart();
    });
    // Metadata may already be there (cached).
    if (element.readyState >= 1) {
      readDuration();
      applyStart();
    }
  }, []);

  /** Plays from `ms` (a line, a bookmark, the waveform). */
  const playFrom = useCallback((ms: number) => {
    setPositionMs(ms);
    const element = audio.current;
    if (!element) return;
    pendingStart.current = null;
    element.currentTime = ms / 1000;
    // Refused when the browser allows no playback yet; the position is set either way.
    void element.play()?.catch(() => {});
  }, []);

  return { attach, positionMs, durationMs, playFrom };
}

function LectureNotices({ lecture }: { lecture: Lecture }) {
  const dismiss = useDismissRecovery();
  return (
    <>
      {lecture.recoveryNotice ? (
        <div
          className={`notice ${lecture.status === 'failed' ? 'notice-error' : 'notice-warning'}`}
          role="status"
        >
          <p>{recoveryText(lecture)}</p>
          <button
            type="button"
            className="button button-small"
            disabled={dismiss.isPending}
            onClick={() => dismiss.mutate(lecture.id)}
          >
            Dismiss
          </button>
        </div>
      ) : lecture.status === 'failed' && lecture.error ? (
        <p className="notice notice-error" role="alert">
          {lecture.error}
        </p>
      ) : null}
      {lecture.status === 'recording' ? (
        <p className="notice notice-warning">
          This lecture is being recorded. <Link to="/lectures/record">Go to the recording</Link>
        </p>
      ) : null}
    </>
  );
}

function LectureView({ lecture, bookmarks }: { lecture: Lecture; bookmarks: LectureBookmark[] }) {
  const [params] = useSearchParams();
  const { transport } = useEngine();
  const navigate = useNavigate();
  const classes = useClassLookup();
  const transcript = useTranscript(lecture.id);
  const { attach, positionMs, durationMs, playFrom } = usePlayer(readStartSeconds(params.get('t')));
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const url = transport.files?.recordingUrl?.(lecture.id) ?? null;
  const segments = transcript.data?.segments ?? [];
  const length = durationMs || lecture.durationMs;

  return (
    <>
      <PageHeader
        title={lecture.title}
        description={`${classNameOf(classes.byId, lecture.classId)} · ${formatDateTime(lecture.startedAt)}${lecture.durationMs ? ` · ${formatLength(lecture.durationMs)}` : ''}`}
        actions={
          <>
            <Link className="button" to="/lectures">
              All lectures
            </Link>
            <Link className="button" to={generatePath('lecture', lecture.id)}>
              Generate quiz / flashcards
            </Link>
            <button type="button" className="button" onClick={() => setRenaming(true)}>
              Rename
            </button>
            <button type="button" className="button button-danger-quiet" onClick={() => setDeleting(true)}>
              Delete
            </button>
          </>
        }
      />
      <LectureNotices lecture={lecture} />
      <div className="lecture-layout">
        <div className="lecture-side">
          <section className="card lecture-player" aria-label="Recording">
            {url ? (
              <>
                <audio ref={attach} className="lecture-audio" controls preload="metadata" src={url}>
                  Your browser cannot play this recording.
                </audio>
                <Waveform
                  url={url}
                  bytes={lecture.bytes}
                  positionMs={positionMs}
                  durationMs={length}
                  onSeek={playFrom}
                />
              </>
            ) : (
              <p className="muted">This window cannot play recordings.</p>
            )}
          </section>
          <Bookmarks lecture={lecture} bookmarks={bookmarks} positionMs={positionMs} onPlay={playFrom} />
        </div>
        <div className="lecture-main">
          <section className="card lecture-transcript" aria-label="Transcript">
            <div className="transcript-head">
              <h2 className="card-title">Transcript</h2>
              <ExportTranscript lectureId={lecture.id} disabled={segments.length === 0} />
            </div>
            {transcript.data ? (
              <TranscriptStatusPanel
                lecture={lecture}
                status={transcript.data.status}
                hasLines={segments.length > 0}
              />
            ) : null}
            {transcript.isPending ? (
              <Loading label="Loading the transcript…" />
            ) : transcript.isError ? (
              <ErrorState
                error={transcript.error}
                what="the transcript"
                onRetry={() => void transcript.refetch()}
              />
            ) : segments.length === 0 ? (
              // The status above already says when there is no transcript; this is only while one is written.
              ['live', 'queued', 'running'].includes(transcript.data.status.state) ? (
                <p className="muted">Lines appear here as they are written.</p>
              ) : null
            ) : (
              <TranscriptLines segments={segments} positionMs={positionMs} onPlay={playFrom} />
            )}
          </section>
          <LectureNotesPane lecture={lecture} currentMs={() => positionMs} onSeek={playFrom} />
        </div>
      </div>
      {renaming ? <RenameLectureDialog lecture={lecture} onClose={() => setRenaming(false)} /> : null}
      {deleting ? (
        <DeleteLectureDialog
          lecture={lecture}
          onClose={() => setDeleting(false)}
          onDeleted={() => void navigate('/lectures')}
        />
      ) : null}
    </>
  );
}

/** `/lectures/:id?t=754`: the recording, its transcript following playback, notes beside it, bookmarks and export. */
export function LectureViewPage() {
  const { id = '' } = useParams();
  const lecture = useLecture(id);
  if (lecture.isPending) return <Loading label="Loading the lecture…" />;
  if (lecture.isError) {
    return (
      <>
        <PageHeader title={isRpcCallError(lecture.error, 'NOT_FOUND') ? 'Lecture not found' : 'Lecture'} />
        <ErrorState error={lecture.error} what="this lecture" onRetry={() => void lecture.refetch()} />
        <p>
          <Link to="/lectures">All lectures</Link>
        </p>
      </>
    );
  }
  return <LectureView lecture={lecture.data.lecture} bookmarks={lecture.data.bookmarks} />;
}
