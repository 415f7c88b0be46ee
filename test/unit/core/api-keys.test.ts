import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { API_KEY_PREFIX } from '../../../core/api-keys';
import { makeCore, type TestCore } from '../../support/core';
import { rawDb } from '../../support/raw-db';

let t: TestCore;
beforeEach(async () => {
  t = await makeCore();
});
afterEach(() => t.core.close());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const rows = () => rawDb(t.core).prepare('SELECT * FROM api_keys').all() as Record<string, unknown>[];

describe('ApiKeysService', () => {
  it('generates a long random key, shown once; the table holds only its hash', async () => {
    expect(await t.core.apiKeys.hasAny()).toBe(false);
    const { key, record } = await t.core.apiKeys.generate('Staff UI');
    // API.md: generated keys read clk_live_… / clk_test_… (the mode is part of the key)
    expect(key).toMatch(new RegExp(`^${API_KEY_PREFIX}live_[0-9A-Za-z]{32}$`));
    expect(JSON.stringify(record)).not.toContain(key);
    expect(record).toMatchObject({ name: 'Staff UI', role: 'admin', revokedAt: null });
    expect(await t.core.apiKeys.hasAny()).toBe(true);

    const stored = rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.key_hash).toBe(sha256(key));
    // no column holds the key, nor its secret part
    const secret = key.slice(`${API_KEY_PREFIX}live_`.length);
    for (const value of Object.values(stored[0]!)) {
      expect(String(value)).not.toContain(key);
      expect(String(value)).not.toContain(secret.slice(0, 16));
    }
    // nor does the rest of the database (settings, events)
    const dump = JSON.stringify(rawDb(t.core).prepare('SELECT * FROM settings').all()) + JSON.stringify(await t.core.events.after(0, 1000));
    expect(dump).not.toContain(secret);
  });

  it('two generated keys differ', async () => {
    const a = (await t.core.apiKeys.generate('a')).key;
    const b = (await t.core.apiKeys.generate('b')).key;
    expect(a).not.toBe(b);
  });

  it('authenticates the right key only', async () => {
    const { key, record } = await t.core.apiKeys.generate('Integration', 'admin');
    expect(await t.core.apiKeys.authenticate(key)).toMatchObject({ id: record.id, name: 'Integration' });
    expect(await t.core.apiKeys.authenticate(`${key}x`)).toBeUndefined();
    expect(await t.core.apiKeys.authenticate(key.slice(0, -1))).toBeUndefined();
    expect(await t.core.apiKeys.authenticate(key.toUpperCase())).toBeUndefined();
    expect(await t.core.apiKeys.authenticate(sha256(key))).toBeUndefined(); // the hash is not a key
    expect(await t.core.apiKeys.authenticate('')).toBeUndefined();
    expect(await t.core.apiKeys.authenticate('x'.repeat(201))).toBeUndefined();
  });

  it('registers a configured key once, and refuses it once revoked', async () => {
    const key = 'configured-secret-key-0123456789';
    const first = await t.core.apiKeys.register(key, 'env');
    const again = await t.core.apiKeys.register(key, 'env');
    expect(again.id).toBe(first.id);
    expect(rows()).toHaveLength(1);
    expect(JSON.stringify(rows())).not.toContain(key);
    expect((await t.core.apiKeys.authenticate(key))?.id).toBe(first.id);
    await t.core.apiKeys.revoke(first.id);
    expect(await t.core.apiKeys.authenticate(key)).toBeUndefined();
    expect(await t.core.apiKeys.hasAny()).toBe(false);
  });
});
