import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { LectureBookmark } from '@little-monster/core/contract';
import { PageHeader } from '../../app/components/PageHeader';
import { explainError } from '../../app/error-messages';
import { useUiStoreApi } from '../../app/ui-store';
import { useClassLookup } from '../classes/class-lookup';
import { ClassSelect } from '../classes/ClassSelect';
import { useModels } from '../models/queries';
import { downloadFile } from './download';
import { LectureNotesPane } from '../notes/LectureNotesPane';
import { lecturePath } from './lecture-link';
import { formatClock } from './lecture-text';
import { useRecorder, useRecordingState } from './LecturesProvider';
import { useTranscript } from './queries';
import { listMicrophones, onMicrophonesChange, type Microphone } from './recorder/media-recorder-session';
import type { RecordingSession, RecordingState } from './recorder/recording-session';
import { installedSpeechModels, SpeechModelCallToAction } from './SpeechModelCallToAction';

/** More than this many seconds of audio waiting for the engine shows "Saving…". */
const SAVING_AFTER_CHUNKS = 3;

function useMicrophones(refreshKey: unknown): Microphone[] {
  const [microphones, setMicrophones] = useState<Microphone[]>([]);
  useEffect(() => {
    let live = true;
    const refresh = () =>
      void listMicrophones().then(
        (found) => live && setMicrophones(found),
        () => live && setMicrophones([]),
      );
    refresh();
    const stop = onMicrophonesChange(refresh);
    return () => {
      live = false;
      stop();
    };
  }, [refreshKey]);
  return microphones;
}

/** Before recording: title, class and microphone, and why the last attempt did not start. */
function RecordSetup({ error, onStart }: { error: string | null; onStart(options: SetupChoice): void }) {
  const [params] = useSearchParams();
  const classes = useClassLookup();
  const [title, setTitle] = useState('');
  const [classId, setClassId] = useState<string | null>(params.get('class'));
  const [deviceId, setDeviceId] = useState('');
  // Names appear once the microphone has been allowed, i.e. after a first attempt.
  const microphones = useMicrophones(error);
  const titleId = useId();
  const classFieldId = useId();
  const micId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    onStart({ title, classId, deviceId: deviceId || null });
  }

  return (
    <>
      {error ? (
        <div className="notice notice-error recorder-error" role="alert">
          <p className="state-title">The recording did not start.</p>
          <p>{error}</p>
          <p className="muted">Nothing was saved.</p>
        </div>
      ) : null}
      <form className="card record-setup" onSubmit={submit} aria-label="New recording">
        <div className="field">
          <label htmlFor={titleId}>Title</label>
          <input
            id={titleId}
            type="text"
            value={title}
            maxLength={200}
            placeholder="Left empty: Lecture 1, Lecture 2… in its class"
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={classFieldId}>Class</label>
          <ClassSelect id={classFieldId} classes={classes.active} value={classId} onChange={setClassId} />
        </div>
        <div className="field">
          <label htmlFor={micId}>Microphone</label>
          <select id={micId} value={deviceId} onChange={(e) => setDeviceId(e.target.value)}>
            <option value="">The computer’s default microphone</option>
            {microphones.map((mic) => (
              <option key={mic.deviceId} value={mic.deviceId}>
                {mic.label}
              </option>
            ))}
          </select>
        </div>
        <div className="row">
          <button type="submit" className="button button-primary">
            Start recording
          </button>
        </div>
      </form>
      <SpeechModelCallToAction why="Little Monster records without one, and writes live captions and transcripts once one is installed." />
    </>
  );
}

interface SetupChoice {
  title: string;
  classId: string | null;
  deviceId: string | null;
}

/** Recorded time, paused time excluded, ticking while recording. */
function Elapsed({ session }: { session: RecordingSession }) {
  const [ms, setMs] = useState(() => session.elapsedMs());
  useEffect(() => {
    const timer = setInterval(() => setMs(session.elapsedMs()), 250);
    return () => clearInterval(timer);
  }, [session]);
  return (
    <p className="recorder-elapsed" role="timer" aria-label="Recorded time">
      {formatClock(ms)}
    </p>
  );
}

