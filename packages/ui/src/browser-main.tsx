/**
 * Entry of the built page (dist/index.html). In Electron the preload provides
 * `window.littleMonster`; in a browser the engine host served this page and takes a WebSocket.
 */
import type { PdfSupport } from './features/library/viewer/pdf-support';
import { mountApp } from './mount';
import { createBridgeTransport } from './transport/bridge-transport';
import { engineSocketUrl, takeAccessToken } from './transport/browser-token';
import type { EngineBridge } from './transport/types';
import { createWebSocketTransport } from './transport/websocket-transport';

declare global {
  interface Window {
    littleMonster?: EngineBridge;
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const transport = window.littleMonster
  ? createBridgeTransport(window.littleMonster)
  : createWebSocketTransport({ url: engineSocketUrl(window.location, takeAccessToken()) });

/** pdf.js (and its worker) load the first time a PDF is opened, not with the app. */
const pdf: PdfSupport = {
  open: async (url) => (await import('./features/library/viewer/pdfjs-support')).pdfjsSupport.open(url),
};

mountApp(root, transport, { pdf });
