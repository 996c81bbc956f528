import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { ImportOutcome, ImportSource } from '@little-monster/core/contract';
import type { StoreApi } from 'zustand';
import { useEngine } from '../../app/engine-context';
import { explainError } from '../../app/error-messages';
import type { EngineClient } from '../../transport/client';
import type { ImportsState } from '../imports/imports-store';
import { useImportQueue } from '../imports/use-import-queue';
import { startLiveAudio } from './recorder/live-audio';
import { closeMicrophone, openMicrophone, startMediaRecorder } from './recorder/media-recorder-session';
import {
  RecordingSession,
  type RecordingDeps,
  type RecordingState,
  type StartOptions,
} from './recorder/recording-session';

interface LecturesContextValue {
  /** The recording in progress (or the last one, until the student moves on). */
  session: RecordingSession | null;
  /** Asks for the microphone and starts recording; the session says how it went. */
  record(options: StartOptions): RecordingSession;
  /** Forgets a finished or failed session. */
  clear(): void;
  imports: StoreApi<ImportsState>;
}

const LecturesContext = createContext<LecturesContextValue | null>(null);

function browserDeps(call: EngineClient['call']): RecordingDeps {
  return {
    call,
    openMicrophone,
    closeMicrophone,
    startMediaRecorder,
    startLiveAudio,
    now: () => performance.now(),
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

const nameOf = (source: ImportSource) =>
  source.kind === 'upload' ? source.name : (source.path.split(/[\\/]/).pop() ?? source.path);

/** `lectures.importAudio` for each file, as the imports queue expects outcomes (a lecture id for a material id). */
async function importLectures(
  engine: EngineClient,
  classId: string | null,
  sources: ImportSource[],
): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  for (const source of sources) {
    try {
      const { lecture, jobId } = await engine.call('lectures.importAudio', { classId, source });
      // No job: kept without a speech model, to transcribe later.
      outcomes.push({ name: nameOf(source), materialId: lecture.id, ...(jobId ? { jobId } : {}) });
    } catch (error) {
      outcomes.push({ name: nameOf(source), error: explainError(error).message });
    }
  }
  return outcomes;
}

/**
 * Above the routes, so a recording goes on while the student looks at their slides in the
 * Library, and imports keep uploading. Closing or reloading the window while recording asks first.
 */
export function LecturesProvider({ children }: { children: ReactNode }) {
  const engine = useEngine();
  const [session, setSession] = useState<RecordingSession | null>(null);
  const imports = useImportQueue((classId, sources) => importLectures(engine, classId, sources));

  const record = useCallback(
    (options: StartOptions) => {
      const next = new RecordingSession(browserDeps(engine.call));
      setSession(next);
      void next.start(options);
      return next;
    },
    [engine],
  );
  const clear = useCallback(() => setSession((current) => (current?.isActive() ? current : null)), []);

  useEffect(() => {
    if (!session) return;
    const keepRecording = (event: BeforeUnloadEvent) => {
      if (!session.isActive()) return;
      event.preventDefault();
      // Older browsers show the dialog only when a value is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', keepRecording);
    return () => window.removeEventListener('beforeunload', keepRecording);
  }, [session]);

  const value = useMemo(() => ({ session, record, clear, imports }), [session, record, clear, imports]);
  return <LecturesContext.Provider value={value}>{children}</LecturesContext.Provider>;
}

function useLecturesContext(): LecturesContextValue {
  const value = useContext(LecturesContext);
  if (!value) throw new Error('Lectures need <LecturesProvider>');
  return value;
}

export function useRecorder() {
  const { session, record, clear } = useLecturesContext();
  return { session, record, clear };
}

const NO_STATE = () => null;
const NO_SUBSCRIPTION = () => () => {};

/** The session's state, re-rendering when it changes. */
export function useRecordingState(session: RecordingSession | null): RecordingState | null {
  return useSyncExternalStore(session?.subscribe ?? NO_SUBSCRIPTION, session?.getState ?? NO_STATE);
}

/** The queue of recordings being imported, kept while the student looks elsewhere. */
export function useLectureImportsStore(): StoreApi<ImportsState> {
  return useLecturesContext().imports;
}
