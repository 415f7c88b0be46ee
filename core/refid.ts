import { BASE62, randomString } from './ids';

export const REF_ID_BASE_PATTERN = /^[A-Za-z0-9-]{1,13}$/;
export const REF_SEQ_MAX = 62 ** 4 - 1;

/** 1 -> "0001", 62 -> "0010": four base62 digits, alphabet 0-9A-Za-z. */
export function refSeqSuffix(seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > REF_SEQ_MAX) throw new RangeError(`refId sequence out of range: ${seq}`);
  let n = seq;
  let out = '';
  for (let i = 0; i < 4; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function paymentRefId(base: string, seq: number): string {
  return `${base}-${refSeqSuffix(seq)}`;
}

/** A generated base: 10 upper-case alphanumerics, easy to read out and to type into a bank form. */
export function generateRefIdBase(): string {
  return randomString(10, '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ');
}

/** True if `candidate` has the shape of a payment refId of some base (…-XXXX). */
export function looksLikePaymentRefId(candidate: string): { base: string } | undefined {
  const m = /^(.+)-[0-9A-Za-z]{4}$/.exec(candidate);
  return m ? { base: m[1]! } : undefined;
}
