import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Read workspace packages from their TypeScript sources, as the build does (tests run in
  // Vite's server environment, which has its own conditions).
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    // The engine bundle test builds and starts real engine processes.
    testTimeout: 30_000,
  },
});
