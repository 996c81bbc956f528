/** The notes feature's cached answers; every key starts with 'notes', so one event refreshes them all. */
export const notesKeys = {
  all: ['notes'] as const,
  lists: ['notes', 'list'] as const,
  list: (filter: { classId?: string | null; lectureId?: string }) => ['notes', 'list', filter] as const,
  one: (id: string) => ['notes', 'one', id] as const,
};
