/**
 * The window's page: the UI package, talking to the engine through the preload's bridge.
 * Bundled by build.mjs into dist/renderer/main.js (+ main.css) next to index.html.
 */
import { createBridgeTransport, mountApp } from '@little-monster/ui';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

/**
 * The viewer draws PDFs with pdf.js, as in the browser mode. Its code is in main.js but only
 * runs, and its worker only starts, the first time a PDF is opened.
 */
const pdf = {
  open: async (url: string) => (await import('./pdfjs-support.js')).pdfjsSupport.open(url),
};

mountApp(root, createBridgeTransport(window.littleMonster), { pdf });
