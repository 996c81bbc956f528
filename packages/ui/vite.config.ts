// The build configuration runs in Node (it is not part of the UI bundle).
// eslint-disable-next-line no-restricted-imports
import { readdirSync, readFileSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports
import { createRequire } from 'node:module';
// eslint-disable-next-line no-restricted-imports
import { dirname, join, normalize, sep } from 'node:path';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The built page loads only its own files (works offline and under a strict CSP). The policy
 * is added at build time only: the dev server injects an inline script for fast refresh.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  // pdf.js draws PDFs in a worker loaded from this build's own files.
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

const CSP_PLACEHOLDER = '<!-- content-security-policy -->';

function contentSecurityPolicy(): Plugin {
  return {
    name: 'little-monster-csp',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace(CSP_PLACEHOLDER, `<meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
  };
}

/** Folders of pdfjs-dist that pdf.js fetches at run time (by URL) for some PDFs. */
const PDFJS_ASSET_FOLDERS = ['cmaps', 'standard_fonts', 'wasm', 'iccs'];

/**
 * Ships pdf.js's character maps, standard fonts, colour profiles and image decoders as files
 * under `pdfjs/`, so PDFs with CJK text, non-embedded fonts or JPEG 2000 scans draw offline.
 * The dev server serves the same paths from node_modules.
 */
function pdfjsAssets(): Plugin {
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const filesOf = (folder: string) => readdirSync(join(root, folder)).filter((name) => !name.startsWith('.'));
  return {
    name: 'little-monster-pdfjs-assets',
    configureServer(server) {
      server.middlewares.use('/pdfjs', (req, res, next) => {
        const path = normalize(decodeURIComponent((req.url ?? '').split('?')[0] ?? ''));
        const folder = path.split(sep).filter(Boolean)[0] ?? '';
        if (!PDFJS_ASSET_FOLDERS.includes(folder) || path.includes('..')) return next();
        try {
          res.end(readFileSync(join(root, path)));
        } catch {
          next();
        }
      });
    },
    generateBundle() {
      for (const folder of PDFJS_ASSET_FOLDERS) {
        for (const name of filesOf(folder)) {
          this.emitFile({
            type: 'asset',
            fileName: `pdfjs/${folder}/${name}`,
            source: readFileSync(join(root, folder, name)),
          });
        }
      }
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy(), pdfjsAssets()],
  resolve: {
    // Read the contract from its TypeScript source (see @little-monster/core's "source" export).
    conditions: ['source', ...defaultClientConditions],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No data: URLs for fonts or images, and no inline polyfill: every asset is a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  test: {
    environment: 'happy-dom',
    setupFiles: ['./src/test-support/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // A zone west of UTC with daylight saving: date bugs (UTC parsing, 24-hour days) show up here.
    env: { TZ: 'America/Los_Angeles' },
  },
});
