import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Signed receipts (issue #15). A receipt's QR code holds its key facts as `key=value` lines and,
 * last, `s=` with an Ed25519 signature (RFC 8032, base64url) over every line before it (UTF-8,
 * joined by "\n"). Anyone with the shop's public key can check it with any Ed25519 library,
 * without the shop's server (README "Signed receipts").
 */
export const RECEIPT_FORMAT = 'CLR1';

/** The line keys of a receipt's QR text, in order (README lists them). */
export const RECEIPT_FIELDS = {
  m: 'merchant name',
  v: 'VAT id',
  p: 'payment id',
  r: 'refId',
  d: 'completed at (RFC 3339, UTC)',
  a: 'amount paid, tip included, and currency',
  t: 'of which tip',
  x: 'refunded so far',
  k: 'payment method',
  f: 'fingerprint of the signing key',
} as const;

export interface StoredReceiptKey {
  /** PKCS#8 DER, base64: never leaves core. */
  privateKey: string;
  /** The raw 32-byte public key, base64. */
  publicKey: string;
  createdAt: string;
}

export function newReceiptKey(now: Date): StoredReceiptKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'), publicKey: rawPublicKey(publicKey).toString('base64'), createdAt: now.toISOString() };
}

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url');
}

/** First 16 bytes of SHA-256 over the raw public key, as 8 groups of 4 hex digits: printed on every receipt. */
export function fingerprintOf(publicKeyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex').slice(0, 32).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}

/** The receipt's QR text: the facts, then the signature line. */
export function signReceipt(facts: [string, string][], key: StoredReceiptKey): string {
  const body = [RECEIPT_FORMAT, ...facts.map(([k, v]) => `${k}=${v.replace(/[\r\n]+/g, ' ')}`)].join('\n');
  const privateKey = createPrivateKey({ key: Buffer.from(key.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  const signature = sign(null, Buffer.from(body, 'utf8'), privateKey).toString('base64url');
  return `${body}\ns=${signature}`;
}

export interface ReceiptCheck {
  valid: boolean;
  /** Why it is not valid: `format`, `signature`, `other-key` (signed, but not by this shop's key). */
  reason: null | 'format' | 'signature' | 'other-key';
  facts: Record<string, string>;
}

/** Checks a receipt's QR text against the shop's public key. */
export function verifyReceipt(text: string, publicKeyBase64: string): ReceiptCheck {
  const normalised = text.replace(/\r\n?/g, '\n').trim();
  const cut = normalised.lastIndexOf('\ns=');
  const lines = normalised.split('\n');
  if (lines[0] !== RECEIPT_FORMAT || cut < 0) return { valid: false, reason: 'format', facts: {} };
  const body = normalised.slice(0, cut);
  const facts: Record<string, string> = {};
  for (const line of body.split('\n').slice(1)) {
    const eq = line.indexOf('=');
    if (eq > 0) facts[line.slice(0, eq)] = line.slice(eq + 1);
  }
  let signature: Buffer;
  try {
    signature = Buffer.from(normalised.slice(cut + 3), 'base64url');
  } catch {
    return { valid: false, reason: 'format', facts };
  }
  if (signature.length !== 64) return { valid: false, reason: 'format', facts };
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKeyBase64, 'base64').toString('base64url') }, format: 'jwk' });
  const ok = verify(null, Buffer.from(body, 'utf8'), publicKey, signature);
  if (ok) return { valid: true, reason: null, facts };
  const ours = fingerprintOf(publicKeyBase64).replace(/ /g, '');
  return { valid: false, reason: facts.f && facts.f !== ours ? 'other-key' : 'signature', facts };
}
