/** The generate feature's cached answers; every key starts with 'generate', so one event refreshes them all. */
export const generateKeys = {
  all: ['generate'] as const,
  sets: (classId: string | null | undefined) => ['generate', 'sets', classId ?? 'all'] as const,
  set: (id: string) => ['generate', 'set', id] as const,
  attempts: (classId: string | null | undefined) => ['generate', 'attempts', classId ?? 'all'] as const,
};
