/**
 * Entry of the built page (dist/index.html). In Electron the preload provides
 * `window.littleMonster`; in a browser the engine host served this page and takes a WebSocket.
 */
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

mountApp(root, transport);
