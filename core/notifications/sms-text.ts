import type { Locale } from '../links/types';
import { t } from './texts';

/**
 * SMS text: short, localized, with the link, and within one 160-character GSM-7 segment
 * whenever the link allows (a second segment costs money, UCS-2 text only holds 70 characters).
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export interface SmsEncoding {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) used. */
  units: number;
  segments: number;
}

export function smsEncoding(text: string): SmsEncoding {
  let units = 0;
  let gsm = true;
  for (const ch of text) {
    if (BASIC.has(ch)) units += 1;
    else if (EXTENDED.has(ch)) units += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  const codeUnits = text.length;
  return { encoding: 'UCS-2', units: codeUnits, segments: codeUnits <= 70 ? 1 : Math.ceil(codeUnits / 67) };
}

const TYPOGRAPHIC: Record<string, string> = {
  '\u00a0': ' ', // no-break space (fr/de number formats)
  '\u202f': ' ', // narrow no-break space (fr)
  '\u2009': ' ',
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00ab': '"',
  '\u00bb': '"',
};

/** Replaces characters outside GSM-7 by their nearest GSM-7 look-alike where there is one (ê -> e, ’ -> '). */
export function toGsm(text: string): string {
  let out = '';
  for (const ch of text) {
    if (BASIC.has(ch) || EXTENDED.has(ch)) out += ch;
    else if (TYPOGRAPHIC[ch] !== undefined) out += TYPOGRAPHIC[ch];
    else {
      const stripped = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += [...stripped].every((c) => BASIC.has(c) || EXTENDED.has(c)) ? stripped : ch;
    }
  }
  return out;
}

export interface SmsContent {
  merchant: string;
  /** The link's name. */
  name: string;
  /** Formatted amount, or null for an open amount / account info link. */
  amount: string | null;
  url: string;
  /** The merchant's own note, used instead of the standard text. */
  message: string | null;
  locale: Locale;
  isPayment: boolean;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 3)).trimEnd()}...`;
}

/** Candidate texts from the richest to the barest; the first that fits one segment wins. */
export function composeSms(c: SmsContent): string {
  const merchant = oneLine(c.merchant);
  const name = oneLine(c.name);
  const cta = t(c.locale, c.isPayment ? 'smsCta' : 'smsOpen');
  const sep = c.locale === 'fr' ? ' : ' : ': ';
  const candidates: string[] = [];
  if (c.message) {
    const message = oneLine(c.message);
    candidates.push(`${merchant}${sep}${message} ${c.url}`, `${message} ${c.url}`);
  }
  const what = [name, c.amount].filter(Boolean).join(', ');
  candidates.push(`${merchant}${sep}${what}. ${cta} ${c.url}`);
  // A long name is shortened before it is dropped; the amount stays longest.
  const withName = (max: number) => `${merchant}${sep}${[truncate(name, max), c.amount].filter(Boolean).join(', ')}. ${cta} ${c.url}`;
  candidates.push(withName(40), withName(24));
  if (c.amount) candidates.push(`${merchant}${sep}${c.amount}. ${cta} ${c.url}`);
  candidates.push(withName(12));
  candidates.push(`${truncate(merchant, 20)}${sep}${cta} ${c.url}`, `${cta} ${c.url}`, c.url);
  const texts = candidates.map(toGsm);
  return texts.find((text) => smsEncoding(text).segments === 1) ?? (c.message ? texts[0]! : texts[texts.length - 2]!);
}
