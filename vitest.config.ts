import { defineConfig } from 'vitest/config';

/**
 * Three projects: the unit and integration tests on the embedded SQLite store, the integration
 * suites (the HTTP API over a real database) once more on PostgreSQL, and the browser tests.
 * The first two run side by side, two files at a time (most of their time is waiting on fsync,
 * sockets and timers); the browser tests run after them, one file at a time, since Chromium
 * keeps both cores of a small machine busy by itself and its timings suffer beside other work.
 * SQLite and PostgreSQL share one throwaway PostgreSQL server started by the global setup
 * (test/support/postgres.ts).
 */
const BROWSER_TESTS = 'test/e2e/**/*.test.ts';

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
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: [BROWSER_TESTS],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/integration/*.test.ts'],
          // Crash and multi-process tests of the SQLite file, and tests that read its rows.
          exclude: ['test/integration/restart.test.ts', 'test/integration/concurrency.test.ts'],
          env: { COUNTERLINK_TEST_STORE: 'postgres' },
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: [BROWSER_TESTS], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
