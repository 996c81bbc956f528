import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Read workspace packages from their TypeScript sources, as the build does.
    conditions: ['source'],
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // The engine bundle test builds and starts real engine processes.
    testTimeout: 30_000,
  },
});
