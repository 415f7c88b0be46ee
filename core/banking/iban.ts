/**
 * IBAN (ISO 13616) and BIC (ISO 9362) checks. Results carry a stable error code instead of a
 * boolean so that settings and the API can say what exactly is wrong with what staff typed.
 */

/**
 * IBAN length per country, from the SWIFT IBAN registry. Territories that use another country's
 * IBAN (Åland -> FI, Jersey -> GB, French overseas departments -> FR, …) are not listed: their
 * IBANs start with the parent's code.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = Object.freeze({
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28,
  IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24,
  SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
});

export type IbanErrorCode = 'iban-format' | 'iban-country-unknown' | 'iban-length' | 'iban-checksum';

export type IbanResult =
  | { ok: true; iban: string; country: string }
  | { ok: false; code: IbanErrorCode; detail: string };

export type BicErrorCode = 'bic-length' | 'bic-format';

export type BicResult = { ok: true; bic: string } | { ok: false; code: BicErrorCode; detail: string };

/** Payers paste IBANs with spaces (often non-breaking ones) and in lower case. */
export function normaliseIban(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** "DE89370400440532013000" -> "DE89 3704 0044 0532 0130 00", the way banks print it. */
export function formatIban(input: string): string {
  return groupsOfFour(normaliseIban(input));
}

export function groupsOfFour(text: string): string {
  return text.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * ISO 7064 mod 97-10 over an alphanumeric string (letters A=10 … Z=35), digit by digit so that
 * no number ever exceeds 2^53. Shared with ISO 11649 creditor references.
 */
export function mod97(alphanumeric: string): number {
  let rest = 0;
  for (const ch of alphanumeric) {
    const code = ch.charCodeAt(0);
    const value = code <= 57 ? code - 48 : code - 55;
    rest = value >= 10 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest;
}

export function validateIban(input: string): IbanResult {
  const iban = normaliseIban(input);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) {
    return {
      ok: false,
      code: 'iban-format',
      detail: 'An IBAN is two letters, two check digits and then letters and digits only.',
    };
  }
  const country = iban.slice(0, 2);
  const length = IBAN_LENGTHS[country];
  if (length === undefined) {
    return { ok: false, code: 'iban-country-unknown', detail: `${country} is not a country that uses IBANs.` };
  }
  if (iban.length !== length) {
    return {
      ok: false,
      code: 'iban-length',
      detail: `An IBAN from ${country} has ${length} characters, this one has ${iban.length}.`,
    };
  }
  // Check digits 00, 01 and 99 can never be produced (98 - n mod 97 is 2..98), though 00 and
  // 01 would pass the mod-97 test.
  const check = Number(iban.slice(2, 4));
  if (check < 2 || check > 98 || mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) {
    return { ok: false, code: 'iban-checksum', detail: 'The check digits do not match: a character is probably mistyped.' };
  }
  return { ok: true, iban, country };
}

export function isValidIban(input: string): boolean {
  return validateIban(input).ok;
}

/** Two check digits for a country and BBAN; used by tests and by anyone building IBANs. */
export function ibanCheckDigits(country: string, bban: string): string {
  const rest = mod97(normaliseIban(bban) + country.toUpperCase() + '00');
  return String(98 - rest).padStart(2, '0');
}

export function normaliseBic(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/**
 * ISO 9362: party prefix (4 letters or digits since 2014), country (2 letters), location (2),
 * optional branch (3) — the same pattern as the SEPA schemas' BICFIIdentifier.
 */
export function validateBic(input: string): BicResult {
  const bic = normaliseBic(input);
  if (bic.length !== 8 && bic.length !== 11) {
    return { ok: false, code: 'bic-length', detail: `A BIC has 8 or 11 characters, this one has ${bic.length}.` };
  }
  if (!/^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) {
    return {
      ok: false,
      code: 'bic-format',
      detail: 'A BIC is 4 letters or digits, a 2-letter country code, 2 letters or digits and an optional 3-character branch.',
    };
  }
  return { ok: true, bic };
}

export function isValidBic(input: string): boolean {
  return validateBic(input).ok;
}
