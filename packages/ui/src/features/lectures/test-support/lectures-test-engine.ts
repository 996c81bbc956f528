/**
 * FOR UI COMPONENT TESTS ONLY: the test engine plus hand-written lecture and transcript handlers
 * that keep everything in memory, follow the contract's rules (chunks in order, CONFLICT with
 * `expectedSeq`, a chunk sent twice stored once) and emit the engine's events.
 */
import type {
  ExportFormat,
  Lecture,
  LectureBookmark,
  ModelEntry,
  StudyClass,
  TranscriptSegment,
  TranscriptStatus,
} from '@little-monster/core/contract';
import { fakeFiles } from '../../../test-support/fake-files';
import { rpcError } from '../../../test-support/memory-transport';
import { createTestEngine, makeJob, type TestEngine } from '../../../test-support/test-engine';

export interface LecturesTestEngine extends TestEngine {
  lectures: Lecture[];
  bookmarks: LectureBookmark[];
  /** Bytes stored per lecture, chunk by chunk. */
  chunks: Map<string, Uint8Array[]>;
  transcripts: Map<string, { status: TranscriptStatus; segments: TranscriptSegment[] }>;
  models: ModelEntry[];
  uploads: Map<string, File>;
  /** A live caption (or a job's line) written by the engine: stored and announced. */
  writeSegment(
    lectureId: string,
    fields: Pick<TranscriptSegment, 'startMs' | 'endMs' | 'text'>,
  ): TranscriptSegment;
  setTranscriptStatus(lectureId: string, patch: Partial<TranscriptStatus>): void;
}

const time = (() => {
  let tick = 0;
  return () => new Date(Date.UTC(2026, 9, 5, 9, 0, tick++)).toISOString();
})();

