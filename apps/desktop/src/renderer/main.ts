/**
 * The window's page: the UI package, talking to the engine through the preload's bridge.
 * Bundled by build.mjs into dist/renderer/main.js (+ main.css) next to index.html.
 */
import { createBridgeTransport, mountApp } from '@little-monster/ui';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

mountApp(root, createBridgeTransport(window.littleMonster));
