import { copyFile, mkdir, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import { openAudioStream } from '../../audio/audio-stream.js';
import {
  AppError,
  formatClock,
  type EventSink,
  type ImportSource,
  type Lecture,
  type LectureBookmark,
} from '../../contract/index.js';
import type { DomainStore } from '../../db/store.js';
import { formatBytes } from '../../format-bytes.js';
import { KeyedLock } from '../../storage/keyed-lock.js';
import { assertRegularFile, statReadableFile } from '../../storage/readable-file.js';
import type { StoredFile } from '../../storage/stored-file.js';
import { LectureStore, toLecture, type LectureRow } from './lecture-store.js';
import {
  FINALIZING_SUFFIX,
  finalizeRecording,
  readRecordingDurationMs,
  UnreadableRecordingError,
} from './recording-audio.js';
import { RecorderWatch } from './recorder-watch.js';
import { RecordingFiles } from './recording-files.js';

export interface LecturesServiceDeps {
  store: DomainStore;
  bus: EventSink;
  dataDir: string;
  /** Where the browser mode's uploads wait to be imported. */
  uploadsDir: string;
  logger: Logger;
  classExists(id: string): boolean;
  /** A lecture is being deleted, in its transaction. */
  deleting(id: string): void;
  /** A lecture's title or class changed (what other domains show of it). */
  described(lecture: Lecture): void;
  /** A recording whose recorder is gone was closed as recovered (its last words can be transcribed). */
  abandoned(id: string): void;
  /** How long a recording whose recorder's connection closed waits for it before it is recovered. */
  graceMs?: number;
  /** How long a recovered recording stays resumable by its recorder (its live stream is kept that long). */
  resumeWindowMs?: number;
}

const DEFAULT_GRACE_MS = 10_000;
const DEFAULT_RESUME_WINDOW_MS = 2 * 60_000;
/** Beside a recovered recording's file: its live stream, for a recorder that comes back. */
const RESUME_SUFFIX = '.resume';
const resumeNameOf = (fileName: string) => `${fileName}${RESUME_SUFFIX}`;

/** Where recordings live, beside the database. */
export const RECORDINGS_FOLDER = 'recordings';

/**
 * The largest recording an import takes: a three-hour lecture saved as uncompressed CD-quality
 * WAV (44.1 kHz stereo) is about 1.9 GB, and the same lecture as MP3 or M4A about 150 MB. The
 * file is copied whole into the recordings folder, so anything larger is refused before a byte is.
 */
export const MAX_AUDIO_IMPORT_BYTES = 2 * 1024 * 1024 * 1024;

const fileNameOf = (lectureId: string) => `${lectureId}.webm`;

/** Every WebM (EBML) file starts with these bytes; the first chunk must too. */
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

const stoppedAlready = () =>
  new AppError('CONFLICT', 'This recording has already been stopped. Start a new recording to go on.');

const closedWhileAway = () =>
  new AppError(
    'CONFLICT',
    'This recording was closed while the connection to the engine was lost; what reached the engine is saved. Save the rest of the audio to a file and import it.',
  );

/**
 * Lectures recorded from the microphone. The recorder sends its stream in numbered chunks; each
 * is appended to the lecture's file and flushed to the disk before it is acknowledged, so an
 * unexpected end of the app, the engine or the computer loses at most the chunk in flight.
 * `recoverInterrupted` closes, at start-up, the recordings such an end left open, and a
 * recording whose recorder is gone (its tab or window closed) is closed the same way once its
 * grace period is over. A recovered recording is playable at once, and for a while its recorder
 * can still come back and go on with it (an engine restart while the tab kept recording).
 */
export class LecturesService {
  private readonly store: LectureStore;
  private readonly files: RecordingFiles;
  /** One operation at a time per lecture: chunks in order, and no chunk racing a stop or delete. */
  private readonly lock = new KeyedLock();
  private readonly logger: Logger;
  private readonly watch: RecorderWatch;
  private readonly resumeWindowMs: number;
  /** Recovered recordings still resumable: when their live stream is let go. */
  private readonly resumeDeadlines = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: LecturesServiceDeps) {
    this.store = new LectureStore(deps.store, { classExists: deps.classExists, deleting: deps.deleting });
    this.files = new RecordingFiles(join(deps.dataDir, RECORDINGS_FOLDER));
    this.logger = deps.logger;
    this.resumeWindowMs = deps.resumeWindowMs ?? DEFAULT_RESUME_WINDOW_MS;
    this.watch = new RecorderWatch(deps.graceMs ?? DEFAULT_GRACE_MS, (id) => void this.recorderGone(id));
  }

  /** Whether a lecture is being recorded right now. */
  recordingInProgress(): boolean {
    return this.store.withStatus(['recording']).length > 0;
  }

  /** A transport connection closed: recordings it was sending are recovered unless their recorder comes back. */
  disconnected(connection: string): void {
    this.watch.connectionClosed(connection);
  }

  list(classId: string | null | undefined): Lecture[] {
    return this.store.list(classId);
  }

  lecture(id: string): Lecture {
    return this.store.get(id);
  }

  get(id: string): { lecture: Lecture; bookmarks: LectureBookmark[] } {
    return { lecture: this.store.get(id), bookmarks: this.store.bookmarks(id) };
  }

  /** The audio file to play, for the file route. */
  recordingFile(id: string): StoredFile {
    const row = this.store.row(id);
    return {
      path: this.files.pathOf(row.fileName),
      mimeType: row.mimeType,
      name: `${row.title}${extname(row.fileName)}`,
    };
  }

  /**
   * Imports an audio or video file (a path, or the browser's upload) as a recorded lecture, once
   * `ready` agrees (it may refuse, storing nothing; its answer is returned with the lecture). The
   * file's headers are read first: it must be audio with a track that can be decoded.
   */
  async importAudio<T>(
    classId: string | null,
    source: ImportSource,
    ready: () => Promise<T>,
  ): Promise<{ lecture: Lecture; ready: T }> {
    const path = source.kind === 'path' ? source.path : join(this.deps.uploadsDir, source.uploadId);
    const name = source.kind === 'path' ? path : source.name;
    try {
      await assertImportableRecording(path);
      const readiness = await ready();
      const stream = await openAudioStream(path);
      const durationMs = Math.round((stream.info.durationSeconds ?? 0) * 1000);
      await stream.close();
      const extension = extname(name).toLowerCase().slice(0, 8) || '.audio';
      const lecture = await this.importRecording({
        classId,
        title: titleOf(name),
        sourcePath: path,
        mimeType: MIME_BY_EXTENSION[extension] ?? 'application/octet-stream',
        extension,
        durationMs,
      });
      return { lecture, ready: readiness };
    } finally {
      // An upload is the browser's copy: the lecture has its own now (or nothing was kept).
      if (source.kind === 'upload') await rm(path, { force: true });
    }
  }

  /**
   * Adopts an audio or video file as a recorded lecture: a copy goes into the recordings folder
   * (the student's file stays where it is), played back as it is.
   */
  private async importRecording(input: {
    classId: string | null;
    title: string;
    sourcePath: string;
    mimeType: string;
    /** The file's extension with its dot (".mp3"), so players and exports recognise it. */
    extension: string;
    durationMs: number;
  }): Promise<Lecture> {
    const fileName = (id: string) => `${id}${input.extension}`;
    const lecture = this.store.create({ ...input, fileName });
    try {
      await mkdir(this.files.dir, { recursive: true });
      await copyFile(input.sourcePath, this.files.pathOf(fileName(lecture.id)));
      const bytes = (await this.files.size(fileName(lecture.id))) ?? 0;
      const row = this.store.update(
        lecture.id,
        {
          status: 'recorded',
          bytes,
          durationMs: input.durationMs,
          finalized: true,
          endedAt: lecture.startedAt,
        },
        { durable: true },
      );
      this.changed(lecture.id);
      return toLecture(row);
    } catch (error) {
      this.store.delete(lecture.id);
      await this.removeFiles(fileName(lecture.id));
      throw storageError(error, 'The recording could not be stored');
    }
  }

  async start(
    input: { classId: string | null; title?: string; mimeType: string },
    connection: string | null = null,
  ): Promise<Lecture> {
    const mimeType = input.mimeType.toLowerCase().replace(/\s+/g, '');
    // The row first, durably: a file in the folder then always has its lecture.
    const lecture = this.store.create({ ...input, mimeType, fileName: fileNameOf });
    try {
      await this.files.create(fileNameOf(lecture.id));
    } catch (error) {
      this.store.delete(lecture.id);
      throw storageError(error, 'The recording could not be started');
    }
    this.watch.heard(lecture.id, connection);
    this.changed(lecture.id);
    return lecture;
  }

  /** Stores chunk `seq` of the recorder's stream; see `lectures.appendChunk` in the contract. */
  appendChunk(
    id: string,
    seq: number,
    data: Uint8Array,
    connection: string | null = null,
  ): Promise<{ bytes: number; lastSeq: number }> {
    return this.lock.run(id, async () => {
      let row = this.store.row(id);
      if (seq <= row.lastSeq) return { bytes: row.bytes, lastSeq: row.lastSeq };
      if (seq > row.lastSeq + 1) {
        const expectedSeq = row.lastSeq + 1;
        throw new AppError(
          'CONFLICT',
          `Part ${seq} of the recording arrived before part ${expectedSeq}. Send it again from part ${expectedSeq}.`,
          { expectedSeq },
        );
      }
      if (row.status === 'recovered') row = await this.resume(row, seq);
      if (row.status !== 'recording') throw stoppedAlready();
      if (seq === 0 && !EBML_MAGIC.every((byte, i) => data[i] === byte)) {
        throw new AppError(
          'INVALID_INPUT',
          'The recording does not start like WebM audio. Record with audio/webm;codecs=opus.',
        );
      }
      try {
        await this.files.write(row.fileName, row.bytes, data);
      } catch (error) {
        throw storageError(error, 'This part of the recording could not be saved');
      }
      const stored = this.store.update(
        id,
        { lastSeq: seq, bytes: row.bytes + data.length },
        { durable: true },
      );
      this.watch.heard(id, connection);
      return { bytes: stored.bytes, lastSeq: stored.lastSeq };
    });
  }

  /**
   * The recorder of a recovered recording came back (it kept recording while the engine was
   * away) and sends what follows: the live stream kept beside the playable file takes its place
   * again and the same recording goes on.
   */
  private async resume(row: LectureRow, seq: number): Promise<LectureRow> {
    let bytes = row.bytes;
    if (row.finalized) {
      const live = resumeNameOf(row.fileName);
      const liveBytes = await this.files.size(live);
      if (liveBytes === null) throw closedWhileAway();
      await this.files.rename(live, row.fileName);
      bytes = liveBytes;
    }
    await this.endResumeWindow(row.id);
    const resumed = this.store.update(
      row.id,
      { status: 'recording', recoveryNotice: false, endedAt: null, finalized: false, bytes },
      { durable: true },
    );
    this.logger.info({ lectureId: row.id, seq }, 'recording resumed after its recorder came back');
    this.changed(row.id);
    return resumed;
  }

  /**
   * Ends a recording: its duration is read from the audio and the file gets its seek index.
   * A recording with no audio at all is discarded (INVALID_INPUT says so). Stopping one already
   * stopped returns it as it is.
   */
  stop(id: string): Promise<Lecture> {
    return this.lock.run(id, async () => {
      const row = this.store.row(id);
      this.watch.forget(id);
      if (row.status === 'recovered') {
        // The recorder ends a lecture the engine had recovered: nothing more will be appended.
        await this.endResumeWindow(id, row.fileName);
        return toLecture(row.finalized ? row : await this.finalize(row));
      }
      if (row.status !== 'recording') return toLecture(row);
      await this.files.close(row.fileName);
      const closed = await this.closeRecording(row, {
        status: 'recorded',
        endedAt: new Date().toISOString(),
      });
      if (!closed) {
        throw new AppError(
          'INVALID_INPUT',
          'Nothing was recorded: no sound reached Little Monster from the microphone. The empty recording was discarded.',
        );
      }
      this.changed(id);
      return toLecture(closed);
    });
  }

  rename(id: string, title: string): Lecture {
    const lecture = toLecture(
      this.deps.store.transaction(() => {
        const row = this.store.update(id, { title });
        this.deps.described(toLecture(row));
        return row;
      }),
    );
    this.changed(id);
    return lecture;
  }

  /** A class is being deleted: its lectures stay, in no class (inside the class's transaction). */
  unfileClass(classId: string): void {
    for (const row of this.store.unfileClass(classId)) {
      this.deps.described(toLecture(row));
      this.changed(row.id);
    }
  }

  /** Deletes the lecture and its audio; a recording in progress stops taking chunks. */
  delete(id: string): Promise<{ id: string }> {
    return this.lock.run(id, async () => {
      // The row goes first: a file left by a crash in between is unused, never a lecture without audio.
      const row = this.store.delete(id);
      this.watch.forget(id);
      await this.endResumeWindow(id, row.fileName);
      await this.removeFiles(row.fileName);
      this.changed(id);
      return { id };
    });
  }

  addBookmark(id: string, atMs: number, note: string): LectureBookmark {
    const lecture = this.store.row(id);
    if (lecture.status !== 'recording' && atMs > lecture.durationMs) {
      throw new AppError(
        'INVALID_INPUT',
        `The bookmark is at ${formatClock(atMs)}, after the end of the recording (${formatClock(lecture.durationMs)}).`,
      );
    }
    const bookmark = this.store.addBookmark(id, atMs, note);
    this.changed(id);
    return bookmark;
  }

  removeBookmark(bookmarkId: string): { id: string } {
    const bookmark = this.store.removeBookmark(bookmarkId);
    this.changed(bookmark.lectureId);
    return { id: bookmarkId };
  }

  dismissRecovery(id: string): Lecture {
    const row = this.store.update(id, { recoveryNotice: false });
    this.changed(id);
    return toLecture(row);
  }

  /**
   * At start-up, before any call: closes the recordings an unexpected end left open, keeping
   * every acknowledged chunk, and tells the student (`lectures.recovered`, `recoveryNotice`). A
   * recording with no audio yet is removed: there is nothing to play or to tell. Recovered
   * recordings stay resumable for a while (their recorder may still be recording).
   */
  async recoverInterrupted(): Promise<void> {
    for (const name of await this.files.namesEndingWith(FINALIZING_SUFFIX)) await this.files.remove(name);
    const resumable = new Set<string>();
    for (const row of this.store.withStatus(['recovered'])) {
      await this.lock.run(row.id, async () => {
        const kept = (await this.files.size(resumeNameOf(row.fileName))) !== null;
        if (!row.finalized) await this.finalize(row, { resumable: true });
        if (kept || !row.finalized) {
          resumable.add(resumeNameOf(row.fileName));
          this.openResumeWindow(row.id, row.fileName);
        }
      });
    }
    for (const row of this.store.withStatus(['recording'])) {
      await this.lock.run(row.id, () => this.recover(row));
      resumable.add(resumeNameOf(row.fileName));
    }
    // Live streams kept for recordings that have since been stopped or deleted.
    for (const name of await this.files.namesEndingWith(RESUME_SUFFIX)) {
      if (!resumable.has(name)) await this.files.remove(name);
    }
  }

  /** Releases open recording files (on engine shutdown; the files are already durable). */
  async close(): Promise<void> {
    this.watch.close();
    for (const timer of this.resumeDeadlines.values()) clearTimeout(timer);
    this.resumeDeadlines.clear();
    await this.files.closeAll();
  }

  /** Its recorder is gone (see RecorderWatch): the recording is closed as recovered, as after a crash. */
  private recorderGone(id: string): Promise<void> {
    return this.lock
      .run(id, async () => {
        const row = this.store.row(id);
        if (row.status !== 'recording') return;
        this.logger.warn({ lectureId: id }, 'the recorder of a recording is gone');
        await this.files.close(row.fileName);
        if (await this.recover(row)) this.deps.abandoned(id);
      })
      .catch((error: unknown) =>
        this.logger.error({ lectureId: id, err: error }, 'a recording could not be recovered'),
      );
  }

  private openResumeWindow(id: string, fileName: string): void {
    clearTimeout(this.resumeDeadlines.get(id));
    const timer = setTimeout(() => {
      void this.lock.run(id, () => this.endResumeWindow(id, fileName));
    }, this.resumeWindowMs);
    timer.unref();
    this.resumeDeadlines.set(id, timer);
  }

  /** The recorder will not come back: its live stream, kept for that, goes. */
  private async endResumeWindow(id: string, fileName?: string): Promise<void> {
    clearTimeout(this.resumeDeadlines.get(id));
    this.resumeDeadlines.delete(id);
    if (fileName) await this.files.remove(resumeNameOf(fileName));
  }

  /** Closes a recording left open; true when it is kept as recovered (with audio to play). */
  private async recover(row: LectureRow): Promise<boolean> {
    const size = await this.files.size(row.fileName);
    let bytes = row.bytes;
    if (size === null && bytes > 0) {
      // Removed from the data folder by something else: say so rather than hide the lecture.
      this.store.update(
        row.id,
        {
          status: 'failed',
          endedAt: row.updatedAt,
          recoveryNotice: true,
          error: 'The audio file is missing from the data folder.',
        },
        { durable: true },
      );
      this.changed(row.id);
      return false;
    }
    if (size !== null && size > bytes) {
      // The chunk that was being written when the engine stopped: never acknowledged, maybe torn.
      await this.files.truncate(row.fileName, bytes);
    } else if (size !== null && size < bytes) {
      this.logger.warn({ lectureId: row.id, size, bytes }, 'a recording is shorter than acknowledged');
      bytes = size;
    }
    const closed = await this.closeRecording(
      { ...row, bytes },
      { status: 'recovered', endedAt: row.updatedAt, recoveryNotice: true },
      { resumable: true },
    );
    if (!closed) {
      this.logger.info({ lectureId: row.id }, 'an interrupted recording held no audio and was removed');
      this.changed(row.id);
      return false;
    }
    this.logger.warn(
      { lectureId: row.id, durationMs: closed.durationMs, status: closed.status },
      'recovered a recording interrupted by an unexpected close',
    );
    this.changed(row.id);
    if (closed.status === 'recovered') {
      this.openResumeWindow(closed.id, closed.fileName);
      this.deps.bus.emit('lectures.recovered', {
        id: closed.id,
        title: closed.title,
        durationMs: closed.durationMs,
      });
    }
    return closed.status === 'recovered';
  }

  /**
   * Reads the duration of a recording that takes no more chunks and records how it ended;
   * `failed` when its audio cannot be read back (the file is kept). A recording without audio
   * is deleted and null returned. The seek index is written at once; a `resumable` recording
   * keeps its live stream beside it, in case its recorder comes back and goes on.
   */
  private async closeRecording(
    row: LectureRow,
    ending: Pick<LectureRow, 'status' | 'endedAt'> & Partial<Pick<LectureRow, 'recoveryNotice'>>,
    { resumable = false } = {},
  ): Promise<LectureRow | null> {
    let durationMs = 0;
    if (row.bytes > 0) {
      try {
        durationMs = await readRecordingDurationMs(this.files.pathOf(row.fileName));
      } catch (error) {
        if (!(error instanceof UnreadableRecordingError)) throw error;
        this.logger.error({ lectureId: row.id, err: error }, 'a recording could not be read back');
        return this.store.update(
          row.id,
          {
            ...ending,
            status: 'failed',
            bytes: row.bytes,
            error: `The audio could not be read back (${error.message}). The file was kept.`,
          },
          { durable: true },
        );
      }
    }
    if (durationMs === 0) {
      this.store.delete(row.id);
      await this.removeFiles(row.fileName);
      return null;
    }
    const closed = this.store.update(row.id, { ...ending, bytes: row.bytes, durationMs }, { durable: true });
    return this.finalize(closed, { resumable });
  }

  /** Writes the seek index; on failure the live file stays, still playable from the start. */
  private async finalize(row: LectureRow, { resumable = false } = {}): Promise<LectureRow> {
    try {
      const path = this.files.pathOf(row.fileName);
      const keepLiveAs = resumable ? this.files.pathOf(resumeNameOf(row.fileName)) : undefined;
      const { durationMs, bytes } = await finalizeRecording(path, keepLiveAs ? { keepLiveAs } : {});
      return this.store.update(row.id, { durationMs, bytes, finalized: true }, { durable: true });
    } catch (error) {
      this.logger.warn({ lectureId: row.id, err: error }, 'a recording could not be given its seek index');
      return row;
    }
  }

  private async removeFiles(fileName: string): Promise<void> {
    try {
      await this.files.remove(fileName);
      await this.files.remove(`${fileName}${FINALIZING_SUFFIX}`);
    } catch (error) {
      this.logger.warn({ fileName, err: error }, 'a deleted recording could not be removed from the disk');
    }
  }

  private changed(id: string): void {
    this.deps.bus.emit('lectures.changed', { ids: [id] });
  }
}

