import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** A staff PIN: 4 to 12 digits. */
export const PIN_PATTERN = /^\d{4,12}$/;

/** A PIN at rest: its scrypt hash with the salt and cost it was made with. */
export interface StoredPin {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
  updatedAt: number;
}

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 };

function scrypt(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * Salted, memory-hard: a 4-digit PIN is weak, so guessing must stay expensive even offline (the
 * login limiter is what keeps it from being enumerated online).
 */
export async function hashPin(pin: string, now: number): Promise<StoredPin> {
  const salt = randomBytes(16);
  const hash = await scrypt(pin, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return { algorithm: 'scrypt', N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString('base64'), hash: hash.toString('base64'), updatedAt: now };
}

/** Constant-time check of a PIN against its stored hash; false without one. */
export async function pinMatches(stored: StoredPin | null | undefined, pin: unknown): Promise<boolean> {
  if (!stored || typeof pin !== 'string' || pin.length > 64) return false;
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await scrypt(pin, Buffer.from(stored.salt, 'base64'), expected.length, { N: stored.N, r: stored.r, p: stored.p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
