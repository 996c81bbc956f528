import { join } from 'node:path';

/**
 * The files built beside the main bundle (see build.mjs). Main is bundled to CommonJS at
 * dist/main/main.cjs, so `__dirname` is dist/main, inside app.asar when packaged.
 */
const distDir = join(__dirname, '..');

export const bundlePaths = {
  preload: join(distDir, 'preload', 'preload.cjs'),
  rendererHtml: join(distDir, 'renderer', 'index.html'),
  engine: join(distDir, 'engine', 'engine.js'),
};
