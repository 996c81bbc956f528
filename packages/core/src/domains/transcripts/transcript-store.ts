import { and, asc, eq, inArray } from 'drizzle-orm';
import { AppError, type TranscriptSegment, type TranscriptStatus } from '../../contract/index.js';
import { lectureTranscripts, transcriptSegments } from '../../db/schema/transcripts.js';
import type { DomainStore } from '../../db/store.js';

export interface NewSegment {
  startMs: number;
  endMs: number;
  text: string;
}

const NO_TRANSCRIPT: TranscriptStatus = { state: 'none', modelId: null, jobId: null, error: null };

/** A lecture's transcript lines and its transcription status, in SQLite. */
export class TranscriptStore {
  constructor(private readonly store: DomainStore) {}

  segments(lectureId: string): TranscriptSegment[] {
    return this.store.read
      .select()
      .from(transcriptSegments)
      .where(eq(transcriptSegments.lectureId, lectureId))
      .orderBy(asc(transcriptSegments.startMs), asc(transcriptSegments.id))
      .all();
  }

  status(lectureId: string): TranscriptStatus {
    const row = this.store.read
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
    const rows = this.store.read.select().from(lectureTranscripts).all();
    return Object.fromEntries(
      rows.map((row) => [
        row.lectureId,
        { state: row.state, modelId: row.modelId, jobId: row.jobId, error: row.error },
      ]),
    );
  }

  setStatus(lectureId: string, status: TranscriptStatus): TranscriptStatus {
    const values = { ...status, updatedAt: new Date().toISOString() };
    this.store.transaction((tx) => tx.upsert(lectureTranscripts, { lectureId, ...values }, values));
    return status;
  }

  add(lectureId: string, segment: NewSegment): TranscriptSegment {
    const [added] = this.store.transaction((tx) =>
      tx.insert(transcriptSegments, { lectureId, ...segment, edited: false }),
    );
    return added!;
  }

  edit(id: number, text: string): TranscriptSegment {
    const [updated] = this.store.transaction((tx) =>
      tx.update(transcriptSegments, { text, edited: true }, eq(transcriptSegments.id, id)),
    );
    if (!updated) throw new AppError('NOT_FOUND', 'That transcript line no longer exists.');
    return updated;
  }

  /**
   * Replaces the lines a transcription wrote with `fresh`, in one transaction. Lines the student
   * edited stay, and fresh lines overlapping them in time are left out.
   */
  replace(lectureId: string, fresh: NewSegment[]): void {
    this.store.transaction((tx) => {
      tx.delete(
        transcriptSegments,
        and(eq(transcriptSegments.lectureId, lectureId), eq(transcriptSegments.edited, false))!,
      );
      const kept = tx
        .select()
        .from(transcriptSegments)
        .where(eq(transcriptSegments.lectureId, lectureId))
        .all();
      const overlapsKept = (segment: NewSegment) =>
        kept.some((edited) => segment.startMs < edited.endMs && edited.startMs < segment.endMs);
      tx.insert(
        transcriptSegments,
        fresh
          .filter((segment) => !overlapsKept(segment))
          .map((segment) => ({ lectureId, ...segment, edited: false })),
      );
    });
  }

  /** Everything kept of a lecture's transcript (the lecture is being deleted, in its transaction). */
  deleteLecture(lectureId: string): void {
    this.store.transaction((tx) => {
      tx.delete(transcriptSegments, eq(transcriptSegments.lectureId, lectureId));
      tx.delete(lectureTranscripts, eq(lectureTranscripts.lectureId, lectureId));
    });
  }

  /** Lectures whose transcript is in one of `states`. */
  withState(states: TranscriptStatus['state'][]): string[] {
    return this.store.read
      .select({ lectureId: lectureTranscripts.lectureId })
      .from(lectureTranscripts)
      .where(inArray(lectureTranscripts.state, states))
      .all()
      .map((row) => row.lectureId);
  }
}
