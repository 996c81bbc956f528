import { useState } from 'react';

export type LibraryView = 'grid' | 'list';
const VIEW_KEY = 'littleMonster.libraryView';

function readView(): LibraryView {
  try {
    return localStorage.getItem(VIEW_KEY) === 'list' ? 'list' : 'grid';
  } catch {
    return 'grid';
  }
}

/** Grid or list, remembered on this computer. */
export function useStoredView(): [LibraryView, (view: LibraryView) => void] {
  const [view, setView] = useState(readView);
  return [
    view,
    (next) => {
      setView(next);
      try {
        localStorage.setItem(VIEW_KEY, next);
      } catch {
        // Only the preference is lost.
      }
    },
  ];
}
