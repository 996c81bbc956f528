import type { Feature } from '../../app/feature';
import { searchKeys } from './query-keys';
import './search.css';

/** Search results name materials and their classes, and depend on the embedding model. */
export const searchFeature: Feature = {
  id: 'search',
  events: {
    'materials.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: searchKeys.all }),
    // Installing an embedding model turns on search by meaning.
    'models.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: searchKeys.all }),
  },
};
