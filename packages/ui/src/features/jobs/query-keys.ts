/** Background jobs: the active list, and each job the UI follows on its own. */
export const jobKeys = {
  active: ['jobs', 'active'] as const,
  one: (id: string) => ['job', id] as const,
};
