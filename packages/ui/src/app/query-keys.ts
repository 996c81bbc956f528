/** Every react-query key in one place, so event handlers invalidate exactly what changed. */
export const queryKeys = {
  account: ['account'] as const,
  classesAll: ['classes'] as const,
  classes: (includeArchived: boolean) => ['classes', { includeArchived }] as const,
  settings: ['settings'] as const,
  appInfo: ['app.info'] as const,
  backups: ['backups'] as const,
  models: ['models'] as const,
  activeJobs: ['jobs', 'active'] as const,
  job: (id: string) => ['job', id] as const,
  /** Every cached answer about materials (lists, one material, its pages). */
  materialsAll: ['materials'] as const,
  materials: (filter: { classId?: string; type?: string; limit: number }) =>
    ['materials', 'list', filter] as const,
  material: (id: string) => ['materials', 'one', id] as const,
  materialPage: (id: string, page: number) => ['materials', 'page', id, page] as const,
  searchAll: ['search'] as const,
  search: (params: object) => ['search', params] as const,
  tutorStatus: ['tutor', 'status'] as const,
  /** Every cached answer about conversations (lists and one conversation with its messages). */
  conversationsAll: ['conversations'] as const,
  conversationLists: ['conversations', 'list'] as const,
  /** undefined: every conversation; null: those across all classes; an id: that class's. */
  conversations: (classId: string | null | undefined) =>
    ['conversations', 'list', { classId: classId === undefined ? 'every' : classId }] as const,
  conversation: (id: string) => ['conversations', 'one', id] as const,
  /** Every cached answer about lectures (lists and one lecture with its bookmarks). */
  lecturesAll: ['lectures'] as const,
  /** undefined: every lecture; null: those in no class; an id: that class's. */
  lectures: (classId: string | null | undefined) =>
    ['lectures', 'list', { classId: classId === undefined ? 'every' : classId }] as const,
  lecture: (id: string) => ['lectures', 'one', id] as const,
  /** A lecture's transcript: its status and lines. */
  transcript: (lectureId: string) => ['transcripts', lectureId] as const,
  /** Every lecture's transcription status, for the lectures list. */
  transcriptStatuses: ['transcriptStatuses'] as const,
};
