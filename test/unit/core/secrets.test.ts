/**
 * Secrets at rest (core/secrets.ts): the AES-256-GCM box, the data key file (headless, wrapped
 * by the desktop keychain, or COUNTERLINK_SECRETS_KEY), and a database from before sealing.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AesGcmSecretBox, KEY_CHECK_SETTING, loadDataKey, openSecretBox, SecretsKeyError, SECRETS_KEY_FILE, SEALED_PREFIX, type Keychain } from '../../../core/secrets';
import { SETTINGS_LOCK } from '../../../core/settings';
import { createCore } from '../../../core/index';
import { type SqliteStore } from '../../../core/store/sqlite/adapter';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'counterlink-secrets-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A stand-in for Electron's safeStorage: reversible, and visibly not the key itself. */
function fakeKeychain(available = true): Keychain & { calls: number } {
  const mask = randomBytes(64);
  const xor = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ mask[i % mask.length]!));
  return {
    calls: 0,
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      this.calls++;
      return xor(Buffer.from(plain, 'utf8'));
    },
    decryptString(encrypted) {
      this.calls++;
      return xor(encrypted).toString('utf8');
    },
  };
}

describe('the secret box', () => {
  const box = new AesGcmSecretBox(randomBytes(32));

  it('seals to sealed:v1:<base64 iv|tag|ciphertext> with a fresh IV each time, and opens it', () => {
    const a = box.seal('Smtp-Pass-1');
    const b = box.seal('Smtp-Pass-1');
    expect(a.startsWith(SEALED_PREFIX)).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Smtp-Pass-1');
    expect(Buffer.from(a.slice(SEALED_PREFIX.length), 'base64').length).toBe(12 + 16 + 'Smtp-Pass-1'.length);
    expect(box.open(a)).toBe('Smtp-Pass-1');
    expect(box.open(box.seal(''))).toBe('');
    expect(box.open(box.seal('ünïcødé ✓'))).toBe('ünïcødé ✓');
  });

  it('reads a value stored before sealing as it is', () => {
    expect(box.open('plain-old-password')).toBe('plain-old-password');
  });

  it('refuses a tampered value or another key with a line that names no secret', () => {
    const sealed = box.seal('Very-Secret-42');
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => box.open(SEALED_PREFIX + raw.toString('base64'))).toThrow(SecretsKeyError);
    const other = new AesGcmSecretBox(randomBytes(32));
    expect(() => other.open(sealed)).toThrow(/cannot be opened with this data key/);
    try {
      other.open(sealed);
    } catch (err) {
      expect(String(err)).not.toContain('Very-Secret-42');
    }
    expect(() => new AesGcmSecretBox(randomBytes(16))).toThrow(SecretsKeyError);
  });
});

