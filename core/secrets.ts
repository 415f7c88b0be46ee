import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './store/port';

/** The settings lock (core/settings.ts `SETTINGS_LOCK`; a unit test keeps the two equal). */
const SETTINGS_LOCK = 'settings';

/**
 * Secrets at rest (issue 11): the shop's SMTP password, SMS gateway auth, Stripe keys, webhook
 * secrets and the receipt signing key are stored sealed, each with AES-256-GCM under one random
 * 32-byte data key. The data key lives in `<dataDir>/secrets.key` (0600): wrapped by the OS
 * keychain (Electron safeStorage) where the desktop app runs, so the file alone is useless off
 * that user account; unwrapped for a headless server, unless COUNTERLINK_SECRETS_KEY gives it
 * (then nothing is written). A value that is not sealed (a database from before) is read as it is
 * and sealed at the next start (`sealStoredSecrets`).
 */
export interface SecretBox {
  /** `sealed:v1:<base64 iv|tag|ciphertext>`. */
  seal(plain: string): string;
  /** The plain value of a sealed one; a value that is not sealed (stored before sealing) as it is. */
  open(stored: string): string;
}

export const SEALED_PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;
export const SECRETS_KEY_FILE = 'secrets.key';

/** Starting with a data key that cannot be used: one line saying what to do, never a secret. */
export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

export class AesGcmSecretBox implements SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== DATA_KEY_BYTES) throw new SecretsKeyError(`The secrets data key must be ${DATA_KEY_BYTES} bytes.`);
    this.key = Buffer.from(key);
  }

  /** A box with a key of its own that dies with the process: an in-memory database's. */
  static ephemeral(): AesGcmSecretBox {
    return new AesGcmSecretBox(randomBytes(DATA_KEY_BYTES));
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretsKeyError('A stored secret is damaged (too short to be sealed).');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretsKeyError('A stored secret cannot be opened with this data key (another secrets.key or COUNTERLINK_SECRETS_KEY sealed it).');
    }
  }
}

/** The part of Electron's `safeStorage` that wraps the data key (pass `safeStorage` itself). */
export interface Keychain {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

interface KeyFile {
  version: 1;
  /** `os-keychain`: `key` is the data key wrapped by safeStorage; `none`: the key itself. */
  wrap: 'none' | 'os-keychain';
  key: string;
}

export interface DataKeyOptions {
  dataDir: string;
  /** COUNTERLINK_SECRETS_KEY: base64 of 32 bytes. Given, it is the key and nothing is written. */
  envKey?: string | undefined;
  /** The desktop app's OS keychain; none for a headless server. */
  keychain?: Keychain | undefined;
}

function parseEnvKey(value: string): Buffer {
  const key = Buffer.from(value.trim(), 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.trim()) || key.length !== DATA_KEY_BYTES) {
    throw new SecretsKeyError('COUNTERLINK_SECRETS_KEY must be 32 random bytes in base64 (make one with: openssl rand -base64 32).');
  }
  return key;
}

function readKeyFile(file: string): KeyFile {
  let parsed: Partial<KeyFile>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeyFile>;
  } catch {
    throw new SecretsKeyError(`${file} is not a Counterlink secrets key file: restore it from a backup, or set COUNTERLINK_SECRETS_KEY.`);
  }
  if (parsed.version !== 1 || (parsed.wrap !== 'none' && parsed.wrap !== 'os-keychain') || typeof parsed.key !== 'string') {
    throw new SecretsKeyError(`${file} is not a Counterlink secrets key file: restore it from a backup, or set COUNTERLINK_SECRETS_KEY.`);
  }
  return parsed as KeyFile;
}

/** Written whole or not at all (a crash mid-write must not lose the only copy of the key), 0600. */
function writeKeyFile(file: string, content: KeyFile, exclusive: boolean): void {
  const text = `${JSON.stringify(content)}\n`;
  if (exclusive) {
    writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  } else {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, file);
  }
  chmodSync(file, 0o600);
}

function wrappable(keychain: Keychain | undefined): keychain is Keychain {
  try {
    return keychain?.isEncryptionAvailable() === true;
  } catch {
    return false;
  }
}

/**
 * The data key for this data directory: from COUNTERLINK_SECRETS_KEY, else `secrets.key` (made on
 * first start, wrapped by the keychain when there is one). A key file the keychain wrapped cannot
 * be used without it: a headless server on the desktop app's data directory stops with one line.
 */
