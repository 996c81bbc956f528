import { z } from 'zod';

export const LectureIdSchema = z.string().uuid();
export const BookmarkIdSchema = z.string().uuid();
const ClassIdSchema = z.string().uuid();

/**
 * recording: chunks are arriving; recorded: stopped by the student; recovered: the app, the
 * engine or the computer stopped mid-recording and the audio was kept up to the last chunk
 * stored; failed: the audio could not be read back (`error` says why; the file is kept).
 * Pausing is the recorder's business: paused time sends no chunks, so the file simply has none.
 */
export const LECTURE_STATUSES = ['recording', 'recorded', 'recovered', 'failed'] as const;
export const LectureStatusSchema = z.enum(LECTURE_STATUSES);
export type LectureStatus = z.infer<typeof LectureStatusSchema>;

/** What MediaRecorder produces in Chromium (Electron and the browser mode): WebM with Opus audio. */
export const RECORDING_MIME_TYPE = 'audio/webm;codecs=opus';

/** Largest chunk one call may carry: a second of speech is ~4 KB, and a call must stay under 1 MiB. */
export const MAX_CHUNK_BYTES = 256 * 1024;
const MAX_CHUNK_BASE64 = Math.ceil(MAX_CHUNK_BYTES / 3) * 4;

export const LectureSchema = z.object({
  id: LectureIdSchema,
  classId: ClassIdSchema.nullable(),
  title: z.string(),
  status: LectureStatusSchema,
  mimeType: z.string(),
  bytes: z.number().int().nonnegative(),
  /** While recording, the duration known at the last stop or recovery (0 for a new one). */
  durationMs: z.number().int().nonnegative(),
  /** The last chunk stored; -1 before the first. */
  lastSeq: z.number().int().min(-1),
  /** Recovered after an unexpected close and not yet shown to the student (see `lectures.dismissRecovery`). */
  recoveryNotice: z.boolean(),
  error: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Lecture = z.infer<typeof LectureSchema>;

export const LectureBookmarkSchema = z.object({
  id: BookmarkIdSchema,
  lectureId: LectureIdSchema,
  /** Position in the recording (paused time excluded), in milliseconds. */
  atMs: z.number().int().nonnegative(),
  note: z.string(),
  createdAt: z.string(),
});
export type LectureBookmark = z.infer<typeof LectureBookmarkSchema>;

const title = z.string().trim().min(1, 'A lecture needs a title').max(200);

export const lectureProcedures = {
  'lectures.list': {
    input: z
      .object({
        /** undefined: every lecture; null: only those in no class. */
        classId: ClassIdSchema.nullable().optional(),
      })
      .default({}),
    output: z.array(LectureSchema),
  },
  'lectures.get': {
    input: z.object({ id: LectureIdSchema }),
    output: z.object({ lecture: LectureSchema, bookmarks: z.array(LectureBookmarkSchema) }),
  },
  /** Creates the lecture and its empty audio file; chunks then arrive with `lectures.appendChunk`. */
  'lectures.start': {
    input: z.object({
      classId: ClassIdSchema.nullable().default(null),
      /** Left out: "Lecture n", numbered within the class. */
      title: title.optional(),
      mimeType: z
        .string()
        .trim()
        .regex(
          /^audio\/webm(\s*;\s*codecs="?opus"?)?$/i,
          `Little Monster records lectures as ${RECORDING_MIME_TYPE}; this recorder offered another format`,
        ),
    }),
    output: LectureSchema,
  },
  /**
   * Stores the next chunk of the recorder's stream (seq 0, 1, 2…) and answers once it is on the
   * disk. A chunk sent again (a retry after a reconnect) is acknowledged without being stored
   * twice; a chunk that skips one is refused (CONFLICT, details.expectedSeq) so the recorder sends
   * from the missing one. Continuing a `recovered` lecture with its next chunk resumes it: the
   * recorder kept going while the engine restarted.
   */
  'lectures.appendChunk': {
    input: z.object({
      id: LectureIdSchema,
      seq: z.number().int().nonnegative(),
      data: z
        .base64('The chunk must be base64')
        .min(1, 'The chunk is empty')
        .max(MAX_CHUNK_BASE64, `A chunk may hold at most ${MAX_CHUNK_BYTES / 1024} KB`),
    }),
    output: z.object({ bytes: z.number().int().nonnegative(), lastSeq: z.number().int().min(-1) }),
  },
  /** Ends the recording: its duration is read from the audio and the file gets a seek index. */
  'lectures.stop': {
    input: z.object({ id: LectureIdSchema }),
    output: LectureSchema,
  },
  'lectures.rename': {
    input: z.object({ id: LectureIdSchema, title }),
    output: LectureSchema,
  },
  /** Deletes the lecture, its bookmarks and its audio (a recording in progress is discarded). */
  'lectures.delete': {
    input: z.object({ id: LectureIdSchema }),
    output: z.object({ id: LectureIdSchema }),
  },
  'lectures.addBookmark': {
    input: z.object({
      id: LectureIdSchema,
      atMs: z.number().int().nonnegative(),
      note: z.string().trim().max(1000).default(''),
    }),
    output: LectureBookmarkSchema,
  },
  'lectures.removeBookmark': {
    input: z.object({ id: BookmarkIdSchema }),
    output: z.object({ id: BookmarkIdSchema }),
  },
  /** The student has seen that this lecture was recovered. */
  'lectures.dismissRecovery': {
    input: z.object({ id: LectureIdSchema }),
    output: LectureSchema,
  },
} as const;

export const lectureEvents = {
  /** Lectures were started, stopped, renamed, recovered or deleted, or their bookmarks changed. */
  'lectures.changed': z.object({ ids: z.array(LectureIdSchema) }),
  /**
   * A recording cut short by an unexpected close was recovered at start-up. Start-up runs before
   * any window listens, so the UI also shows lectures whose `recoveryNotice` is set.
   */
  'lectures.recovered': z.object({
    id: LectureIdSchema,
    title: z.string(),
    durationMs: z.number().int().nonnegative(),
  }),
} as const;
