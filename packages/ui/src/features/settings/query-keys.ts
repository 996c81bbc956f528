/** The settings page's react-query keys: the settings, this app's facts, where local AI runs, and the backups. */
export const settingsKeys = {
  settings: ['settings'] as const,
  appInfo: ['app.info'] as const,
  /** Where local AI runs, under each value of "Use the graphics card". */
  graphics: (useGpu: string) => ['app.graphics', useGpu] as const,
  backups: ['backups'] as const,
};
