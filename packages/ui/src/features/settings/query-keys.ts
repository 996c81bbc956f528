/** The settings page's react-query keys: the settings, this app's facts, and the backups. */
export const settingsKeys = {
  settings: ['settings'] as const,
  appInfo: ['app.info'] as const,
  backups: ['backups'] as const,
};
