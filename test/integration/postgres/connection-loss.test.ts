/**
 * Losing PostgreSQL mid-run: requests get a 503 problem+json while it is down (never a hang,
 * never a 500), the server recovers by itself when it is back, and nothing it acknowledged is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../server/create-app';
import { startApp } from '../../support/app';
import { AUTH as auth } from '../../support/keys';
import { findPostgresBin, freshDatabase, startPostgres, testPostgresUrl, type TestPostgres } from '../../support/postgres';

const runs = testPostgresUrl() !== undefined && findPostgresBin() !== undefined;

describe.skipIf(!runs)('losing the database connection', () => {
  let pg: TestPostgres;
  let app: App;

  beforeAll(async () => {
    pg = await startPostgres(findPostgresBin()!, { durable: true });
    app = (await startApp({ prefix: 'counterlink-loss-', baseUrl: 'http://127.0.0.1:4780', databaseUrl: await freshDatabase(pg.url, 'loss') })).app;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await pg?.stop();
  });

  const createLink = (name: string) => app.server.inject({ method: 'POST', url: '/api/v1/links', headers: auth, payload: { name, amount: '3.00' } });

  it('answers 503 while PostgreSQL is down and recovers by itself, losing nothing acknowledged', async () => {
    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await createLink(`Before ${i}`);
      expect(res.statusCode).toBe(201);
      acknowledged.push(res.json().id);
    }

    await pg.crash!();
    for (const res of [
      await createLink('While down'),
      await app.server.inject({ method: 'GET', url: `/api/v1/links/${acknowledged[0]}`, headers: auth }),
      await app.server.inject({ method: 'GET', url: '/readyz' }),
      await app.server.inject({ method: 'GET', url: `/en/pay-by-link/${acknowledged[1]}` }),
    ]) {
      expect(res.statusCode).toBe(503);
    }
    const down = await createLink('While down');
    expect(down.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(down.json().type).toBe('service-unavailable');
    expect((await app.server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200); // alive, not ready

    await pg.start!();
    let back = await createLink('After');
    for (let i = 0; i < 50 && back.statusCode !== 201; i++) {
      await new Promise((r) => setTimeout(r, 200));
      back = await createLink('After');
    }
    expect(back.statusCode).toBe(201);
    expect((await app.server.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    for (const id of acknowledged) {
      const res = await app.server.inject({ method: 'GET', url: `/api/v1/links/${id}`, headers: auth });
      expect(res.statusCode).toBe(200);
    }
    const list = await app.server.inject({ method: 'GET', url: '/api/v1/links?limit=200', headers: auth });
    const names = list.json().data.map((l: { name: string }) => l.name);
    expect(names.filter((n: string) => n === 'While down')).toEqual([]);
  }, 120_000);
});
