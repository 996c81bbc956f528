/** The lectures' react-query keys: lectures with their bookmarks, and their transcripts. */
export const lectureKeys = {
  /** Every cached answer about lectures (lists and one lecture with its bookmarks). */
  all: ['lectures'] as const,
  /** undefined: every lecture; null: those in no class; an id: that class's. */
  list: (classId: string | null | undefined) =>
    ['lectures', 'list', { classId: classId === undefined ? 'every' : classId }] as const,
  one: (id: string) => ['lectures', 'one', id] as const,
  /** A lecture's transcript: its status and lines. */
  transcript: (lectureId: string) => ['transcripts', lectureId] as const,
  /** Every lecture's transcription status, for the lectures list. */
  transcriptStatuses: ['transcriptStatuses'] as const,
};
