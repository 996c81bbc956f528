import type { QueryClient } from '@tanstack/react-query';
import type { StoreApi } from 'zustand';
import type { Transport } from '../transport/types';
import type { FeatureRegistry } from './feature-registry';
import type { UiState } from './ui-store';

/**
 * Keeps react-query and the UI store in step with the engine: each event goes to the features
 * that handle it, and after a reconnect everything is refetched (events may have been missed).
 */
export function connectEngineEvents(
  transport: Transport,
  queryClient: QueryClient,
  store: StoreApi<UiState>,
  registry: FeatureRegistry,
) {
  const context = { queryClient, store, errorTexts: registry.errorTexts };
  const stopEvents = transport.subscribe((event) => registry.handle(event, context));
  const stopStates = transport.onStateChange((state, reason) => {
    const previous = store.getState().connection.state;
    store.getState().setConnection(state, reason);
    if (state === 'connected' && previous !== 'connected' && previous !== 'connecting') {
      void queryClient.invalidateQueries();
    }
  });
  // The transport may have changed state before we subscribed.
  if (transport.state() !== store.getState().connection.state)
    store.getState().setConnection(transport.state());
  return () => {
    stopEvents();
    stopStates();
  };
}
