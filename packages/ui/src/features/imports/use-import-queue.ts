import { useState } from 'react';
import type { StoreApi } from 'zustand';
import { useEngine } from '../../app/engine-context';
import { createImportsStore, type ImportsDeps, type ImportsState } from './imports-store';

/**
 * An import queue over this window's way of sending files (uploads in a browser, paths on the
 * desktop), made once: keep it in a provider above the routes so leaving a page does not lose it.
 */
export function useImportQueue(importSources: ImportsDeps['importSources']): StoreApi<ImportsState> {
  const { transport } = useEngine();
  const [store] = useState(() =>
    createImportsStore({ files: transport.files, localFiles: transport.localFiles, importSources }),
  );
  return store;
}