function storageError(error: unknown, what: string): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') {
    return new AppError(
      'STORAGE_UNAVAILABLE',
      `${what}: the disk is full. Free some space; the recorder will retry.`,
    );
  }
  return new AppError('STORAGE_UNAVAILABLE', `${what} (${code ?? (error as Error).message}).`);
}

const titleOf = (name: string) => {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.replace(/\.[^.]+$/, '').trim() || 'Imported lecture';
};

const MIME_BY_EXTENSION: Record<string, string> = {
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.flac': 'audio/flac',
  '.webm': 'audio/webm',
  '.mkv': 'video/x-matroska',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
};

/** Only a regular file no larger than MAX_AUDIO_IMPORT_BYTES is copied in as a recording. */
async function assertImportableRecording(path: string): Promise<void> {
  const info = await statReadableFile(path);
  assertRegularFile(info);
  if (info.size <= MAX_AUDIO_IMPORT_BYTES) return;
  throw new AppError(
    'INVALID_INPUT',
    `This recording is ${formatBytes(info.size, 'up')}, larger than the ${formatBytes(MAX_AUDIO_IMPORT_BYTES)} Little Monster can import. Save it in a compressed format (MP3, M4A or Ogg: a three-hour lecture then takes about 150 MB) and import that.`,
    { bytes: info.size, maxBytes: MAX_AUDIO_IMPORT_BYTES },
  );
}
