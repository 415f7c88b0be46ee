import { defineConfig } from 'vitest/config';

/**
 * Two projects: everything on the embedded SQLite store, and the integration suites (the HTTP
 * API over a real database) once more on PostgreSQL. Both share one throwaway PostgreSQL server
 * started by the global setup (test/support/postgres.ts).
 */
export default defineConfig({
  test: {
    // Browser tests start servers and Chromium: give them room; unit tests finish in ms anyway.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    globalSetup: ['test/support/global-setup.ts'],
    // The kit's teardown (apps and temp dirs a file left running) first, so its afterAll runs
    // last; then integration responses are checked against the OpenAPI document.
    setupFiles: ['test/support/teardown.ts', 'test/support/response-contract.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/integration/*.test.ts'],
          // Crash and multi-process tests of the SQLite file, and tests that read its rows.
          exclude: ['test/integration/restart.test.ts', 'test/integration/concurrency.test.ts'],
          env: { COUNTERLINK_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
