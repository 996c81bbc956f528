import { createContext, useContext, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';
import { useEngine } from '../../app/engine-context';
import type { ImportsState } from '../imports/imports-store';
import { useImportQueue } from '../imports/use-import-queue';

const LibraryImportsContext = createContext<StoreApi<ImportsState> | null>(null);

/** One queue of files going into the library per app, so leaving the Library does not lose it. */
export function LibraryImportsProvider({ children }: { children: ReactNode }) {
  const engine = useEngine();
  const store = useImportQueue(
    async (classId, sources) => (await engine.call('materials.import', { classId, sources })).items,
  );
  return <LibraryImportsContext.Provider value={store}>{children}</LibraryImportsContext.Provider>;
}

export function useLibraryImportsStore(): StoreApi<ImportsState> {
  const store = useContext(LibraryImportsContext);
  if (!store) throw new Error('The library’s imports need <LibraryImportsProvider>');
  return store;
}

export function useLibraryImports<T>(selector: (state: ImportsState) => T): T {
  return useStore(useLibraryImportsStore(), selector);
}
