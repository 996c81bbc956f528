import type { Feature } from '../../app/feature';
import { ModelsSection } from './ModelsSection';
import { modelKeys } from './query-keys';

/** The model catalog in Settings: download, use a file, delete. */
export const modelsFeature: Feature = {
  id: 'models',
  settingsSection: { id: 'models', label: 'Models', Section: ModelsSection },
  events: {
    'models.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: modelKeys.all }),
  },
};
