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

export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy()],
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
