import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidation, makeApp, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(async () => {
  await t.close();
});

describe('merchant address and VAT id (printed on receipts)', () => {
  it('are null on a new install, keep line breaks, and clear with null or ""', async () => {
    const fresh = await t.req('GET', '/api/v1/settings');
    expect(fresh.body).toMatchObject({ address: null, vatId: null });
    const set = await t.req('PATCH', '/api/v1/settings', { address: 'Bäckerei Sonne\r\nHauptstr. 1\r\n10115 Berlin', vatId: 'DE123456789' });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({ address: 'Bäckerei Sonne\nHauptstr. 1\n10115 Berlin', vatId: 'DE123456789' });
    expect((await t.req('GET', '/api/v1/settings')).body).toMatchObject({ address: 'Bäckerei Sonne\nHauptstr. 1\n10115 Berlin', vatId: 'DE123456789' });
    const cleared = await t.req('PATCH', '/api/v1/settings', { address: '', vatId: null });
    expect(cleared.body).toMatchObject({ address: null, vatId: null });
  });

  it('refuses an address over 300 characters and a VAT id over 30 or with odd characters, changing nothing', async () => {
    await t.req('PATCH', '/api/v1/settings', { address: 'Kept', vatId: 'ATU12345678' });
    expectValidation(await t.req('PATCH', '/api/v1/settings', { address: 'x'.repeat(301) }), 'address');
    expectValidation(await t.req('PATCH', '/api/v1/settings', { vatId: 'D'.repeat(31) }), 'vatId');
    expectValidation(await t.req('PATCH', '/api/v1/settings', { vatId: 'DE<script>' }), 'vatId');
    expectValidation(await t.req('PATCH', '/api/v1/settings', { address: 42 }), 'address');
    expect((await t.req('GET', '/api/v1/settings')).body).toMatchObject({ address: 'Kept', vatId: 'ATU12345678' });
    // exactly at the limits is fine
    const edge = await t.req('PATCH', '/api/v1/settings', { address: 'a'.repeat(300), vatId: 'B'.repeat(30) });
    expect(edge.status, edge.text).toBe(200);
  });
});
