import { createContext, useContext } from 'react';
import { SETTING_DEFAULTS, type Settings } from '@little-monster/core/contract';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { ConnectionReason, ConnectionState } from '../transport/types';

export type ThemePreference = Settings['theme'];

export interface Toast {
  id: number;
  tone: 'error' | 'success' | 'info';
  title: string;
  message?: string;
  /** What the student can do about it. */
  action?: string;
}

export interface UiState {
  toasts: Toast[];
  pushToast(toast: Omit<Toast, 'id'>): number;
  dismissToast(id: number): void;
  /** Mirrors settings.theme so the right theme paints before the engine answers. */
  themePreference: ThemePreference;
  setThemePreference(preference: ThemePreference): void;
  connection: { state: ConnectionState; reason?: ConnectionReason };
  setConnection(state: ConnectionState, reason?: ConnectionReason): void;
  /** Open modal dialogs; while any is open the rest of the app is inert. */
  modalCount: number;
  openModal(): void;
  closeModal(): void;
}

const THEME_KEY = 'littleMonster.theme';
const MAX_TOASTS = 4;

export function readStoredTheme(): ThemePreference {
  try {
    const stored = localStorage.getItem(THEME_KEY);
    return stored === 'light' || stored === 'dark' ? stored : SETTING_DEFAULTS.theme;
  } catch {
    return SETTING_DEFAULTS.theme;
  }
}

function storeTheme(preference: ThemePreference) {
  try {
    localStorage.setItem(THEME_KEY, preference);
  } catch {
    // Only a faster first paint is lost.
  }
}

export function createUiStore(connection: UiState['connection']): StoreApi<UiState> {
  let nextToastId = 1;
  return createStore<UiState>()((set) => ({
    toasts: [],
    pushToast(toast) {
      const id = nextToastId++;
      set((state) => ({ toasts: [...state.toasts, { ...toast, id }].slice(-MAX_TOASTS) }));
      return id;
    },
    dismissToast: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
    themePreference: readStoredTheme(),
    setThemePreference(preference) {
      storeTheme(preference);
      set({ themePreference: preference });
    },
    connection,
    setConnection: (state, reason) =>
      set({ connection: reason === undefined ? { state } : { state, reason } }),
    modalCount: 0,
    openModal: () => set((state) => ({ modalCount: state.modalCount + 1 })),
    closeModal: () => set((state) => ({ modalCount: Math.max(0, state.modalCount - 1) })),
  }));
}

export const UiStoreContext = createContext<StoreApi<UiState> | null>(null);

export function useUiStoreApi(): StoreApi<UiState> {
  const store = useContext(UiStoreContext);
  if (!store) throw new Error('useUi must be used inside <App>');
  return store;
}

export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useUiStoreApi(), selector);
}
