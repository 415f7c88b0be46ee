import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultSettings,
  openSecret,
  parseSettings,
  resolveStaffKey,
  sealSecret,
  SettingsFile,
  SETTINGS_FILE_NAME,
  type SecretCodec,
} from '../../../../electron/lib/settings';

/** A stand-in for Electron's safeStorage: reversible, visibly not plain text. */
function fakeCodec(available = true): SecretCodec & { encrypted: string[] } {
  const encrypted: string[] = [];
  return {
    encrypted,
    isEncryptionAvailable: () => available,
    encryptString: (s) => {
      encrypted.push(s);
      return Buffer.from(`enc:${[...s].reverse().join('')}`);
    },
    decryptString: (b) => {
      const text = b.toString();
      if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return [...text.slice(4)].reverse().join('');
    },
  };
}

describe('desktop settings: parsing', () => {
  it('a missing or non-object file gives the defaults', () => {
    expect(parseSettings(undefined)).toEqual(defaultSettings());
    expect(parseSettings(null)).toEqual(defaultSettings());
    expect(parseSettings([1, 2])).toEqual(defaultSettings());
    expect(parseSettings('port=1')).toEqual(defaultSettings());
  });

  it('keeps valid fields and replaces each malformed one by its default', () => {
    const s = parseSettings({
      port: 8080,
      display: { screenId: 2779098405, visible: false, pointOfSaleId: 'pos_abcDEF123' },
      notifications: { enabled: false, sound: 'yes' },
      staffKey: { format: 'safeStorage', data: 'AAAA' },
      unknown: true,
    });
    expect(s).toEqual({
      port: 8080,
      display: { screenId: 2779098405, visible: false, pointOfSaleId: 'pos_abcDEF123' },
      notifications: { enabled: false, sound: true },
      staffKey: { format: 'safeStorage', data: 'AAAA' },
      hub: { role: null, joined: null },
    });
    const bad = parseSettings({
      port: 70000,
      display: { screenId: 1.5, visible: 'no', pointOfSaleId: '../../../../etc' },
      staffKey: { format: 'rot13', data: 'x' },
    });
    expect(bad.port).toBeNull();
    expect(bad.display).toEqual(defaultSettings().display);
    expect(bad.staffKey).toBeNull();
    expect(parseSettings({ port: 0 }).port).toBeNull();
    expect(parseSettings({ port: '4780' }).port).toBeNull();
  });
});

describe('desktop settings: the file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'counterlink-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts from defaults, persists updates and reads them back after a restart', () => {
    const path = join(dir, 'nested', SETTINGS_FILE_NAME);
    const file = new SettingsFile(path);
    expect(file.get()).toEqual(defaultSettings());
    expect(existsSync(path)).toBe(false);

    const next = file.update((s) => {
      s.display.screenId = 42;
      s.port = 4999;
    });
    expect(next.display.screenId).toBe(42);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ port: 4999, display: { screenId: 42 } });
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);

    expect(new SettingsFile(path).get()).toEqual(next);
  });

  it('get() hands out copies: changing one does not change the file', () => {
    const file = new SettingsFile(join(dir, SETTINGS_FILE_NAME));
    const copy = file.get();
    copy.display.visible = false;
    expect(file.get().display.visible).toBe(true);
  });

  it('an invalid value written by update() is normalized, not stored', () => {
    const file = new SettingsFile(join(dir, SETTINGS_FILE_NAME));
    const next = file.update((s) => {
      (s as { port: unknown }).port = 'lots';
      s.display.pointOfSaleId = 'pos_ok1';
    });
    expect(next.port).toBeNull();
    expect(next.display.pointOfSaleId).toBe('pos_ok1');
  });

  it('a corrupt file is set aside as .corrupt and the app starts from defaults', () => {
    const path = join(dir, SETTINGS_FILE_NAME);
    writeFileSync(path, '{"port": 80');
    const file = new SettingsFile(path);
    expect(file.get()).toEqual(defaultSettings());
    expect(readFileSync(`${path}.corrupt`, 'utf8')).toBe('{"port": 80');
  });
});

describe('desktop settings: the staff key', () => {
  it('is sealed with safeStorage when available, kept plain only when not', () => {
    const codec = fakeCodec();
    const sealed = sealSecret('clk_secret', codec);
    expect(sealed.format).toBe('safeStorage');
    expect(sealed.data).not.toContain('clk_secret');
    expect(openSecret(sealed, codec)).toEqual({ value: 'clk_secret', reseal: false });

    expect(sealSecret('clk_secret', undefined)).toEqual({ format: 'plain', data: 'clk_secret' });
    expect(sealSecret('clk_secret', fakeCodec(false))).toEqual({ format: 'plain', data: 'clk_secret' });
  });

  it('a plain key is resealed once encryption is available; an unreadable one is dropped', () => {
    expect(openSecret({ format: 'plain', data: 'k' }, fakeCodec())).toEqual({ value: 'k', reseal: true });
    expect(openSecret({ format: 'plain', data: 'k' }, undefined)).toEqual({ value: 'k', reseal: false });
    expect(openSecret({ format: 'safeStorage', data: Buffer.from('garbage').toString('base64') }, fakeCodec())).toEqual({ value: undefined, reseal: false });
    expect(openSecret({ format: 'safeStorage', data: 'x' }, undefined)).toEqual({ value: undefined, reseal: false });
    expect(openSecret(null, fakeCodec())).toEqual({ value: undefined, reseal: false });
  });

  it('first start: generates a key and asks to store it sealed', async () => {
    const codec = fakeCodec();
    let made = 0;
    const r = await resolveStaffKey({ stored: null, codec, isValid: () => false, generate: () => `clk_new${++made}` });
    expect(r).toMatchObject({ key: 'clk_new1', generated: true });
    expect(r.store?.format).toBe('safeStorage');
    expect(openSecret(r.store!, codec).value).toBe('clk_new1');
  });

  it('later starts: reuses a stored key that still works, without writing', async () => {
    const codec = fakeCodec();
    const stored = sealSecret('clk_kept', codec);
    const r = await resolveStaffKey({ stored, codec, isValid: (k) => k === 'clk_kept', generate: () => 'clk_other' });
    expect(r).toEqual({ key: 'clk_kept', store: undefined, generated: false });
  });

  it('a revoked or unknown key (e.g. a new database) is replaced', async () => {
    const codec = fakeCodec();
    const r = await resolveStaffKey({ stored: sealSecret('clk_old', codec), codec, isValid: () => false, generate: () => 'clk_fresh' });
    expect(r.key).toBe('clk_fresh');
    expect(r.generated).toBe(true);
  });

  it('works against the real core: the generated key authenticates', async () => {
    const { makeCore } = await import('../../../support/core');
    const { core } = await makeCore();
    try {
      const r = await resolveStaffKey({
        stored: null,
        codec: fakeCodec(),
        isValid: async (key) => (await core.apiKeys.authenticate(key)) !== undefined,
        generate: async () => (await core.apiKeys.generate('Desktop')).key,
      });
      expect((await core.apiKeys.authenticate(r.key))?.name).toBe('Desktop');
      const again = await resolveStaffKey({
        stored: r.store!,
        codec: fakeCodec(),
        isValid: async (key) => (await core.apiKeys.authenticate(key)) !== undefined,
        generate: async () => (await core.apiKeys.generate('Desktop')).key,
      });
      expect(again).toMatchObject({ key: r.key, generated: false });
    } finally {
      await core.close();
    }
  });
});
