import type { Lecture, LectureStatus, TranscriptStatus } from '@little-monster/core/contract';

export { formatClock } from '@little-monster/core/contract';

/**
 * `53 min`, `1 h 05 min`, `40 s`: how long a lecture is, in a sentence. Whole seconds are
 * counted as the player's clock counts them (16.6 s is `16 s`, as the player's `0:16`).
 */
export function formatLength(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export const LECTURE_STATUS_LABELS: Record<LectureStatus, string> = {
  recording: 'Recording',
  recorded: 'Recorded',
  recovered: 'Recovered',
  failed: 'Audio unreadable',
};

export function transcriptLabel(status: TranscriptStatus): string {
  switch (status.state) {
    case 'none':
      return 'No transcript';
    case 'live':
      return 'Live captions';
    case 'queued':
      return 'Waiting to transcribe';
    case 'running':
      return 'Transcribing…';
    case 'done':
      return 'Transcribed';
    case 'failed':
      return 'Transcription failed';
  }
}

/** The notice a recovered lecture shows until the student dismisses it. */
export function recoveryText(lecture: Pick<Lecture, 'title' | 'status' | 'durationMs' | 'error'>): string {
  if (lecture.status === 'failed') {
    return `“${lecture.title}” was cut short when the app closed unexpectedly, and its audio could not be read back${lecture.error ? `: ${lecture.error}` : '.'}`;
  }
  return `Recovered ${formatLength(lecture.durationMs)} of “${lecture.title}” after the app closed unexpectedly.`;
}
