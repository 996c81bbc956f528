import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { LectureStatus } from '../../contract/lectures.js';
import { classes } from './classes.js';

/**
 * A recorded lecture. Its audio is one file in the recordings folder, appended to chunk by
 * chunk while recording; `bytes` and `lastSeq` say how much of it the recorder has been told is
 * safe, so a chunk sent again after a reconnect is recognised.
 */
export const lectures = sqliteTable(
  'lectures',
  {
    id: text('id').primaryKey(),
    // Like materials, a deleted class's lectures stay, in no class (the lectures domain clears it).
    classId: text('class_id').references(() => classes.id),
    title: text('title').notNull(),
    status: text('status').$type<LectureStatus>().notNull(),
    /** The audio file's name inside the recordings folder (`<id>.webm`). */
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    /** Bytes of audio acknowledged to the recorder (after stopping: the file's size). */
    bytes: integer('bytes').notNull().default(0),
    durationMs: integer('duration_ms').notNull().default(0),
    /** Sequence number of the last chunk stored; -1 before the first. */
    lastSeq: integer('last_seq').notNull().default(-1),
    /** The file carries its duration and a seek index, so players show its length and seek at once. */
    finalized: integer('finalized', { mode: 'boolean' }).notNull().default(false),
    /** Recovered after the app closed unexpectedly, and the student has not been told yet. */
    recoveryNotice: integer('recovery_notice', { mode: 'boolean' }).notNull().default(false),
    /** Why the audio could not be read back (status `failed`). */
    error: text('error'),
    startedAt: text('started_at').notNull(),
    endedAt: text('ended_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('lectures_class_idx').on(t.classId),
    index('lectures_status_idx').on(t.status),
    index('lectures_started_idx').on(t.startedAt),
  ],
);

/** A moment the student marked as important while recording or listening, with an optional note. */
export const lectureBookmarks = sqliteTable(
  'lecture_bookmarks',
  {
    id: text('id').primaryKey(),
    lectureId: text('lecture_id')
      .notNull()
      .references(() => lectures.id),
    atMs: integer('at_ms').notNull(),
    note: text('note').notNull().default(''),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('lecture_bookmarks_lecture_idx').on(t.lectureId, t.atMs)],
);
