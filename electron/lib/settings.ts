import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultHubSettings, parseHubSettings, type HubSettings } from './hub';

/**
 * The desktop shell's own settings: a small JSON file in Electron's userData folder, next to the
 * database. Everything here is about this machine (which screen, which port, this install's
 * staff credential); shop-wide settings live in the core's database.
 */
export interface DesktopSettings {
  /** Port of the embedded server; null = COUNTERLINK_PORT or the default 4780. */
  port: number | null;
  display: {
    /** Electron `Display.id` chosen for the counter display; null = automatic (a second screen if any). */
    screenId: number | null;
    /** Whether the counter display window is shown. */
    visible: boolean;
    /** Point of sale the counter display follows; null = the default point of sale. */
    pointOfSaleId: string | null;
  };
  notifications: {
    /** An OS notification on each successful payment. */
    enabled: boolean;
    sound: boolean;
  };
  /** The desktop UI's own API key, sealed with the OS keychain (safeStorage) when it is available. */
  staffKey: StoredSecret | null;
  /** Hub or counter of a hub (electron/lib/hub.ts): chosen at first start. */
  hub: HubSettings;
}

export type StoredSecret = { format: 'safeStorage'; data: string } | { format: 'plain'; data: string };

export const SETTINGS_FILE_NAME = 'desktop-settings.json';

export function defaultSettings(): DesktopSettings {
  return {
    port: null,
    display: { screenId: null, visible: true, pointOfSaleId: null },
    notifications: { enabled: true, sound: true },
    staffKey: null,
    hub: defaultHubSettings(),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function port(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535 ? value : null;
}

function screenId(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

const POINT_OF_SALE_ID = /^pos_[A-Za-z0-9]{1,64}$/;

function pointOfSaleId(value: unknown): string | null {
  return typeof value === 'string' && POINT_OF_SALE_ID.test(value) ? value : null;
}

function secret(value: unknown): StoredSecret | null {
  if (!isRecord(value) || typeof value.data !== 'string' || value.data.length === 0 || value.data.length > 4096) return null;
  if (value.format === 'safeStorage' || value.format === 'plain') return { format: value.format, data: value.data };
  return null;
}

/**
 * Reads settings field by field: a missing or malformed field gets its default, so a hand-edited
 * or older file never stops the app from starting.
 */
export function parseSettings(raw: unknown): DesktopSettings {
  const d = defaultSettings();
  if (!isRecord(raw)) return d;
  const display = isRecord(raw.display) ? raw.display : {};
  const notifications = isRecord(raw.notifications) ? raw.notifications : {};
  return {
    port: port(raw.port),
    display: {
      screenId: screenId(display.screenId),
      visible: bool(display.visible, d.display.visible),
      pointOfSaleId: pointOfSaleId(display.pointOfSaleId),
    },
    notifications: {
      enabled: bool(notifications.enabled, d.notifications.enabled),
      sound: bool(notifications.sound, d.notifications.sound),
    },
    staffKey: secret(raw.staffKey),
    hub: parseHubSettings(raw.hub),
  };
}

/** The file, read once and written atomically (temp file + rename) with owner-only permissions. */
export class SettingsFile {
  private current: DesktopSettings;

  constructor(readonly path: string) {
    this.current = SettingsFile.read(path);
  }

  private static read(path: string): DesktopSettings {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return defaultSettings();
    }
    try {
      return parseSettings(JSON.parse(text));
    } catch {
      // Corrupt (e.g. a power cut during a hand edit): keep it for inspection, start from defaults.
      try {
        renameSync(path, `${path}.corrupt`);
      } catch {
        /* ignore */
      }
      return defaultSettings();
    }
  }

  get(): DesktopSettings {
    return structuredClone(this.current);
  }

  /** Applies `change` to a copy, validates the result, persists it and returns it. */
  update(change: (draft: DesktopSettings) => void): DesktopSettings {
    const draft = this.get();
    change(draft);
    const next = parseSettings(JSON.parse(JSON.stringify(draft)) as unknown);
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    this.current = next;
    return this.get();
  }
}

/** The part of Electron's `safeStorage` this module needs (pass `safeStorage` itself). */
export interface SecretCodec {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export function sealSecret(value: string, codec: SecretCodec | undefined): StoredSecret {
  if (codec?.isEncryptionAvailable()) {
    return { format: 'safeStorage', data: codec.encryptString(value).toString('base64') };
  }
  return { format: 'plain', data: value };
}

/**
 * Opens a stored secret. `reseal` is true when it should be written again: it was kept in plain
 * text and encryption has become available.
 */
export function openSecret(stored: StoredSecret | null, codec: SecretCodec | undefined): { value: string | undefined; reseal: boolean } {
  if (!stored) return { value: undefined, reseal: false };
  const canEncrypt = codec?.isEncryptionAvailable() ?? false;
  if (stored.format === 'plain') return { value: stored.data, reseal: canEncrypt };
  if (!codec || !canEncrypt) return { value: undefined, reseal: false };
  try {
    return { value: codec.decryptString(Buffer.from(stored.data, 'base64')), reseal: false };
  } catch {
    // The OS keychain changed (new user profile, reinstalled OS): the old key is unreadable.
    return { value: undefined, reseal: false };
  }
}

export interface StaffKeyDeps {
  stored: StoredSecret | null;
  codec: SecretCodec | undefined;
  /** true when the key is known to the core and not revoked. */
  isValid(key: string): boolean | Promise<boolean>;
  /** Creates a new key for the desktop UI and returns it in plain text. */
  generate(): string | Promise<string>;
}

/**
 * The desktop UI's staff credential: the stored key if it still works, else a new one.
 * `store` is the value to persist, or undefined when the file is already right.
 */
export async function resolveStaffKey(deps: StaffKeyDeps): Promise<{ key: string; store: StoredSecret | undefined; generated: boolean }> {
  const { value, reseal } = openSecret(deps.stored, deps.codec);
  if (value !== undefined && (await deps.isValid(value))) {
    return { key: value, store: reseal ? sealSecret(value, deps.codec) : undefined, generated: false };
  }
  const key = await deps.generate();
  return { key, store: sealSecret(key, deps.codec), generated: true };
}