export function makeLecture(fields: Partial<Lecture> & { title: string }): Lecture {
  const now = time();
  return {
    id: crypto.randomUUID(),
    classId: null,
    status: 'recorded',
    mimeType: 'audio/webm;codecs=opus',
    bytes: 240_000,
    durationMs: 60_000,
    lastSeq: 59,
    recoveryNotice: false,
    error: null,
    startedAt: now,
    endedAt: now,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}

let segmentIds = 0;

export function makeSegment(
  lectureId: string,
  fields: Pick<TranscriptSegment, 'startMs' | 'endMs' | 'text'> & Partial<TranscriptSegment>,
): TranscriptSegment {
  segmentIds += 1;
  return { id: segmentIds, lectureId, edited: false, ...fields };
}

export function speechModel(fields: Partial<ModelEntry> = {}): ModelEntry {
  return {
    id: 'whisper-base.en-q5_1',
    kind: 'stt',
    name: 'Whisper base.en',
    description: 'English speech to text; keeps up with a lecture on a laptop.',
    format: 'ggml-whisper',
    bytes: 60 * 1024 ** 2,
    license: 'MIT',
    ramBytes: 300 * 1024 ** 2,
    verified: true,
    url: 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-base.en-q5_1.bin',
    status: 'missing',
    installed: false,
    fitsMemory: true,
    memoryNote: 'Needs about 0.3 GB of memory; this computer has 8 GB.',
    ...fields,
  };
}

/** WebM's EBML magic number, which a recording's first part starts with. */
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

const EXTENSIONS: Record<ExportFormat, [string, string]> = {
  txt: ['txt', 'text/plain'],
  srt: ['srt', 'application/x-subrip'],
  vtt: ['vtt', 'text/vtt'],
  md: ['md', 'text/markdown'],
};

export function createLecturesTestEngine(
  initial: {
    classes?: StudyClass[];
    lectures?: Lecture[];
    bookmarks?: LectureBookmark[];
    segments?: TranscriptSegment[];
    models?: ModelEntry[];
  } = {},
): LecturesTestEngine {
  const base = createTestEngine({ ...(initial.classes ? { classes: initial.classes } : {}) });
  const { transport, handlers } = base;
  const uploads = new Map<string, File>();
  transport.files = fakeFiles(uploads);
  const emit = (event: Parameters<typeof transport.emit>[0]) => queueMicrotask(() => transport.emit(event));

  const engine: LecturesTestEngine = Object.assign(base, {
    lectures: [...(initial.lectures ?? [])],
    bookmarks: [...(initial.bookmarks ?? [])],
    chunks: new Map<string, Uint8Array[]>(),
    transcripts: new Map<string, { status: TranscriptStatus; segments: TranscriptSegment[] }>(),
    models: [...(initial.models ?? [])],
    uploads,
    writeSegment(lectureId: string, fields: Pick<TranscriptSegment, 'startMs' | 'endMs' | 'text'>) {
      const segment = makeSegment(lectureId, fields);
      transcriptOf(lectureId).segments.push(segment);
      transport.emit({ name: 'transcripts.segment', payload: { segment: structuredClone(segment) } });
      return segment;
    },
    setTranscriptStatus(lectureId: string, patch: Partial<TranscriptStatus>) {
      const transcript = transcriptOf(lectureId);
      transcript.status = { ...transcript.status, ...patch };
      transport.emit({
        name: 'transcripts.changed',
        payload: { lectureId, status: structuredClone(transcript.status) },
      });
    },
  });
  for (const segment of initial.segments ?? []) transcriptOf(segment.lectureId).segments.push(segment);

  function transcriptOf(lectureId: string) {
    let transcript = engine.transcripts.get(lectureId);
    if (!transcript) {
      const hasLines = (initial.segments ?? []).some((segment) => segment.lectureId === lectureId);
      transcript = {
        status: { state: hasLines ? 'done' : 'none', modelId: null, jobId: null, error: null },
        segments: [],
      };
      engine.transcripts.set(lectureId, transcript);
    }
    return transcript;
  }
  function find(id: string) {
    const lecture = engine.lectures.find((l) => l.id === id);
    if (!lecture) throw rpcError('NOT_FOUND', 'That lecture no longer exists. It may have been deleted.');
    return lecture;
  }
  const changed = (ids: string[]) => emit({ name: 'lectures.changed', payload: { ids } });
  const touch = (lecture: Lecture, patch: Partial<Lecture>) =>
    Object.assign(lecture, patch, { updatedAt: time() });

  Object.assign(handlers, {
    'lectures.list': ({ classId }) =>
      engine.lectures
        .filter((l) => classId === undefined || l.classId === classId)
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
    'lectures.get': ({ id }) => ({
      lecture: find(id),
      bookmarks: engine.bookmarks.filter((b) => b.lectureId === id).sort((a, b) => a.atMs - b.atMs),
    }),
    'lectures.start': ({ classId, title, mimeType }) => {
      engine.assertClass(classId);
      const now = time();
      const inClass = engine.lectures.filter((l) => l.classId === classId).length;
      const lecture = makeLecture({
        title: title ?? `Lecture ${inClass + 1}`,
        classId,
        mimeType,
        status: 'recording',
        bytes: 0,
        durationMs: 0,
        lastSeq: -1,
        startedAt: now,
        endedAt: null,
      });
      engine.lectures.push(lecture);
      engine.chunks.set(lecture.id, []);
      changed([lecture.id]);
      return lecture;
    },
    'lectures.appendChunk': ({ id, seq, data }) => {
      const lecture = find(id);
      const stored = engine.chunks.get(id) ?? [];
      if (seq <= lecture.lastSeq) return { bytes: lecture.bytes, lastSeq: lecture.lastSeq };
      if (seq > lecture.lastSeq + 1) {
        const expectedSeq = lecture.lastSeq + 1;
        throw rpcError('CONFLICT', `Part ${seq} arrived before part ${expectedSeq}.`, { expectedSeq });
      }
      if (lecture.status !== 'recording')
        throw rpcError('CONFLICT', 'This recording has already been stopped.');
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      if (seq === 0 && !EBML_MAGIC.every((byte, i) => bytes[i] === byte))
        throw rpcError('INVALID_INPUT', 'The recording does not start like WebM audio.');
      stored.push(bytes);
      engine.chunks.set(id, stored);
      touch(lecture, { lastSeq: seq, bytes: lecture.bytes + bytes.length });
      return { bytes: lecture.bytes, lastSeq: lecture.lastSeq };
    },
    'lectures.stop': ({ id }) => {
      const lecture = find(id);
      if (lecture.status !== 'recording') return lecture;
      if (lecture.bytes === 0) {
        engine.lectures = engine.lectures.filter((l) => l !== lecture);
        changed([id]);
        throw rpcError(
          'INVALID_INPUT',
          'Nothing was recorded: no sound reached Little Monster from the microphone.',
        );
      }
      // One second per chunk, as MediaRecorder sends them.
      touch(lecture, { status: 'recorded', endedAt: time(), durationMs: (lecture.lastSeq + 1) * 1000 });
      changed([id]);
      return lecture;
    },
    'lectures.rename': ({ id, title }) => {
      const lecture = touch(find(id), { title });
      changed([id]);
      return lecture;
    },
    'lectures.delete': ({ id }) => {
      find(id);
      engine.lectures = engine.lectures.filter((l) => l.id !== id);
      engine.bookmarks = engine.bookmarks.filter((b) => b.lectureId !== id);
      changed([id]);
      return { id };
    },
    'lectures.addBookmark': ({ id, atMs, note }) => {
      find(id);
      const bookmark: LectureBookmark = {
        id: crypto.randomUUID(),
        lectureId: id,
        atMs,
        note,
        createdAt: time(),
      };
      engine.bookmarks.push(bookmark);
      changed([id]);
      return bookmark;
    },
    'lectures.removeBookmark': ({ id }) => {
      const bookmark = engine.bookmarks.find((b) => b.id === id);
      if (!bookmark) throw rpcError('NOT_FOUND', 'That bookmark no longer exists.');
      engine.bookmarks = engine.bookmarks.filter((b) => b !== bookmark);
      changed([bookmark.lectureId]);
      return { id };
    },
    'lectures.dismissRecovery': ({ id }) => {
      const lecture = touch(find(id), { recoveryNotice: false });
      changed([id]);
      return lecture;
    },
    'transcripts.statuses': () =>
      Object.fromEntries(
        [...engine.transcripts.entries()]
          .filter(([, transcript]) => transcript.status.state !== 'none')
          .map(([lectureId, transcript]) => [lectureId, transcript.status]),
      ),
    'transcripts.get': ({ lectureId }) => {
      find(lectureId);
      const transcript = transcriptOf(lectureId);
      return {
        status: transcript.status,
        segments: [...transcript.segments].sort((a, b) => a.startMs - b.startMs),
      };
    },
    'transcripts.editSegment': ({ id, text }) => {
      for (const transcript of engine.transcripts.values()) {
        const segment = transcript.segments.find((s) => s.id === id);
        if (!segment) continue;
        Object.assign(segment, { text, edited: true });
        emit({ name: 'transcripts.segment', payload: { segment: structuredClone(segment) } });
        return segment;
      }
      throw rpcError('NOT_FOUND', 'That line no longer exists.');
    },
    'transcripts.transcribe': ({ lectureId, modelId }) => {
      if (find(lectureId).status === 'recording')
        throw rpcError('CONFLICT', 'This lecture is still being recorded. Stop the recording first.');
      if (!engine.models.some((m) => m.kind === 'stt' && m.installed && (!modelId || m.id === modelId))) {
        throw rpcError('MODEL_NOT_INSTALLED', 'No speech model is installed.');
      }
      const job = makeJob({
        kind: 'transcripts.transcribe',
        title: 'Transcribe a lecture',
        status: 'queued',
      });
      engine.jobs.push(job);
      emit({ name: 'job.updated', payload: { job: { ...job } } });
      engine.setTranscriptStatus(lectureId, {
        state: 'queued',
        jobId: job.id,
        modelId: modelId ?? null,
        error: null,
      });
      return { jobId: job.id };
    },
    'transcripts.export': ({ lectureId, format }) => {
      const lecture = find(lectureId);
      const lines = transcriptOf(lectureId).segments.map((s) => s.text);
      const [extension, mimeType] = EXTENSIONS[format];
      return { fileName: `${lecture.title}.${extension}`, mimeType, content: lines.join('\n') };
    },
    'transcripts.liveAudio': ({ lectureId }) => {
      find(lectureId);
      return { ok: true as const };
    },
    'lectures.importAudio': ({ classId, source }) => {
      engine.assertClass(classId);
      const name = source.kind === 'upload' ? source.name : (source.path.split('/').pop() ?? source.path);
      const lecture = makeLecture({
        title: name.replace(/\.[^.]+$/, ''),
        classId,
        durationMs: 0,
        bytes: 0,
      });
      engine.lectures.push(lecture);
      changed([lecture.id]);
      // Without a speech model it is kept, untranscribed (record now, process later).
      if (!engine.models.some((model) => model.kind === 'stt' && model.installed))
        return { lecture, jobId: null };
      const job = makeJob({ kind: 'transcripts.transcribe', title: `Transcribe ${lecture.title}` });
      engine.jobs.push(job);
      transcriptOf(lecture.id).status = { state: 'queued', modelId: null, jobId: job.id, error: null };
      emit({ name: 'job.updated', payload: { job: { ...job } } });
      return { lecture, jobId: job.id };
    },
    'models.list': () => engine.models,
    'models.download': ({ id }) => {
      const job = makeJob({ kind: 'model.download', title: `Download ${id}` });
      engine.jobs.push(job);
      emit({ name: 'job.updated', payload: { job } });
      return { jobId: job.id };
    },
  } satisfies typeof handlers);

  return engine;
}
