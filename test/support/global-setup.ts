import { PG_URL_ENV, provideTestPostgres, type TestPostgres } from './postgres';

/**
 * Vitest global setup: one PostgreSQL server for the whole run, its URL handed to the test
 * workers through the environment (they are forked after this runs).
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.COUNTERLINK_TEST_PG === 'off') {
    process.env.COUNTERLINK_TEST_PG_MISSING = 'COUNTERLINK_TEST_PG=off';
    return async () => undefined;
  }
  const pg = await provideTestPostgres();
  if ('missing' in pg) {
    process.env.COUNTERLINK_TEST_PG_MISSING = pg.missing;
    return async () => undefined;
  }
  process.env[PG_URL_ENV] = pg.url;
  return async () => (pg as TestPostgres).stop();
}
