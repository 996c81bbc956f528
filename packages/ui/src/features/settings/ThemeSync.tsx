import { useEffect, type ReactNode } from 'react';
import { useUiStoreApi } from '../../app/ui-store';
import { useSettings } from './queries';

/** Keeps the theme mirror in step with the engine's saved settings. */
export function ThemeSync({ children }: { children: ReactNode }) {
  const settings = useSettings();
  const store = useUiStoreApi();
  const savedTheme = settings.data?.theme;
  useEffect(() => {
    if (savedTheme) store.getState().setThemePreference(savedTheme);
  }, [savedTheme, store]);
  return children;
}
