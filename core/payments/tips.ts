import type { Checker } from '../validate';
import { ValidationError } from '../errors';
import { parseAmount, formatAmount, type Minor } from '../money';

/**
 * Tips (issue #15): a point of sale turns them on with up to three preset percentages; the payer
 * picks one or types their own amount before paying. The tip is part of the payment's amount and
 * shown apart as `tipAmount`; a link's limits count the amount without it.
 */
export interface TipSettings {
  enabled: boolean;
  /** Percentages offered as buttons, e.g. [5, 10, 15]; 0 < p <= 100, at most two decimals. */
  presets: number[];
}

export const TIP_PRESETS_MAX = 3;
export const TIPS_OFF: TipSettings = { enabled: false, presets: [] };

/**
 * A plausible tip is at most the amount it tips on (100 %): more than that is a typo (an amount
 * typed into the tip field), not generosity.
 */
export function maxTip(base: Minor): Minor {
  return base;
}

/** `percent` of `base`, rounded half up to a minor unit, in integers (percent has <= 2 decimals). */
export function tipForPercent(base: Minor, percent: number): Minor {
  const basisPoints = Math.round(percent * 100); // 12.5 % -> 1250
  return Math.floor((base * basisPoints + 5_000) / 10_000);
}

/** Validates a PATCH/POST of a point of sale's `tips`. */
export function checkTipSettings(c: Checker, value: unknown, path = 'tips'): TipSettings | undefined {
  if (value === null) return { ...TIPS_OFF };
  if (typeof value !== 'object' || Array.isArray(value)) return c.fail(path, 'must be an object {enabled, presets}', 'type', { expected: 'object' });
  const v = value as Record<string, unknown>;
  const before = c.errors.length;
  if (typeof v.enabled !== 'boolean') c.fail(`${path}.enabled`, 'must be true or false', 'type', { expected: 'boolean' });
  const presets = v.presets ?? [];
  if (!Array.isArray(presets)) c.fail(`${path}.presets`, 'must be a list of percentages', 'type', { expected: 'array' });
  else {
    if (presets.length > TIP_PRESETS_MAX) c.fail(`${path}.presets`, `at most ${TIP_PRESETS_MAX} presets`, 'maxItems', { limit: TIP_PRESETS_MAX });
    presets.forEach((p: unknown, i) => {
      if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0 || p > 100 || Math.round(p * 100) !== p * 100) {
        c.fail(`${path}.presets[${i}]`, 'must be a percentage above 0 and at most 100, with at most two decimals', 'tip-percent', { min: 0, max: 100 });
      }
    });
    if (new Set(presets).size !== presets.length) c.fail(`${path}.presets`, 'must not repeat a percentage', 'uniqueItems');
  }
  if (c.errors.length > before) return undefined;
  return { enabled: v.enabled as boolean, presets: [...(presets as number[])].sort((a, b) => a - b) };
}

/**
 * The tip a payer asked for, in minor units: a decimal string or number >= 0 ("0" is no tip). Refused
 * (422 on `tip`) when the point of sale takes no tips, when negative, or when above `maxTip`.
 */
export function parseTip(input: unknown, currency: string, base: Minor, settings: TipSettings | null): Minor {
  if (input === undefined || input === null || input === '') return 0;
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : undefined;
  if (text !== undefined && /^0+(?:\.0+)?$/.test(text)) return 0; // "no tip", said explicitly
  if (!settings?.enabled) throw ValidationError.field('tip', 'this point of sale takes no tips', 'tips-disabled');
  if (text !== undefined && /^-/.test(text)) throw ValidationError.field('tip', 'must not be negative', 'tip-negative', { min: 0 });
  const tip = parseAmount(input, currency, 'tip');
  const max = maxTip(base);
  if (tip > max) throw ValidationError.field('tip', `must be at most ${formatAmount(max, currency)} (the amount itself)`, 'tip-too-high', { max: formatAmount(max, currency) });
  return tip;
}
