import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import type { PdfSupport } from './features/library/viewer/pdf-support';
import type { Transport } from './transport/types';

export interface MountOptions {
  /** Draws PDFs in the viewer (the browser build passes pdf.js); without it PDFs show as text. */
  pdf?: PdfSupport;
}

/** Renders Little Monster into `element`, talking to the engine through `transport`. */
export function mountApp(element: HTMLElement, transport: Transport, options: MountOptions = {}): void {
  createRoot(element).render(
    <StrictMode>
      <App transport={transport} {...(options.pdf ? { pdf: options.pdf } : {})} />
    </StrictMode>,
  );
}
