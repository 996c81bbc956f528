import { MutationCache, QueryClient } from '@tanstack/react-query';
import type { ErrorCode } from '@little-monster/core/contract';
import type { StoreApi } from 'zustand';
import { RpcCallError } from '../transport/client';
import { explainError, type ErrorTexts } from './error-messages';
import type { UiState } from './ui-store';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** Error codes the calling component shows itself (e.g. INVALID_INPUT inline in a form). */
      handlesErrors?: readonly ErrorCode[];
    };
  }
}

/**
 * Queries show their own error panels; a failed mutation (something the student did) always
 * gets a toast unless the component shows that error itself.
 */
export function createAppQueryClient(store: StoreApi<UiState>, errorTexts: ErrorTexts): QueryClient {
  return new QueryClient({
    mutationCache: new MutationCache({
      onError(error, _variables, _context, mutation) {
        if (error instanceof RpcCallError && mutation.meta?.handlesErrors?.includes(error.code)) return;
        const { title, message, action } = explainError(error, errorTexts);
        store.getState().pushToast({ tone: 'error', title, message, action });
      },
    }),
    defaultOptions: {
      queries: {
        // Events keep data fresh; a reconnect refetches everything.
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          error instanceof RpcCallError && error.code === 'ENGINE_UNAVAILABLE' && failures < 3,
      },
      mutations: { retry: false },
    },
  });
}
