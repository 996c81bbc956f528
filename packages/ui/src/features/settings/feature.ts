import { Settings as SettingsIcon } from 'lucide-react';
import type { Feature } from '../../app/feature';
import { settingsKeys } from './query-keys';
import { SettingsPage } from './SettingsPage';
import { ThemeSync } from './ThemeSync';
import './settings.css';

/** Settings: general preferences, the sections other features add, data with backups, and versions; one section per address. */
export const settingsFeature: Feature = {
  id: 'settings',
  nav: { path: '/settings', label: 'Settings', key: 's', icon: SettingsIcon },
  routes: [
    { path: 'settings', Page: SettingsPage },
    { path: 'settings/:section', Page: SettingsPage },
  ],
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
    'backups.restored': ({ source, replaced, missingModels }, { queryClient, store }) => {
      // Every cached answer came from the data that was just replaced.
      void queryClient.invalidateQueries();
      store.getState().pushToast({
        tone: 'info',
        title: 'Your data was restored',
        message:
          `Everything is as it was in ${source}. The data it replaced is kept in ${replaced} until you delete it.` +
          (missingModels.length > 0
            ? ` Models used then are not installed now (${missingModels.join(', ')}): install them in Settings › Models.`
            : ''),
      });
    },
  },
  errorTexts: {
    fields: {
      theme: 'Theme',
      weekStartsOn: 'Week starts on',
      jobConcurrency: 'Background jobs at once',
      useGpu: 'Use the graphics card',
    },
  },
};
