import { domainToASCII } from 'node:url';
import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

/**
 * Recipients: an email address (checked, domain lower-cased and in ASCII) or a phone number
 * (normalised to E.164). Anything that could smuggle a header or a second recipient is refused.
 */

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_PART = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A normalised address, or undefined when it is not one we can send to. */
export function normaliseEmail(input: string): string | undefined {
  const text = input.trim();
  if (text.length > 254 || /[\s\0]/.test(text)) return undefined;
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return undefined;
  const local = text.slice(0, at);
  const domainText = text.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return undefined;
  if (domainText.endsWith('.')) return undefined;
  const domain = domainToASCII(domainText.toLowerCase());
  if (!domain || domain.length > 253) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  const tld = labels[labels.length - 1]!;
  if (!/^[a-z]{2,63}$/.test(tld) && !/^xn--[a-z0-9-]{1,59}$/.test(tld)) return undefined;
  return `${local}@${domain}`;
}

/** "shop@example.com" or "My Shop <shop@example.com>" -> its parts; undefined if malformed. */
export function parseMailbox(text: string): { name: string | null; address: string } | undefined {
  const trimmed = text.trim();
  const match = /^(?:"?([^"<>\r\n]{0,200}?)"?\s*)?<([^<>\s]+)>$/.exec(trimmed);
  if (match) {
    const address = normaliseEmail(match[2]!);
    return address ? { name: match[1]?.trim() || null, address } : undefined;
  }
  const address = normaliseEmail(trimmed);
  return address ? { name: null, address } : undefined;
}

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * A phone number in E.164. A number without a country code (no leading + or 00) is read in
 * `country` (the link's, else the merchant's); without one it cannot be read.
 */
export function normalisePhone(input: string, country: string | null): PhoneResult {
  const text = input.trim();
  if (text.length > 40 || !/^[+\d\s().\-/]+$/.test(text)) return { ok: false, reason: 'must be a phone number such as +49 151 23456789' };
  const international = text.startsWith('+');
  const defaultCountry = country && isSupportedCountry(country) ? (country as CountryCode) : undefined;
  if (!international && !defaultCountry) {
    return { ok: false, reason: 'has no country code: write it as +<country code> <number>, or set the link’s country or the merchant’s country' };
  }
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'is not a valid phone number' };
  return { ok: true, e164: parsed.number };
}
