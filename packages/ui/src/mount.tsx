import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import type { Transport } from './transport/types';

/** Renders Little Monster into `element`, talking to the engine through `transport`. */
export function mountApp(element: HTMLElement, transport: Transport): void {
  createRoot(element).render(
    <StrictMode>
      <App transport={transport} />
    </StrictMode>,
  );
}