export function loadDataKey({ dataDir, envKey, keychain }: DataKeyOptions): Buffer {
  if (envKey !== undefined && envKey.trim() !== '') return parseEnvKey(envKey);
  const file = join(dataDir, SECRETS_KEY_FILE);
  if (!existsSync(file)) {
    const key = randomBytes(DATA_KEY_BYTES);
    const content: KeyFile = wrappable(keychain)
      ? { version: 1, wrap: 'os-keychain', key: keychain.encryptString(key.toString('base64')).toString('base64') }
      : { version: 1, wrap: 'none', key: key.toString('base64') };
    try {
      writeKeyFile(file, content, true);
      return key;
    } catch (err) {
      // Another process of this data directory made it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(file, 0o600);
  const stored = readKeyFile(file);
  if (stored.wrap === 'os-keychain') {
    if (!wrappable(keychain)) {
      throw new SecretsKeyError(
        `${file} is locked by the desktop app's OS keychain: start the Counterlink desktop app as the same user, or give this server the key with COUNTERLINK_SECRETS_KEY (see README, "Secrets at rest").`,
      );
    }
    let key: Buffer;
    try {
      key = Buffer.from(keychain.decryptString(Buffer.from(stored.key, 'base64')), 'base64');
    } catch {
      throw new SecretsKeyError(`${file} was locked by another user's OS keychain: start Counterlink as the user who set it up, or restore the secrets from a backup.`);
    }
    if (key.length !== DATA_KEY_BYTES) throw new SecretsKeyError(`${file} is damaged: restore it from a backup, or set COUNTERLINK_SECRETS_KEY.`);
    return key;
  }
  const key = Buffer.from(stored.key, 'base64');
  if (key.length !== DATA_KEY_BYTES) throw new SecretsKeyError(`${file} is damaged: restore it from a backup, or set COUNTERLINK_SECRETS_KEY.`);
  // The desktop app on a data directory a headless server made: wrap the key from now on.
  if (wrappable(keychain)) writeKeyFile(file, { version: 1, wrap: 'os-keychain', key: keychain.encryptString(key.toString('base64')).toString('base64') }, false);
  return key;
}

/** The box for a data directory (see `loadDataKey`). */
export function openSecretBox(options: DataKeyOptions): SecretBox {
  return new AesGcmSecretBox(loadDataKey(options));
}

/**
 * The secret fields of stored settings, by settings key: sealed on write, opened on read, by the
 * settings repository. A feature that keeps a new secret in settings adds its path here.
 */
export const SEALED_SETTING_FIELDS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  email: [['password']],
  sms: [['auth']],
  stripe: [
    ['test', 'secretKey'],
    ['test', 'webhookSecret'],
    ['live', 'secretKey'],
    ['live', 'webhookSecret'],
  ],
  receiptSigningKey: [['privateKey']],
};

/** The settings row that proves the data key is the one the database's secrets were sealed with. */
export const KEY_CHECK_SETTING = 'secretsKeyCheck';
export const KEY_CHECK_PLAIN = 'counterlink secrets key check v1';

type Bag = Record<string, unknown>;

function mapFields(key: string, value: unknown, fn: (s: string) => string): unknown {
  const paths = SEALED_SETTING_FIELDS[key];
  if (!paths || typeof value !== 'object' || value === null) return value;
  const out = structuredClone(value) as Bag;
  for (const path of paths) {
    let bag: Bag | undefined = out;
    for (const part of path.slice(0, -1)) {
      const next: unknown = bag[part];
      bag = typeof next === 'object' && next !== null ? (next as Bag) : undefined;
      if (!bag) break;
    }
    const leaf = path[path.length - 1]!;
    if (bag && typeof bag[leaf] === 'string') bag[leaf] = fn(bag[leaf]);
  }
  return out;
}

/** A settings value as stored: its secret fields sealed (already sealed ones stay as they are). */
export function sealSettingFields(box: SecretBox, key: string, value: unknown): unknown {
  return mapFields(key, value, (s) => (isSealed(s) ? s : box.seal(s)));
}

/** A stored settings value as the feature reads it: its secret fields opened. */
export function openSettingFields(box: SecretBox, key: string, value: unknown): unknown {
  return mapFields(key, value, (s) => box.open(s));
}

/** True when a stored settings value still holds a secret in plain text. */
export function hasPlainSettingFields(key: string, value: unknown): boolean {
  let plain = false;
  mapFields(key, value, (s) => {
    if (!isSealed(s)) plain = true;
    return s;
  });
  return plain;
}

/** A nullable column's value as stored / as read. */
export function sealNullable(box: SecretBox, value: string | null): string | null {
  return value === null || isSealed(value) ? value : box.seal(value);
}

export function openNullable(box: SecretBox, value: string | null): string | null {
  return value === null ? null : box.open(value);
}

/**
 * At start, in one transaction: the data key must be the one this database's secrets were sealed
 * with (a sealed check value proves it; a wrong key stops the start with one line, before any
 * request could fail on a secret), and secrets still stored in plain text (a database from before
 * sealing, read meanwhile as they are) are sealed now.
 */
export async function sealStoredSecrets(store: Store, box: SecretBox): Promise<{ sealed: number }> {
  return store.tx(async (t) => {
    await t.lock(SETTINGS_LOCK);
    const check = await t.settings.raw(KEY_CHECK_SETTING);
    if (check === undefined) {
      await t.settings.set(KEY_CHECK_SETTING, box.seal(KEY_CHECK_PLAIN));
    } else {
      let opened: string | undefined;
      try {
        opened = typeof check === 'string' && isSealed(check) ? box.open(check) : undefined;
      } catch {
        opened = undefined;
      }
      if (opened !== KEY_CHECK_PLAIN) {
        throw new SecretsKeyError(
          'The secrets in this database were sealed with another data key: start with the secrets.key this data directory was set up with, or give every server on this database the same COUNTERLINK_SECRETS_KEY.',
        );
      }
    }
    const sealed = (await t.settings.sealPlain()) + (await t.webhooks.sealPlain());
    return { sealed };
  });
}
