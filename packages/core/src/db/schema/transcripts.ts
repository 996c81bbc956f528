import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { TranscriptStatus } from '../../contract/transcripts.js';
import { lectures } from './lectures.js';

/** One line of a lecture's transcript with its place in the recording. */
export const transcriptSegments = sqliteTable(
  'transcript_segments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    lectureId: text('lecture_id')
      .notNull()
      .references(() => lectures.id),
    startMs: integer('start_ms').notNull(),
    endMs: integer('end_ms').notNull(),
    text: text('text').notNull(),
    /** Corrected by the student: a new transcription keeps it. */
    edited: integer('edited', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('transcript_segments_lecture_idx').on(t.lectureId, t.startMs)],
);

/** Where a lecture's transcription stands (no row: never transcribed). */
export const lectureTranscripts = sqliteTable('lecture_transcripts', {
  lectureId: text('lecture_id')
    .primaryKey()
    .references(() => lectures.id),
  state: text('state').$type<TranscriptStatus['state']>().notNull(),
  modelId: text('model_id'),
  jobId: text('job_id'),
  error: text('error'),
  updatedAt: text('updated_at').notNull(),
});
