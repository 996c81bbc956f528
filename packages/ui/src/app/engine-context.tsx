import { createContext, useContext } from 'react';
import type { EngineClient } from '../transport/client';

export const EngineContext = createContext<EngineClient | null>(null);

/** The typed client for the engine this app was mounted with. */
export function useEngine(): EngineClient {
  const client = useContext(EngineContext);
  if (!client) throw new Error('useEngine must be used inside <App>');
  return client;
}