describe('the data key', () => {
  it('headless: made once in <dataDir>/secrets.key (0600), the same key on every start', () => {
    const dir = tempDir();
    const key = loadDataKey({ dataDir: dir });
    const file = join(dir, SECRETS_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, wrap: 'none', key: key.toString('base64') });
    expect(loadDataKey({ dataDir: dir }).equals(key)).toBe(true);
  });

  it('COUNTERLINK_SECRETS_KEY: used as it is, nothing written; a malformed one stops with what to do', () => {
    const dir = tempDir();
    const given = randomBytes(32);
    expect(loadDataKey({ dataDir: dir, envKey: given.toString('base64') }).equals(given)).toBe(true);
    expect(existsSync(join(dir, SECRETS_KEY_FILE))).toBe(false);
    expect(() => loadDataKey({ dataDir: dir, envKey: randomBytes(16).toString('base64') })).toThrow(/openssl rand -base64 32/);
    expect(() => loadDataKey({ dataDir: dir, envKey: 'not base64 !!' })).toThrow(SecretsKeyError);
  });

  it('desktop: the key file is wrapped by the OS keychain; a headless start on it stops with one line', () => {
    const dir = tempDir();
    const keychain = fakeKeychain();
    const key = loadDataKey({ dataDir: dir, keychain });
    const stored = JSON.parse(readFileSync(join(dir, SECRETS_KEY_FILE), 'utf8'));
    expect(stored.wrap).toBe('os-keychain');
    expect(stored.key).not.toBe(key.toString('base64'));
    expect(readFileSync(join(dir, SECRETS_KEY_FILE), 'utf8')).not.toContain(key.toString('base64'));
    expect(loadDataKey({ dataDir: dir, keychain }).equals(key)).toBe(true);
    let message = '';
    try {
      loadDataKey({ dataDir: dir });
    } catch (err) {
      expect(err).toBeInstanceOf(SecretsKeyError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/locked by the desktop app's OS keychain: start the Counterlink desktop app/);
    expect(message).not.toContain('\n');
    // Keychain present but not usable (e.g. no keyring on this Linux session): the same line.
    expect(() => loadDataKey({ dataDir: dir, keychain: fakeKeychain(false) })).toThrow(/OS keychain/);
  });

  it('the desktop app on a data directory a headless server made wraps the key from then on', () => {
    const dir = tempDir();
    const key = loadDataKey({ dataDir: dir });
    const keychain = fakeKeychain();
    expect(loadDataKey({ dataDir: dir, keychain }).equals(key)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, SECRETS_KEY_FILE), 'utf8')).wrap).toBe('os-keychain');
    expect(statSync(join(dir, SECRETS_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadDataKey({ dataDir: dir, keychain }).equals(key)).toBe(true);
  });

  it('uses the settings lock of core/settings.ts', async () => {
    const source = readFileSync(new URL('../../../core/secrets.ts', import.meta.url), 'utf8');
    expect(source).toContain(`const SETTINGS_LOCK = '${SETTINGS_LOCK}'`);
  });
});

describe('a database from before sealing', () => {
  it('is read meanwhile and sealed on the next start; another key stops the start with one line', async () => {
    const dir = tempDir();
    const databaseFile = join(dir, 'counterlink.sqlite');
    const first = await createCore({ databaseFile, baseUrl: 'http://x' });
    await first.settings.update({ email: { host: 'smtp.example.com', user: 'shop', password: 'Old-Plain-Pass-1' } });
    const db = (first.store as SqliteStore).db;
    // As an older version stored it: the password in plain text.
    const plain = { host: 'smtp.example.com', port: null, security: 'starttls', user: 'shop', password: 'Old-Plain-Pass-1', from: null };
    db.prepare("UPDATE settings SET value = ? WHERE key = 'email'").run(JSON.stringify(plain));
    expect(((await first.settings.all()) as { email: { passwordSet: boolean } }).email.passwordSet).toBe(true);
    expect(await first.store.read(async (t) => (await t.settings.get<{ password: string }>('email'))!.password)).toBe('Old-Plain-Pass-1');
    await first.close();

    const second = await createCore({ databaseFile, baseUrl: 'http://x' });
    const stored = JSON.parse(((second.store as SqliteStore).db.prepare("SELECT value FROM settings WHERE key = 'email'").get() as { value: string }).value);
    expect(stored.password.startsWith(SEALED_PREFIX)).toBe(true);
    expect(stored.host).toBe('smtp.example.com');
    expect(await second.store.read(async (t) => (await t.settings.get<{ password: string }>('email'))!.password)).toBe('Old-Plain-Pass-1');
    expect(await second.store.read((t) => t.settings.raw(KEY_CHECK_SETTING))).toMatch(/^sealed:v1:/);
    await second.close();

    const wrong = createCore({ databaseFile, baseUrl: 'http://x', secrets: openSecretBox({ dataDir: dir, envKey: randomBytes(32).toString('base64') }) });
    await expect(wrong).rejects.toThrow(SecretsKeyError);
    await expect(wrong).rejects.toThrow(/sealed with another data key: start with the secrets.key/);
  });
});
