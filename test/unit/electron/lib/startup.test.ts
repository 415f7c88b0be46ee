import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_PORT,
  describeStartupError,
  localServerUrl,
  resolvePort,
  StartupTimeoutError,
  STARTUP_TIMEOUT_MS,
  withTimeout,
} from '../../../../electron/lib/startup';
import { createApp } from '../../../../server/create-app';

const where = { host: '0.0.0.0', port: 4780, dataDir: '/home/me/.config/Counterlink' };

describe('start-up: configuration', () => {
  it('COUNTERLINK_PORT wins, then the desktop settings, then 4780', () => {
    expect(resolvePort({ COUNTERLINK_PORT: '5000' }, 5000, 6000)).toBe(5000);
    expect(resolvePort({ COUNTERLINK_PORT: '0' }, 0, 6000)).toBe(0);
    expect(resolvePort({}, 4780, 6000)).toBe(6000);
    expect(resolvePort({ COUNTERLINK_PORT: ' ' }, 4780, null)).toBe(DEFAULT_PORT);
    expect(DEFAULT_PORT).toBe(4780);
  });

  it('the app’s own windows reach the server over loopback when it listens everywhere', () => {
    expect(localServerUrl('0.0.0.0', 4780)).toBe('http://127.0.0.1:4780');
    expect(localServerUrl('::', 4780)).toBe('http://[::1]:4780');
    expect(localServerUrl('localhost', 1)).toBe('http://127.0.0.1:1');
    expect(localServerUrl('192.168.1.20', 4780)).toBe('http://192.168.1.20:4780');
    expect(localServerUrl('fe80::1', 4780)).toBe('http://[fe80::1]:4780');
  });
});

describe('start-up: the readiness timeout', () => {
  it('resolves with the value when in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 1000)).resolves.toBe(42);
  });

  it('rejects with StartupTimeoutError when too slow', async () => {
    const err = await withTimeout(new Promise(() => {}), 20).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupTimeoutError);
    expect((err as Error).message).toMatch(/within 0 s/);
    expect(STARTUP_TIMEOUT_MS).toBe(15_000);
  });

  it('passes the start-up’s own error through', async () => {
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });
});

describe('start-up: what the error dialog says', () => {
  it('port in use names the port and how to change it', () => {
    const e = Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:4780'), { code: 'EADDRINUSE' });
    const d = describeStartupError(e, where);
    expect(d.title).toBe('Counterlink could not start');
    expect(d.message).toMatch(/Port 4780 is already in use/);
    expect(d.message).toMatch(/COUNTERLINK_PORT/);
    expect(d.message).toContain('desktop-settings.json');
  });

  it('timeout, permissions, bad address, database and anything else', () => {
    expect(describeStartupError(new StartupTimeoutError(15000), where).message).toMatch(/within 15 s/);
    expect(describeStartupError(Object.assign(new Error('x'), { code: 'EACCES' }), { ...where, port: 80 }).message).toMatch(/above 1024/);
    expect(describeStartupError(Object.assign(new Error('x'), { code: 'EADDRNOTAVAIL' }), where).message).toMatch(/COUNTERLINK_HOST/);
    expect(describeStartupError(new Error('Database has migration 009_x.sql that this version of Counterlink does not know. Upgrade the app.'), where).message).toMatch(
      /could not be opened[\s\S]*Upgrade the app/,
    );
    expect(describeStartupError('weird', where).message).toBe('weird');
    const abi = Object.assign(
      new Error("The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140."),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    expect(describeStartupError(abi, where).message).toMatch(/install-app-deps/);
  });
});

describe('start-up: against the real app', () => {
  let blocker: Server | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a taken port gives EADDRINUSE, which the dialog explains', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), 'counterlink-startup-'));
    const app = await createApp({ dataDir: dir, port, host: '127.0.0.1' });
    try {
      const err = await withTimeout(app.listen(), 5000).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('EADDRINUSE');
      expect(describeStartupError(err, { host: '127.0.0.1', port, dataDir: dir }).message).toContain(`Port ${port} is already in use`);
    } finally {
      await app.close();
    }
  });
});
