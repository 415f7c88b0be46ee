/**
 * Servers on one PostgreSQL share the data key that seals its secrets (README, "Secrets at rest").
 * One started with another key must stop at once with one line saying so, before it serves
 * anything: it could not open the shop's SMTP password, Stripe keys or webhook secrets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../core/index';
import { openSecretBox, SecretsKeyError } from '../../../core/secrets';
import { freshDatabase, testPostgresUrl } from '../../support/postgres';

const pgServer = testPostgresUrl();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A server's own data directory (each server has one; the database is what they share). */
function serverDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'counterlink-pg-key-'));
  dirs.push(dir);
  return dir;
}

describe.skipIf(!pgServer)('the secrets data key on a shared PostgreSQL', () => {
  it('a second server with the same COUNTERLINK_SECRETS_KEY starts and opens the secrets; one with another key refuses to start', async () => {
    const databaseUrl = await freshDatabase(pgServer!, 'seckey');
    const shared = randomBytes(32).toString('base64');
    const start = (envKey: string) => {
      const dir = serverDir();
      return createCore({ databaseFile: join(dir, 'unused.sqlite'), databaseUrl, baseUrl: 'http://x', secrets: openSecretBox({ dataDir: dir, envKey }) });
    };

    const first = await start(shared);
    await first.settings.update({ email: { host: 'smtp.example.com', user: 'shop', password: 'Shared-Pass-1' } });
    const second = await start(shared);
    try {
      expect(await second.store.read(async (t) => (await t.settings.get<{ password: string }>('email'))!.password)).toBe('Shared-Pass-1');
    } finally {
      await second.close();
    }

    const wrong = start(randomBytes(32).toString('base64'));
    await expect(wrong).rejects.toThrow(SecretsKeyError);
    await expect(wrong).rejects.toThrow(/give every server on this database the same COUNTERLINK_SECRETS_KEY/);
    // The refused start changed nothing: the first server still opens its secrets.
    expect(await first.store.read(async (t) => (await t.settings.get<{ password: string }>('email'))!.password)).toBe('Shared-Pass-1');
    await first.close();
  });
});
