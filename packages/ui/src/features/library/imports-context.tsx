import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';
import { useEngine } from '../../app/engine-context';
import { createImportsStore, type ImportsState } from './imports-store';

const ImportsContext = createContext<StoreApi<ImportsState> | null>(null);

/** One import queue per app, above the routes, so leaving the Library does not lose it. */
export function ImportsProvider({ children }: { children: ReactNode }) {
  const { transport } = useEngine();
  const library = useEngine();
  const [store] = useState(() =>
    createImportsStore({
      files: transport.files,
      localFiles: transport.localFiles,
      importSources: async (classId, sources) =>
        (await library.call('materials.import', { classId, sources })).items,
    }),
  );
  return <ImportsContext.Provider value={store}>{children}</ImportsContext.Provider>;
}

export function useImports<T>(selector: (state: ImportsState) => T): T {
  const store = useContext(ImportsContext);
  if (!store) throw new Error('useImports must be used inside <ImportsProvider>');
  return useStore(store, selector);
}
