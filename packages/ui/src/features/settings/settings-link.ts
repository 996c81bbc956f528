/** The sections of Settings, in the order of its navigation; each has its own address. */
export const SETTINGS_SECTION_ORDER = [
  'general',
  'models',
  'voices',
  'tutor',
  'data',
  'account',
  'about',
] as const;
export type SettingsSectionId = (typeof SETTINGS_SECTION_ORDER)[number];

/** `#/settings/models`: a link from elsewhere (the tutor, search, a lecture) lands on its section. */
export const settingsPath = (section: SettingsSectionId) => `/settings/${section}`;
