import type { ComponentType, ReactNode } from 'react';
import type { LucideIcon } from 'lucide-react';
import type { QueryClient } from '@tanstack/react-query';
import type { EventName, EventPayload } from '@little-monster/core/contract';
import type { StoreApi } from 'zustand';
import type { ErrorTexts } from './error-messages';
import type { UiState } from './ui-store';

/** What an event handler may touch: the cached answers, the UI store, and the app's error texts. */
export interface FeatureContext {
  queryClient: QueryClient;
  store: StoreApi<UiState>;
  errorTexts: ErrorTexts;
}

/**
 * How a feature keeps its own cached answers in step with the engine's events. Several features
 * may handle one event (a deleted class also changes the library's lists); each touches only
 * its own query keys.
 */
export type EventHandlers = {
  [E in EventName]?: (payload: EventPayload<E>, context: FeatureContext) => void;
};

export interface NavItem {
  path: string;
  label: string;
  /** Second key of the "g then key" shortcut. */
  key: string;
  /** Drawn beside the label, and alone when the sidebar is folded (so every page needs one). */
  icon: LucideIcon;
}

/** Something the command palette offers to start: a page, and what that page is asked to do. */
export interface FeatureCommand {
  id: string;
  label: string;
  /** Other words it answers to ("add", "upload"). */
  keywords?: string;
  to: string;
  /** The page's location state (e.g. `{ newClass: true }`): what it does on arrival. */
  state?: object;
}

/** A section of Settings a feature adds: its own entry in the settings navigation and its own address. */
export interface SettingsSectionEntry {
  /** The address: `#/settings/<id>` (links from elsewhere use settingsPath). */
  id: string;
  label: string;
  Section: ComponentType;
}

export interface FeatureRoute {
  /** Below the app's root, without a leading slash; `index` for the start page. */
  path: string | 'index';
  Page: ComponentType;
}

/**
 * One part of the app, from its folder `features/<id>/`: what it adds to the shell and how it
 * follows the engine. The app composes the list in `features.ts`; adding a feature touches
 * nothing else. Its styles are one stylesheet beside it, imported by the module that defines it.
 */
export interface Feature {
  id: string;
  /** Its entry in the sidebar (also a "g" shortcut and a "Go to" command in the palette). */
  nav?: NavItem;
  routes?: readonly FeatureRoute[];
  /** Actions the command palette lists. */
  commands?: readonly FeatureCommand[];
  events?: EventHandlers;
  /** How its fields and jobs read in error messages. */
  errorTexts?: ErrorTexts;
  /** State that outlives its pages (an import queue, a recording), around the whole app. */
  Provider?: ComponentType<{ children: ReactNode }>;
  /** At the foot of the sidebar (a recording going on, background jobs). */
  SidebarItem?: ComponentType;
  /** Beside the shell rather than in it, so it stays usable while the shell is inert (the palette). */
  Overlay?: ComponentType;
  /** Its section of Settings (placed by the settings navigation's order). */
  settingsSection?: SettingsSectionEntry;
}
