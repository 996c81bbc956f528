import { useEffect, useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { HashRouter, Route, Routes } from 'react-router';
import { ClassesPage } from '../features/classes/ClassesPage';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { ImportsProvider } from '../features/library/imports-context';
import { LibraryPage } from '../features/library/LibraryPage';
import { MaterialViewerPage } from '../features/library/viewer/MaterialViewerPage';
import { PdfSupportContext, type PdfSupport } from '../features/library/viewer/pdf-support';
import { LecturesPage } from '../features/lectures/LecturesPage';
import { LecturesProvider } from '../features/lectures/LecturesProvider';
import { LectureViewPage } from '../features/lectures/LectureViewPage';
import { RecordPage } from '../features/lectures/RecordPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { useSettings } from '../features/settings/queries';
import { ReviewPage } from '../features/study/ReviewPage';
import { StudyPage } from '../features/study/StudyPage';
import { TutorPage } from '../features/tutor/TutorPage';
import { createEngineClient } from '../transport/client';
import type { Transport } from '../transport/types';
import { AppShell } from './AppShell';
import { PageHeader } from './components/PageHeader';
import { EngineContext } from './engine-context';
import { connectEngineEvents } from './engine-events';
import { ErrorBoundary } from './ErrorBoundary';
import { createAppQueryClient } from './query-client';
import { useAppliedTheme } from './theme';
import { Toasts } from './Toasts';
import { TokenInvalidPage } from './TokenInvalidPage';
import { createUiStore, UiStoreContext, useUi, useUiStoreApi } from './ui-store';
import 'katex/dist/katex.min.css';
import './styles.css';

function NotFoundPage() {
  return <PageHeader title="Page not found" description="Choose a page from the sidebar." />;
}

/** Keeps the theme mirror in step with the engine's saved settings. */
function ThemeSync() {
  const settings = useSettings();
  const store = useUiStoreApi();
  const savedTheme = settings.data?.theme;
  useEffect(() => {
    if (savedTheme) store.getState().setThemePreference(savedTheme);
  }, [savedTheme, store]);
  return null;
}

function AppContent() {
  const connection = useUi((state) => state.connection);
  useAppliedTheme(useUi((state) => state.themePreference));
  if (connection.state === 'closed' && connection.reason === 'unauthorized') return <TokenInvalidPage />;
  return (
    <>
      <ThemeSync />
      <HashRouter>
        <Routes>
          <Route element={<AppShell />}>
            <Route index element={<DashboardPage />} />
            <Route path="classes" element={<ClassesPage />} />
            <Route path="library" element={<LibraryPage />} />
            <Route path="library/:id" element={<MaterialViewerPage />} />
            <Route path="lectures" element={<LecturesPage />} />
            <Route path="lectures/record" element={<RecordPage />} />
            <Route path="lectures/:id" element={<LectureViewPage />} />
            <Route path="tutor" element={<TutorPage />} />
            <Route path="study" element={<StudyPage />} />
            <Route path="study/review" element={<ReviewPage />} />
            <Route path="settings" element={<SettingsPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </HashRouter>
      <Toasts />
    </>
  );
}

export interface AppProps {
  transport: Transport;
  /** Draws PDFs in the viewer; without it PDFs show as their page text. */
  pdf?: PdfSupport;
}

/** The whole app over one transport. Each instance has its own caches and UI state. */
export function App({ transport, pdf }: AppProps) {
  const [{ client, store, queryClient }] = useState(() => {
    const uiStore = createUiStore({ state: transport.state() });
    return {
      client: createEngineClient(transport),
      store: uiStore,
      queryClient: createAppQueryClient(uiStore),
    };
  });
  useEffect(() => connectEngineEvents(transport, queryClient, store), [transport, queryClient, store]);

  return (
    <ErrorBoundary scope="app">
      <UiStoreContext.Provider value={store}>
        <EngineContext.Provider value={client}>
          <QueryClientProvider client={queryClient}>
            <PdfSupportContext.Provider value={pdf ?? null}>
              <ImportsProvider>
                <LecturesProvider>
                  <AppContent />
                </LecturesProvider>
              </ImportsProvider>
            </PdfSupportContext.Provider>
          </QueryClientProvider>
        </EngineContext.Provider>
      </UiStoreContext.Provider>
    </ErrorBoundary>
  );
}
