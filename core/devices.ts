import type { CoreContext } from './context';
import type { DeviceRecord, DeviceRole } from './store/types';
import { DomainError, ValidationError, notFound } from './errors';
import { newId, randomString, sha256Hex } from './ids';
import { toIso, toIsoOrNull } from './clock';
import type { Actor } from './authorization';
import { LIMITS } from './limits';

/** No 0/O, 1/I/L: a code is read off a screen and typed on a tablet. */
export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
export const DEVICE_TOKEN_PREFIX = 'cld_';
export const DEVICE_ROLES: readonly DeviceRole[] = ['counter', 'display'];
/** `last_seen_at` is written at most this often, so a device's reads do not all turn into writes. */
const TOUCH_EVERY_MS = 60_000;

export interface DeviceView {
  id: string;
  name: string;
  role: DeviceRole;
  pointOfSaleId: string;
  createdAt: string;
  /** Last contact with the hub (to the minute), null before the first request. */
  lastSeenAt: string | null;
}

export function deviceView(d: DeviceRecord): DeviceView {
  return { id: d.id, name: d.name, role: d.role, pointOfSaleId: d.pointOfSaleId, createdAt: toIso(d.createdAt), lastSeenAt: toIsoOrNull(d.lastSeenAt) };
}

/** What a user types: case, spaces and hyphens do not matter. */
export function normalizePairingCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]+/g, '');
}

/**
 * Paired devices: a second till (`counter`) or a tablet (`display`) pairs once with a short
 * single-use code and gets a token bound to its role and point of sale. Codes and tokens are
 * stored as their SHA-256 only; the token is a 190-bit secret (like an API key), the code lives
 * ten minutes and is used once, under the public route's rate limit.
 */
export class DevicesService {
  constructor(private readonly ctx: CoreContext) {}

  /** `POST /pairing-codes`: a new code for a role and point of sale, shown this once. */
  async createPairingCode(input: Record<string, unknown>): Promise<{ code: string; expiresAt: string; role: DeviceRole; pointOfSaleId: string }> {
    const errors: { path: string; message: string; code: string }[] = [];
    if (!DEVICE_ROLES.includes(input.role as DeviceRole)) errors.push({ path: 'role', message: 'must be counter or display', code: 'enum' });
    if (typeof input.pointOfSaleId !== 'string' || input.pointOfSaleId.length < 1) errors.push({ path: 'pointOfSaleId', message: 'is required', code: 'required' });
    if (errors.length) throw new ValidationError(errors);
    const role = input.role as DeviceRole;
    const pointOfSaleId = input.pointOfSaleId as string;
    const { store, clock } = this.ctx;
    const code = randomString(PAIRING_CODE_LENGTH, PAIRING_ALPHABET);
    const now = clock.now();
    const expiresAt = now + PAIRING_CODE_TTL_MS;
    await store.tx(async (t) => {
      if (!(await t.pointsOfSale.get(pointOfSaleId))) throw ValidationError.field('pointOfSaleId', 'no point of sale with this id', 'unknown');
      await t.devices.purgeCodes(now - 24 * 3_600_000);
      await t.devices.insertCode({ codeHash: sha256Hex(code), role, pointOfSaleId, createdAt: now, expiresAt, usedAt: null });
    });
    return { code, expiresAt: toIso(expiresAt), role, pointOfSaleId };
  }

  /**
   * `POST /devices/pair`: one transaction that uses the code (conditionally: of two pairings
   * with one code exactly one wins) and makes the device. Unknown, used or expired: 401.
   */
  async pair(input: { code: string; name: string }): Promise<{ device: DeviceView; token: string }> {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length < 1 || name.length > LIMITS.name) throw ValidationError.field('name', `must be 1-${LIMITS.name} characters`, 'length', { min: 1, max: LIMITS.name });
    const code = typeof input.code === 'string' ? normalizePairingCode(input.code) : '';
    const invalid = (): DomainError => new DomainError('pairing-code-invalid', 'The pairing code is unknown, used or expired. Make a new one on the hub.');
    if (code.length !== PAIRING_CODE_LENGTH) throw invalid();
    const { store, clock, events } = this.ctx;
    const token = `${DEVICE_TOKEN_PREFIX}${randomString(32)}`;
    const device = await store.tx(async (t) => {
      const now = clock.now();
      const used = await t.devices.useCode(sha256Hex(code), now);
      if (!used) throw invalid();
      const record: DeviceRecord = { id: newId('dev'), name, role: used.role, pointOfSaleId: used.pointOfSaleId, createdAt: now, lastSeenAt: now, revokedAt: null };
      await t.devices.insert({ ...record, tokenHash: sha256Hex(token) });
      events.append(t, 'device.paired', deviceView(record));
      return record;
    });
    return { device: deviceView(device), token };
  }

  async list(): Promise<DeviceView[]> {
    return (await this.ctx.store.read((t) => t.devices.list())).map(deviceView);
  }

  /** Revoked at once: the next request with its token is a 401; `device.revoked` closes its open streams. */
  async revoke(id: string, actor?: Actor): Promise<void> {
    const { store, clock, events } = this.ctx;
    await store.tx(async (t) => {
      events.actAs(t, actor);
      const d = await t.devices.get(id);
      if (!d || d.revokedAt !== null || !(await t.devices.revoke(id, clock.now()))) throw notFound('device', id);
      events.append(t, 'device.revoked', deviceView(d));
    });
  }

  /** The working device for a token, or undefined (unknown, revoked). Records its last contact. */
  async authenticate(token: string): Promise<DeviceRecord | undefined> {
    if (typeof token !== 'string' || !token.startsWith(DEVICE_TOKEN_PREFIX) || token.length > 200) return undefined;
    const { store, clock } = this.ctx;
    const device = await store.read((t) => t.devices.byTokenHash(sha256Hex(token)));
    if (!device || device.revokedAt !== null) return undefined;
    const now = clock.now();
    if (device.lastSeenAt === null || now - device.lastSeenAt >= TOUCH_EVERY_MS) {
      await store.tx((t) => t.devices.touch(device.id, now));
      device.lastSeenAt = now;
    }
    return device;
  }
}
