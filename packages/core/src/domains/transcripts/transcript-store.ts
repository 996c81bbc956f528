import { and, asc, eq, inArray } from 'drizzle-orm';
import { AppError, type TranscriptSegment, type TranscriptStatus } from '../../contract/index.js';
import type { AppDatabase } from '../../db/open-database.js';
import { lectureTranscripts, transcriptSegments } from '../../db/schema/index.js';

export interface NewSegment {
  startMs: number;
  endMs: number;
  text: string;
}

const NO_TRANSCRIPT: TranscriptStatus = { state: 'none', modelId: null, jobId: null, error: null };

/** A lecture's transcript lines and its transcription status, in SQLite. */
export class TranscriptStore {
  constructor(private readonly db: AppDatabase) {}

  segments(lectureId: string): TranscriptSegment[] {
    return this.db
      .select()
      .from(transcriptSegments)
      .where(eq(transcriptSegments.lectureId, lectureId))
      .orderBy(asc(transcriptSegments.startMs), asc(transcriptSegments.id))
      .all();
  }

  status(lectureId: string): TranscriptStatus {
    const row = this.db
      .select()
      .from(lectureTranscripts)
      .where(eq(lectureTranscripts.lectureId, lectureId))
      .get();
    return row
      ? { state: row.state, modelId: row.modelId, jobId: row.jobId, error: row.error }
      : NO_TRANSCRIPT;
  }

  /** Every lecture's status, by lecture id (one query for a list of lectures). */
  statuses(): Record<string, TranscriptStatus> {
    const rows = this.db.select().from(lectureTranscripts).all();
    return Object.fromEntries(
      rows.map((row) => [
        row.lectureId,
        { state: row.state, modelId: row.modelId, jobId: row.jobId, error: row.error },
      ]),
    );
  }

  setStatus(lectureId: string, status: TranscriptStatus): TranscriptStatus {
    const values = { ...status, updatedAt: new Date().toISOString() };
    this.db
      .insert(lectureTranscripts)
      .values({ lectureId, ...values })
      .onConflictDoUpdate({ target: lectureTranscripts.lectureId, set: values })
      .run();
    return status;
  }

  add(lectureId: string, segment: NewSegment): TranscriptSegment {
    return this.db
      .insert(transcriptSegments)
      .values({ lectureId, ...segment, edited: false })
      .returning()
      .get();
  }

  edit(id: number, text: string): TranscriptSegment {
    const updated = this.db
      .update(transcriptSegments)
      .set({ text, edited: true })
      .where(eq(transcriptSegments.id, id))
      .returning()
      .get();
    if (!updated) throw new AppError('NOT_FOUND', 'That transcript line no longer exists.');
    return updated;
  }

  /**
   * Replaces the lines a transcription wrote with `fresh`, in one transaction. Lines the student
   * edited stay, and fresh lines overlapping them in time are left out.
   */
  replace(lectureId: string, fresh: NewSegment[]): void {
    this.db.transaction((tx) => {
      tx.delete(transcriptSegments)
        .where(and(eq(transcriptSegments.lectureId, lectureId), eq(transcriptSegments.edited, false)))
        .run();
      const kept = tx
        .select()
        .from(transcriptSegments)
        .where(eq(transcriptSegments.lectureId, lectureId))
        .all();
      const overlapsKept = (segment: NewSegment) =>
        kept.some((edited) => segment.startMs < edited.endMs && edited.startMs < segment.endMs);
      const rows = fresh.filter((segment) => !overlapsKept(segment));
      if (rows.length > 0)
        tx.insert(transcriptSegments)
          .values(rows.map((segment) => ({ lectureId, ...segment, edited: false })))
          .run();
    });
  }

  /** Lectures whose transcript is in one of `states`. */
  withState(states: TranscriptStatus['state'][]): string[] {
    return this.db
      .select({ lectureId: lectureTranscripts.lectureId })
      .from(lectureTranscripts)
      .where(inArray(lectureTranscripts.state, states))
      .all()
      .map((row) => row.lectureId);
  }
}
