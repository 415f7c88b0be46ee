/**
 * ISO 11649 structured creditor references ("RF18 5390 0754 7034"): "RF", two check digits and a
 * body of 1-21 letters and digits, valid when (body + "RF" + check) mod 97 = 1.
 */
import { randomString } from '../ids';
import { groupsOfFour, mod97 } from './iban';

export const CREDITOR_REFERENCE_MAX_BODY = 21;

export type CreditorReferenceErrorCode = 'rf-format' | 'rf-length' | 'rf-checksum';

export type CreditorReferenceResult =
  | { ok: true; reference: string }
  | { ok: false; code: CreditorReferenceErrorCode; detail: string };

/** References are compared without regard to case or spaces (API.md). */
export function normaliseCreditorReference(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

export function formatCreditorReference(input: string): string {
  return groupsOfFour(normaliseCreditorReference(input));
}

function checkBody(body: string): void {
  if (!/^[A-Z0-9]{1,21}$/.test(body)) {
    throw new RangeError(`A creditor reference body is 1-21 letters and digits, got ${JSON.stringify(body)}.`);
  }
}

export function creditorReferenceCheckDigits(body: string): string {
  const normal = normaliseCreditorReference(body);
  checkBody(normal);
  return String(98 - mod97(normal + 'RF00')).padStart(2, '0');
}

/** "539007547034" -> "RF18539007547034". Throws RangeError for a body that cannot be one. */
export function createCreditorReference(body: string): string {
  const normal = normaliseCreditorReference(body);
  return `RF${creditorReferenceCheckDigits(normal)}${normal}`;
}

export function validateCreditorReference(input: string): CreditorReferenceResult {
  const reference = normaliseCreditorReference(input);
  if (!/^RF\d{2}[A-Z0-9]*$/.test(reference)) {
    return { ok: false, code: 'rf-format', detail: 'A creditor reference is "RF", two check digits, then letters and digits.' };
  }
  if (reference.length < 5 || reference.length > 4 + CREDITOR_REFERENCE_MAX_BODY) {
    return { ok: false, code: 'rf-length', detail: 'A creditor reference has 1 to 21 letters and digits after "RF" and the check digits.' };
  }
  if (!checksumHolds(reference)) {
    return { ok: false, code: 'rf-checksum', detail: 'The check digits do not match: a character is probably mistyped.' };
  }
  return { ok: true, reference };
}

export function isValidCreditorReference(input: string): boolean {
  return validateCreditorReference(input).ok;
}

/** Expects the normal form "RFnn…". Check digits 00, 01 and 99 are never issued. */
function checksumHolds(reference: string): boolean {
  const check = Number(reference.slice(2, 4));
  return check >= 2 && check <= 98 && mod97(reference.slice(4) + reference.slice(0, 4)) === 1;
}

/**
 * Every valid RF reference hidden in free text, best guess first. Banks move the reference into
 * the unstructured remittance, split by spaces or lower-cased, so spaces are taken out first —
 * which glues it to whatever follows ("RF18 5390 0754 7034 Rechnung 12"). Of the lengths that
 * pass the check sum, those that ended at a word boundary in the original text come first,
 * longest first; one of 97 random strings passes by chance, so callers that can look references
 * up should try them all in order.
 */
export function findCreditorReferences(text: string): string[] {
  // Strip whitespace but remember, for each kept character, whether a boundary followed it.
  let compact = '';
  const boundaryAfter: boolean[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (/\s/.test(ch)) continue;
    // One UTF-16 unit per kept character, so that indices line up with boundaryAfter.
    compact += /[A-Za-z0-9]/.test(ch) ? ch.toUpperCase() : '.';
    const next = chars[i + 1];
    boundaryAfter.push(next === undefined || !/[A-Za-z0-9]/.test(next));
  }
  const aligned: string[] = [];
  const others: string[] = [];
  const seen = new Set<string>();
  for (const m of compact.matchAll(/RF\d{2}/g)) {
    const start = m.index;
    const maxEnd = Math.min(compact.length, start + 4 + CREDITOR_REFERENCE_MAX_BODY);
    for (let end = maxEnd; end >= start + 5; end--) {
      const candidate = compact.slice(start, end);
      if (!/^RF\d{2}[A-Z0-9]+$/.test(candidate) || seen.has(candidate) || !checksumHolds(candidate)) continue;
      seen.add(candidate);
      (boundaryAfter[end - 1] ? aligned : others).push(candidate);
    }
  }
  return [...aligned, ...others];
}

export function findCreditorReference(text: string): string | undefined {
  return findCreditorReferences(text)[0];
}

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A fresh reference: `length` random base36 characters (default 12, about 62 bits: collisions
 * are for the store's unique index to catch, not for customers to meet) behind "RF" and the
 * check digits.
 */
export function generateCreditorReference(length = 12): string {
  if (!Number.isInteger(length) || length < 1 || length > CREDITOR_REFERENCE_MAX_BODY) {
    throw new RangeError(`A creditor reference body has 1-21 characters, not ${length}.`);
  }
  return createCreditorReference(randomString(length, BASE36));
}
