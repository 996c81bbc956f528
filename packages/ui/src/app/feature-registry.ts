import { createContext, useContext } from 'react';
import type { EngineEvent } from '@little-monster/core/contract';
import type { ErrorTexts } from './error-messages';
import type { Feature, FeatureContext, NavItem } from './feature';

/** The app's features composed once: what the shell shows and how events and errors are handled. */
export interface FeatureRegistry {
  readonly features: readonly Feature[];
  readonly nav: readonly NavItem[];
  /** Every feature's error texts, merged (the first feature to name a field wins). */
  readonly errorTexts: ErrorTexts;
  /** Hands an engine event to every feature that handles it, in the list's order. */
  handle(event: EngineEvent, context: FeatureContext): void;
}

function mergeErrorTexts(list: readonly ErrorTexts[]): Required<ErrorTexts> {
  // Reversed: where two features name the same field, the first one's text wins.
  const merge = <T>(
    pick: (texts: ErrorTexts) => Readonly<Record<string, T>> | undefined,
  ): Record<string, T> => Object.assign({}, ...list.map(pick).reverse());
  return {
    fields: merge((texts) => texts.fields),
    rows: merge((texts) => texts.rows),
    jobFailureActions: merge((texts) => texts.jobFailureActions),
  };
}

export function createFeatureRegistry(features: readonly Feature[]): FeatureRegistry {
  return {
    features,
    nav: features.flatMap((feature) => (feature.nav ? [feature.nav] : [])),
    errorTexts: mergeErrorTexts(features.map((feature) => feature.errorTexts ?? {})),
    handle(event, context) {
      for (const feature of features) {
        // Each entry's payload type follows its event name; TypeScript cannot pair them in a loop.
        const handler = feature.events?.[event.name] as
          ((payload: EngineEvent['payload'], context: FeatureContext) => void) | undefined;
        handler?.(event.payload, context);
      }
    },
  };
}

export const FeatureRegistryContext = createContext<FeatureRegistry | null>(null);

export function useFeatureRegistry(): FeatureRegistry {
  const registry = useContext(FeatureRegistryContext);
  if (!registry) throw new Error('useFeatureRegistry must be used inside <App>');
  return registry;
}
