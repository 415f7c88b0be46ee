import { randomBytes } from 'node:crypto';
import type { CoreContext } from './context';
import type { SessionRecord } from './store/types';
import { ValidationError } from './errors';
import { newId, sha256Hex } from './ids';
import { PIN_PATTERN, hashPin, pinMatches, type StoredPin } from './pins';

/** A session ends this long after its last use… */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** …and at the latest this long after login. */
export const SESSION_MAX_MS = 7 * 24 * 3_600_000;
/** `last_seen_at` is written at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 5 * 60_000;

const PIN_SETTING = 'staffPin';

export interface SessionLogin {
  /** Goes into the cookie; never stored. */
  token: string;
  session: SessionRecord;
}

/**
 * Staff sessions for the browser UI and the staff PIN. The PIN is stored as an scrypt hash
 * (salted, memory-hard: a 4-digit PIN is weak, so guessing must stay expensive even offline);
 * a session token is 256 random bits and only its SHA-256 is kept.
 */
export class SessionsService {
  constructor(private readonly ctx: CoreContext) {}

  async pinSet(): Promise<boolean> {
    return Boolean(await this.storedPin());
  }

  private storedPin(): Promise<StoredPin | null | undefined> {
    return this.ctx.store.read((t) => this.ctx.settings.stored<StoredPin | null>(t, PIN_SETTING));
  }

  /** Sets (or with null removes) the staff PIN. Every PIN session ends: the old PIN no longer opens anything. */
  async setPin(pin: string | null): Promise<void> {
    const { store, settings, clock } = this.ctx;
    if (pin !== null && (typeof pin !== 'string' || !PIN_PATTERN.test(pin))) {
      throw ValidationError.field('pin', 'must be 4 to 12 digits');
    }
    const stored: StoredPin | null = pin === null ? null : await hashPin(pin, clock.now());
    await store.tx(async (t) => {
      await settings.save(t, PIN_SETTING, stored);
      await t.sessions.deleteByMethod('pin');
    });
  }

  /** Constant-time check of a PIN against the stored hash; false when no PIN is set. */
  async verifyPin(pin: string): Promise<boolean> {
    return pinMatches(await this.storedPin(), pin);
  }

  async create(method: SessionRecord['method'], apiKeyId: string | null = null, staffUserId: string | null = null): Promise<SessionLogin> {
    const { store, clock } = this.ctx;
    const now = clock.now();
    const token = randomBytes(32).toString('base64url');
    const session: SessionRecord = {
      id: newId('ses'),
      tokenHash: sha256Hex(token),
      method,
      apiKeyId,
      staffUserId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_MAX_MS,
    };
    await store.tx(async (t) => {
      await t.sessions.purge(now, now - SESSION_IDLE_MS);
      await t.sessions.insert(session);
    });
    return { token, session };
  }

  /** The live session for a cookie token, or undefined (unknown, expired, idle too long, key revoked). */
  async authenticate(token: string): Promise<SessionRecord | undefined> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) return undefined;
    const { store, clock } = this.ctx;
    const found = await store.read((t) => t.sessions.byTokenHash(sha256Hex(token)));
    if (!found) return undefined;
    const now = clock.now();
    const { keyActive, userActive, ...session } = found;
    const ended = (session.method === 'api_key' && !keyActive) || (session.staffUserId !== null && !userActive);
    if (now >= session.expiresAt || now - session.lastSeenAt >= SESSION_IDLE_MS || ended) {
      await store.tx((t) => t.sessions.delete(session.id));
      return undefined;
    }
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) await store.tx((t) => t.sessions.touch(session.id, now));
    return session;
  }

  /** Logout: the token stops working at once. */
  async revoke(token: string): Promise<void> {
    if (typeof token !== 'string') return;
    await this.ctx.store.tx(async (t) => {
      const found = await t.sessions.byTokenHash(sha256Hex(token));
      if (found) await t.sessions.delete(found.id);
    });
  }
}
