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
import { KeyedLock } from '../../storage/keyed-lock.js';
import type { StoredFile } from '../../storage/stored-file.js';
import { LectureStore, toLecture, type LectureRow } from './lecture-store.js';
import {
  FINALIZING_SUFFIX,
  finalizeRecording,
  readRecordingDurationMs,
  UnreadableRecordingError,
} from './recording-audio.js';
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
}

/** Where recordings live, beside the database. */
export const RECORDINGS_FOLDER = 'recordings';

const fileNameOf = (lectureId: string) => `${lectureId}.webm`;

/** Every WebM (EBML) file starts with these bytes; the first chunk must too. */
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

const stoppedAlready = () =>
  new AppError('CONFLICT', 'This recording has already been stopped. Start a new recording to go on.');

/**
 * Lectures recorded from the microphone. The recorder sends its stream in numbered chunks; each
 * is appended to the lecture's file and flushed to the disk before it is acknowledged, so an
 * unexpected end of the app, the engine or the computer loses at most the chunk in flight.
 * `recoverInterrupted` closes, at start-up, the recordings such an end left open.
 */
export class LecturesService {
  private readonly store: LectureStore;
  private readonly files: RecordingFiles;
  /** One operation at a time per lecture: chunks in order, and no chunk racing a stop or delete. */
  private readonly lock = new KeyedLock();
  private readonly logger: Logger;

  constructor(private readonly deps: LecturesServiceDeps) {
    this.store = new LectureStore(deps.store, { classExists: deps.classExists, deleting: deps.deleting });
    this.files = new RecordingFiles(join(deps.dataDir, RECORDINGS_FOLDER));
    this.logger = deps.logger;
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

  async start(input: { classId: string | null; title?: string; mimeType: string }): Promise<Lecture> {
    const mimeType = input.mimeType.toLowerCase().replace(/\s+/g, '');
    // The row first, durably: a file in the folder then always has its lecture.
    const lecture = this.store.create({ ...input, mimeType, fileName: fileNameOf });
    try {
      await this.files.create(fileNameOf(lecture.id));
    } catch (error) {
      this.store.delete(lecture.id);
      throw storageError(error, 'The recording could not be started');
    }
    this.changed(lecture.id);
    return lecture;
  }

  /** Stores chunk `seq` of the recorder's stream; see `lectures.appendChunk` in the contract. */
  appendChunk(id: string, seq: number, data: Uint8Array): Promise<{ bytes: number; lastSeq: number }> {
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
      if (row.status === 'recovered' && !row.finalized) {
        // The recorder kept going while the engine restarted: the same stream goes on in the same file.
        row = this.store.update(
          id,
          { status: 'recording', recoveryNotice: false, endedAt: null },
          { durable: true },
        );
        this.logger.info({ lectureId: id, seq }, 'recording resumed after a restart');
        this.changed(id);
      }
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
      return { bytes: stored.bytes, lastSeq: stored.lastSeq };
    });
  }

  /**
   * Ends a recording: its duration is read from the audio and the file gets its seek index.
   * A recording with no audio at all is discarded (INVALID_INPUT says so). Stopping one already
   * stopped returns it as it is.
   */
  stop(id: string): Promise<Lecture> {
    return this.lock.run(id, async () => {
      const row = this.store.row(id);
      if (row.status === 'recovered' && !row.finalized) {
        // The recorder ends a lecture the engine had recovered: nothing more will be appended.
        return toLecture(await this.finalize(row));
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
   * recording with no audio yet is removed: there is nothing to play or to tell. Recordings
   * recovered at the previous start and never resumed get their seek index now.
   */
  async recoverInterrupted(): Promise<void> {
    for (const name of await this.files.namesEndingWith(FINALIZING_SUFFIX)) await this.files.remove(name);
    for (const row of this.store.withStatus(['recovered'])) {
      if (!row.finalized) await this.lock.run(row.id, () => this.finalize(row));
    }
    for (const row of this.store.withStatus(['recording'])) {
      await this.lock.run(row.id, () => this.recover(row));
    }
  }

  /** Releases open recording files (on engine shutdown; the files are already durable). */
  async close(): Promise<void> {
    await this.files.closeAll();
  }

  private async recover(row: LectureRow): Promise<void> {
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
      return;
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
      { finalize: false },
    );
    if (!closed) {
      this.logger.info({ lectureId: row.id }, 'an interrupted recording held no audio and was removed');
      this.changed(row.id);
      return;
    }
    this.logger.warn(
      { lectureId: row.id, durationMs: closed.durationMs, status: closed.status },
      'recovered a recording interrupted by an unexpected close',
    );
    this.changed(row.id);
    if (closed.status === 'recovered') {
      this.deps.bus.emit('lectures.recovered', {
        id: closed.id,
        title: closed.title,
        durationMs: closed.durationMs,
      });
    }
  }

  /**
   * Reads the duration of a recording that takes no more chunks and records how it ended;
   * `failed` when its audio cannot be read back (the file is kept). A recording without audio
   * is deleted and null returned. The seek index is written unless `finalize` is false (a
   * recovered recording stays appendable until the next start, in case its recorder resumes).
   */
  private async closeRecording(
    row: LectureRow,
    ending: Pick<LectureRow, 'status' | 'endedAt'> & Partial<Pick<LectureRow, 'recoveryNotice'>>,
    { finalize = true } = {},
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
    return finalize ? this.finalize(closed) : closed;
  }

  /** Writes the seek index; on failure the live file stays, still playable from the start. */
  private async finalize(row: LectureRow): Promise<LectureRow> {
    try {
      const { durationMs, bytes } = await finalizeRecording(this.files.pathOf(row.fileName));
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
