import type { QueryClient } from '@tanstack/react-query';
import type { TranscriptSegment, TranscriptStatus } from '@little-monster/core/contract';
import { lectureKeys } from './query-keys';

export interface TranscriptData {
  status: TranscriptStatus;
  segments: TranscriptSegment[];
}

/** A line written live, by a job, or edited: put in its place (by start time) in the cached transcript. */
export function storeSegment(queryClient: QueryClient, segment: TranscriptSegment): void {
  queryClient.setQueryData<TranscriptData>(lectureKeys.transcript(segment.lectureId), (data) => {
    if (!data) return data;
    const others = data.segments.filter((other) => other.id !== segment.id);
    const segments = [...others, segment].sort((a, b) => a.startMs - b.startMs || a.id - b.id);
    return { ...data, segments };
  });
}

/**
 * The transcript's status changed (a job started, finished or failed, or its lines were
 * replaced): show the new status at once and fetch the lines again.
 */
export function storeTranscriptStatus(
  queryClient: QueryClient,
  lectureId: string,
  status: TranscriptStatus,
): void {
  const key = lectureKeys.transcript(lectureId);
  queryClient.setQueryData<TranscriptData>(key, (data) => (data ? { ...data, status } : data));
  void queryClient.invalidateQueries({ queryKey: key });
}
