import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Browser tests start servers and Chromium: give them room; unit tests finish in ms anyway.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One throwaway PostgreSQL for the run (test/support/postgres.ts); SQLite needs nothing.
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default'],
  },
});
