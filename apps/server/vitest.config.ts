import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Read workspace packages from their TypeScript sources, as the build does (tests run in
  // Vite's server environment, which has its own conditions).
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source', 'node', 'development|production'] } },
  test: {
    include: ['src/**/*.test.ts'],
    // One PostgreSQL (from npm) for the run; each test file makes its own databases in it.
    globalSetup: ['src/test-support/global-postgres.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
