import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the key is the base64-decoded
 * part of `whsec_…`; the signature is `v1,` + base64(HMAC-SHA256(key, "id.timestamp.body")).
 */
export const SECRET_PREFIX = 'whsec_';

/** whsec_ + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** base64 of 32 random bytes: an AES-256 key. */
export function newEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

export function signatureOf(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The `webhook-signature` header: one signature per secret, space-separated. */
export function signatureHeader(secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): string {
  return secrets.map((s) => signatureOf(s, messageId, timestampSeconds, body)).join(' ');
}

/** The aes-256-cbc variant's body: {"iv": base64, "data": base64(AES-256-CBC(PKCS#7) of the JSON body)}. */
export function encryptBody(plainJson: string, keyBase64: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', Buffer.from(keyBase64, 'base64'), iv);
  const data = Buffer.concat([cipher.update(plainJson, 'utf8'), cipher.final()]);
  return JSON.stringify({ iv: iv.toString('base64'), data: data.toString('base64') });
}

/** The receiver's side of `encryptBody` (tests and docs/webhooks.md). */
export function decryptBody(sent: string, keyBase64: string): string {
  const { iv, data } = JSON.parse(sent) as { iv: string; data: string };
  const decipher = createDecipheriv('aes-256-cbc', Buffer.from(keyBase64, 'base64'), Buffer.from(iv, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
}
