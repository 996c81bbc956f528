import { Library as LibraryIcon } from 'lucide-react';
import type { Feature } from '../../app/feature';
import { LibraryImportsProvider } from './library-imports';
import { LibraryPage } from './LibraryPage';
import { materialKeys } from './query-keys';
import { MaterialViewerPage } from './viewer/MaterialViewerPage';
import './library.css';

/** The library: imported materials, their import queue, and the viewer. */
export const libraryFeature: Feature = {
  id: 'library',
  nav: { path: '/library', label: 'Library', key: 'l', icon: LibraryIcon },
  routes: [
    { path: 'library', Page: LibraryPage },
    { path: 'library/:id', Page: MaterialViewerPage },
  ],
  Provider: LibraryImportsProvider,
  events: {
    // A deleted class leaves its materials with no class.
    'classes.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: materialKeys.all }),
    'materials.changed': (_payload, { queryClient }) =>
      void queryClient.invalidateQueries({ queryKey: materialKeys.all }),
  },
  // An import's reason already says what to do ("Remove the password and import it again").
  errorTexts: { jobFailureActions: { 'material.import': null } },
};