/** The microphone's loudness, redrawn every frame without re-rendering the page. */
function LevelMeter({ session }: { session: RecordingSession }) {
  const bar = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (typeof requestAnimationFrame !== 'function') return;
    let frame = 0;
    const draw = () => {
      const level = session.level();
      if (bar.current) {
        bar.current.style.transform = `scaleX(${level})`;
        bar.current.parentElement?.setAttribute('aria-valuenow', String(Math.round(level * 100)));
      }
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, [session]);
  return (
    <div className="level-meter" role="meter" aria-label="Input level" aria-valuemin={0} aria-valuemax={100}>
      <div ref={bar} className="level-meter-bar" />
    </div>
  );
}

/** "Important": marks this moment (or when the student started typing its note), with an optional note. */
function BookmarkButton({ session, bookmarks }: { session: RecordingSession; bookmarks: LectureBookmark[] }) {
  const [note, setNote] = useState('');
  const markedAt = useRef<number | null>(null);
  const [busy, setBusy] = useState(false);
  const store = useUiStoreApi();
  const noteId = useId();

  async function mark(event: FormEvent) {
    event.preventDefault();
    const atMs = markedAt.current ?? session.elapsedMs();
    setBusy(true);
    try {
      await session.addBookmark(note.trim(), atMs);
      setNote('');
      markedAt.current = null;
    } catch (error) {
      const { title, message, action } = explainError(error);
      store.getState().pushToast({ tone: 'error', title, message, action });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="recorder-bookmarks" aria-label="Bookmarks">
      <form className="bookmark-form" onSubmit={mark}>
        <div className="field">
          <label htmlFor={noteId}>Note for the bookmark (optional)</label>
          <input
            id={noteId}
            type="text"
            value={note}
            maxLength={1000}
            placeholder="On the exam"
            onChange={(e) => {
              // The moment is when the student started writing about it, not when they finished.
              if (!note && e.target.value) markedAt.current = session.elapsedMs();
              if (!e.target.value) markedAt.current = null;
              setNote(e.target.value);
            }}
          />
        </div>
        <button type="submit" className="button" disabled={busy}>
          Important
        </button>
      </form>
      {bookmarks.length > 0 ? (
        <ul className="bookmark-list" aria-label="Marked moments">
          {bookmarks.map((bookmark) => (
            <li key={bookmark.id}>
              <span className="bookmark-time">{formatClock(bookmark.atMs)}</span>{' '}
              {bookmark.note || 'Important'}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** How saving is going: only said when it is behind, waiting for the engine, or has failed. */
function SavingStatus({ session, state }: { session: RecordingSession; state: RecordingState }) {
  const { upload } = state;
  if (upload.failed) {
    return (
      <div className="notice notice-error" role="alert">
        <p className="state-title">The recording cannot be saved: {upload.failed}</p>
        <p>The audio recorded so far is still in this window. Save it as a file so nothing is lost.</p>
        <SaveAudioButton session={session} title={state.lecture?.title ?? 'Recording'} />
      </div>
    );
  }
  if (upload.retrying) {
    return (
      <div className="notice notice-warning" role="status">
        <p>
          Waiting for the engine ({upload.retrying}). Keep recording: nothing is lost, the audio waits here
          and is saved as soon as the engine is back.
        </p>
        <p>If the engine does not come back, save the audio to a file and import it in Lectures later.</p>
        <SaveAudioButton session={session} title={state.lecture?.title ?? 'Recording'} />
      </div>
    );
  }
  if (upload.waitingChunks > SAVING_AFTER_CHUNKS) {
    return (
      <p className="recorder-saving" role="status">
        Saving… ({upload.waitingChunks} s of audio waiting)
      </p>
    );
  }
  return null;
}

function SaveAudioButton({ session, title }: { session: RecordingSession; title: string }) {
  return (
    <button
      type="button"
      className="button"
      onClick={() => downloadFile(session.recording(), `${title}.webm`)}
    >
      Save the audio to a file
    </button>
  );
}

/** What was said, line by line, as the engine writes it during the recording. */
function LiveCaptions({ lectureId, problem }: { lectureId: string; problem: string | null }) {
  const transcript = useTranscript(lectureId);
  const models = useModels();
  const noSpeechModel = models.isSuccess && installedSpeechModels(models.data).length === 0;
  const segments = transcript.data?.segments ?? [];
  const list = useRef<HTMLOListElement>(null);
  const headingId = useId();
  useEffect(() => {
    const last = list.current?.lastElementChild;
    if (last && typeof last.scrollIntoView === 'function') last.scrollIntoView({ block: 'nearest' });
  }, [segments.length]);
  return (
    <section className="card live-captions" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        Live captions
      </h2>
      {problem ? <p className="muted">{problem}</p> : null}
      {noSpeechModel ? (
        <SpeechModelCallToAction why="Live captions need a speech model. The recording is saved either way, and can be transcribed once one is installed." />
      ) : segments.length === 0 ? (
        <p className="muted">Captions appear here a moment after each pause in speech.</p>
      ) : null}
      <ol ref={list} className="caption-list" aria-label="Captions" aria-live="polite">
        {segments.map((segment) => (
          <li key={segment.id}>
            <span className="segment-time">{formatClock(segment.startMs)}</span> {segment.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

function RecordingPanel({ session, state }: { session: RecordingSession; state: RecordingState }) {
  const { phase, lecture } = state;
  if (!lecture) {
    return <p className="state state-loading">Starting the microphone…</p>;
  }
  const recording = phase === 'recording' || phase === 'paused';
  return (
    <div className="recorder">
      <section className="card recorder-main" aria-label="Recording">
        <div className="recorder-head">
          <p className={`recorder-phase phase-${phase}`} role="status">
            {phase === 'recording'
              ? 'Recording'
              : phase === 'paused'
                ? 'Paused'
                : phase === 'stopping'
                  ? 'Saving the last seconds…'
                  : phase === 'failed'
                    ? 'Stopped'
                    : 'Saved'}
          </p>
          <p className="recorder-title">{lecture.title}</p>
        </div>
        <Elapsed session={session} />
        <LevelMeter session={session} />
        {recording ? (
          <div className="row recorder-controls">
            {phase === 'recording' ? (
              <button type="button" className="button" onClick={() => session.pause()}>
                Pause
              </button>
            ) : (
              <button type="button" className="button" onClick={() => session.resume()}>
                Resume
              </button>
            )}
            <button type="button" className="button button-primary" onClick={() => void session.stop()}>
              Stop and save
            </button>
          </div>
        ) : null}
        <SavingStatus session={session} state={state} />
        {phase === 'failed' && state.error ? (
          <div className="notice notice-error" role="alert">
            <p>{state.error}</p>
            {!state.upload.failed ? <SaveAudioButton session={session} title={lecture.title} /> : null}
            <p>
              <Link to={lecturePath(lecture.id)}>Open what was saved</Link>
            </p>
          </div>
        ) : null}
        {recording ? <BookmarkButton session={session} bookmarks={state.bookmarks} /> : null}
      </section>
      <LiveCaptions lectureId={lecture.id} problem={state.captionsProblem} />
      {recording ? <LectureNotesPane lecture={lecture} currentMs={() => session.elapsedMs()} /> : null}
    </div>
  );
}

/** `/lectures/record`: start a recording, then watch it, pause it, mark moments and stop it. */
export function RecordPage() {
  const { session, record, clear } = useRecorder();
  const state = useRecordingState(session);
  const navigate = useNavigate();
  const store = useUiStoreApi();

  const stoppedLecture = state?.phase === 'stopped' ? state.lecture : null;
  const notice = state?.notice ?? null;
  useEffect(() => {
    if (!stoppedLecture) return;
    if (notice) store.getState().pushToast({ tone: 'info', title: 'Recording saved', message: notice });
    clear();
    void navigate(lecturePath(stoppedLecture.id));
  }, [stoppedLecture, notice, clear, navigate, store]);

  const startFailed = state?.phase === 'failed' && !state.lecture;
  const showSetup = !session || !state || startFailed;
  return (
    <>
      <PageHeader
        title="Record a lecture"
        description="Audio is saved as it is recorded, so even if the computer stops, the lecture is kept."
        actions={
          <Link className="button" to="/lectures">
            All lectures
          </Link>
        }
      />
      {showSetup ? (
        <RecordSetup
          error={startFailed ? state.error : null}
          onStart={(choice) => {
            clear();
            record(choice);
          }}
        />
      ) : state.phase === 'starting' && !state.lecture ? (
        <p className="state state-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Starting the microphone…
        </p>
      ) : (
        <RecordingPanel session={session} state={state} />
      )}
    </>
  );
}
