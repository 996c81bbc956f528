import type { Feature } from '../../app/feature';
import { settingsKeys } from './query-keys';
import { SettingsPage } from './SettingsPage';
import { ThemeSync } from './ThemeSync';
import './settings.css';

/** Settings: preferences, the sections other features add, your data with backups, and versions. */
export const settingsFeature: Feature = {
  id: 'settings',
  nav: { path: '/settings', label: 'Settings', key: 's' },
  routes: [{ path: 'settings', Page: SettingsPage }],
  Provider: ThemeSync,
  events: {
    'settings.changed': ({ settings }, { queryClient, store }) => {
      queryClient.setQueryData(settingsKeys.settings, settings);
      store.getState().setThemePreference(settings.theme);
    },
    'job.updated': ({ job }, { queryClient }) => {
      if (job.kind === 'backup' && job.status === 'succeeded')
        void queryClient.invalidateQueries({ queryKey: settingsKeys.backups });
    },
  },
  errorTexts: {
    fields: { theme: 'Theme', weekStartsOn: 'Week starts on', jobConcurrency: 'Background jobs at once' },
  },
};
