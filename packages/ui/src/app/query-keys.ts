/** Every react-query key in one place, so event handlers invalidate exactly what changed. */
export const queryKeys = {
  classesAll: ['classes'] as const,
  classes: (includeArchived: boolean) => ['classes', { includeArchived }] as const,
  settings: ['settings'] as const,
  appInfo: ['app.info'] as const,
  backups: ['backups'] as const,
  activeJobs: ['jobs', 'active'] as const,
  job: (id: string) => ['job', id] as const,
};
