/**
 * The data directory holds the shop's secrets (the database with the SMTP password, SMS gateway
 * auth and webhook secrets; the local outbox's emails and texts): 0700 and its files 0600,
 * whatever the umask, and narrowed again when an older run left them readable.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, onPostgres } from './helpers';
import { newLink, startApp, waitForStatus, type MsgApp } from './notifications-fixtures';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

let previousUmask: number;
let t: MsgApp | undefined;
beforeEach(() => {
  // The loosest umask: the modes must not depend on it.
  previousUmask = process.umask(0o000);
});
afterEach(async () => {
  process.umask(previousUmask);
  await t?.close();
  t = undefined;
});

/** Every file and folder the app made in the data directory, with its mode. */
function modes(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out[`${prefix}${name}`] = mode(path);
    if (statSync(path).isDirectory()) Object.assign(out, modes(path, `${prefix}${name}/`));
  }
  return out;
}

describe.skipIf(process.platform === 'win32')('data directory modes', () => {
  it('a new data directory is 0700; the database, its WAL files and the outbox messages are 0600', async () => {
    const dataDir = join(makeTempDir(), 'counterlink-data');
    t = await startApp({ dataDir });
    const link = await newLink(t);
    const email = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'jane@example.com' });
    const sms = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'sms', to: '+33 6 12 34 56 78' });
    await waitForStatus(t, email.body.id, ['sent']);
    await waitForStatus(t, sms.body.id, ['sent']);

    expect(mode(dataDir)).toBe('700');
    const found = modes(dataDir);
    expect(found).toMatchObject({
      outbox: '700',
      'outbox/email': '700',
      [`outbox/email/${email.body.id}.eml`]: '600',
      'outbox/sms': '700',
      [`outbox/sms/${sms.body.id}.json`]: '600',
    });
    if (!onPostgres) {
      expect(found).toMatchObject({ 'counterlink.sqlite': '600', 'counterlink.sqlite-wal': '600', 'counterlink.sqlite-shm': '600' });
    }
    // Nothing the app made is readable by anyone else.
    for (const [path, m] of Object.entries(found)) expect({ path, m }).toEqual({ path, m: statSync(join(dataDir, path)).isDirectory() ? '700' : '600' });
  });

  it('narrows what an older run left readable', async () => {
    const dataDir = join(makeTempDir(), 'old-data');
    mkdirSync(join(dataDir, 'outbox', 'email'), { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'outbox', 'email', 'old.eml'), 'From: shop', { mode: 0o644 });
    if (!onPostgres) {
      // A database from an earlier start, world-readable.
      t = await startApp({ dataDir, listen: false });
      await t.close();
      t = undefined;
      for (const suffix of ['', '-wal', '-shm']) {
        const file = join(dataDir, `counterlink.sqlite${suffix}`);
        if (existsSync(file)) chmodSync(file, 0o644);
        else writeFileSync(file, '', { mode: 0o644 });
      }
      chmodSync(dataDir, 0o755);
    }
    t = await startApp({ dataDir, listen: false });
    expect(mode(dataDir)).toBe('700');
    const found = modes(dataDir);
    expect(found).toMatchObject({ outbox: '700', 'outbox/email': '700', 'outbox/email/old.eml': '600' });
    if (!onPostgres) expect(found['counterlink.sqlite']).toBe('600');
    for (const [path, m] of Object.entries(found)) expect({ path, m }).toEqual({ path, m: statSync(join(dataDir, path)).isDirectory() ? '700' : '600' });
  });
});
