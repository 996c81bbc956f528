import './styles/global.css';
import { useEffect, useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { HashRouter, Route, Routes } from 'react-router';
import { PdfSupportContext, type PdfSupport } from '../features/library/viewer/pdf-support';
import { createEngineClient } from '../transport/client';
import type { Transport } from '../transport/types';
import { AppShell } from './AppShell';
import { PageHeader } from './components/PageHeader';
import { EngineContext } from './engine-context';
import { connectEngineEvents } from './engine-events';
import { ErrorBoundary } from './ErrorBoundary';
import type { Feature } from './feature';
import { createFeatureRegistry, FeatureRegistryContext, useFeatureRegistry } from './feature-registry';
import { FEATURES } from './features';
import { createAppQueryClient } from './query-client';
import { useAppliedTheme } from './theme';
import { Toasts } from './Toasts';
import { TokenInvalidPage } from './TokenInvalidPage';
import { createUiStore, UiStoreContext, useUi } from './ui-store';

function NotFoundPage() {
  return <PageHeader title="Page not found" description="Choose a page from the sidebar." />;
}

function AppContent() {
  const connection = useUi((state) => state.connection);
  const { features } = useFeatureRegistry();
  useAppliedTheme(useUi((state) => state.themePreference));
  if (connection.state === 'closed' && connection.reason === 'unauthorized') return <TokenInvalidPage />;
  return (
    <>
      <HashRouter>
        <Routes>
          <Route element={<AppShell />}>
            {features.flatMap(({ id, routes = [] }) =>
              routes.map(({ path, Page }) =>
                path === 'index' ? (
                  <Route key={`${id}:index`} index element={<Page />} />
                ) : (
                  <Route key={`${id}:${path}`} path={path} element={<Page />} />
                ),
              ),
            )}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </HashRouter>
      <Toasts />
    </>
  );
}

/** Every feature's provider around the app, the first in the list outermost. */
function FeatureProviders({ features, children }: { features: readonly Feature[]; children: ReactNode }) {
  return features.reduceRight<ReactNode>(
    (inner, { id, Provider }) => (Provider ? <Provider key={id}>{inner}</Provider> : inner),
    children,
  );
}

export interface AppProps {
  transport: Transport;
  /** Draws PDFs in the viewer; without it PDFs show as their page text. */
  pdf?: PdfSupport;
}

/** The whole app over one transport. Each instance has its own caches and UI state. */
export function App({ transport, pdf }: AppProps) {
  const [{ client, store, queryClient, registry }] = useState(() => {
    const uiStore = createUiStore({ state: transport.state() });
    const featureRegistry = createFeatureRegistry(FEATURES);
    return {
      client: createEngineClient(transport),
      store: uiStore,
      queryClient: createAppQueryClient(uiStore, featureRegistry.errorTexts),
      registry: featureRegistry,
    };
  });
  useEffect(
    () => connectEngineEvents(transport, queryClient, store, registry),
    [transport, queryClient, store, registry],
  );

  return (
    <ErrorBoundary scope="app">
      <UiStoreContext.Provider value={store}>
        <EngineContext.Provider value={client}>
          <QueryClientProvider client={queryClient}>
            <FeatureRegistryContext.Provider value={registry}>
              <PdfSupportContext.Provider value={pdf ?? null}>
                <FeatureProviders features={registry.features}>
                  <AppContent />
                </FeatureProviders>
              </PdfSupportContext.Provider>
            </FeatureRegistryContext.Provider>
          </QueryClientProvider>
        </EngineContext.Provider>
      </UiStoreContext.Provider>
    </ErrorBoundary>
  );
}
