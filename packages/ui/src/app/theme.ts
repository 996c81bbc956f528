import { useEffect, useSyncExternalStore } from 'react';
import type { ThemePreference } from './ui-store';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribeToOsTheme(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {};
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

const osPrefersDark = () => typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches;

export function resolveTheme(preference: ThemePreference, prefersDark: boolean): 'light' | 'dark' {
  if (preference === 'system') return prefersDark ? 'dark' : 'light';
  return preference;
}

/** Sets `data-theme` on <html> from the preference, following the OS while it is "system". */
export function useAppliedTheme(preference: ThemePreference): 'light' | 'dark' {
  const prefersDark = useSyncExternalStore(subscribeToOsTheme, osPrefersDark, () => false);
  const theme = resolveTheme(preference, prefersDark);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return theme;
}
