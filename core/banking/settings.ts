import type { Tx } from '../store/port';
import type { SettingsSection, SettingsService } from '../settings';
import type { Checker } from '../validate';
import { validateBic, validateIban } from './iban';
import { EPC_NAME_MAX, epcDisallowedCharacters } from './epc-qr';

export const BANK_TRANSFER_KEY = 'bankTransfer';

export interface BankTransferSettings {
  /** The name the bank has for the account: payers' banks check it (verification of payee). */
  accountHolder: string | null;
  /** Stored without spaces, upper case. */
  iban: string | null;
  bic: string | null;
  /** How long a transfer payment waits for its money (and holds its link). */
  holdDays: number;
}

export const BANK_TRANSFER_DEFAULTS: BankTransferSettings = { accountHolder: null, iban: null, bic: null, holdDays: 7 };

export async function bankTransferSettings(settings: SettingsService, t: Tx): Promise<BankTransferSettings> {
  return { ...BANK_TRANSFER_DEFAULTS, ...(await settings.stored<Partial<BankTransferSettings>>(t, BANK_TRANSFER_KEY)) };
}

/** settings.bankTransfer (API.md "Bank transfer (SEPA)"): checked field by field, with codes. */
export function bankTransferSection(settings: SettingsService): SettingsSection<BankTransferSettings & { configured: boolean }> {
  return {
    key: BANK_TRANSFER_KEY,
    async read(t) {
      const s = await bankTransferSettings(settings, t);
      return { ...s, configured: s.accountHolder !== null && s.iban !== null };
    },
    async update(t, patch: unknown, c: Checker): Promise<void> {
      const path = (f: string) => `${BANK_TRANSFER_KEY}.${f}`;
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
        c.fail(BANK_TRANSFER_KEY, 'must be an object {accountHolder, iban, bic, holdDays}', 'type', { expected: 'object' });
        return;
      }
      const p = patch as Record<string, unknown>;
      const next = await bankTransferSettings(settings, t);
      const before = c.errors.length;
      for (const key of Object.keys(p)) {
        if (!['accountHolder', 'iban', 'bic', 'holdDays'].includes(key)) c.fail(path(key), 'is not a bankTransfer field', 'unknown-field');
      }
      if (p.accountHolder !== undefined) {
        const v = p.accountHolder;
        if (v === null) next.accountHolder = null;
        else if (typeof v !== 'string' || v.trim() === '') c.fail(path('accountHolder'), 'must be the account holder’s name', 'required');
        else if (v.trim().length > EPC_NAME_MAX) c.fail(path('accountHolder'), `must be at most ${EPC_NAME_MAX} characters`, 'too-long', { max: EPC_NAME_MAX });
        else if (epcDisallowedCharacters(v).length > 0) {
          const chars = epcDisallowedCharacters(v).join(' ');
          c.fail(path('accountHolder'), `contains characters banking apps cannot take: ${chars}`, 'charset', { characters: chars });
        } else next.accountHolder = v.trim();
      }
      if (p.iban !== undefined) {
        if (p.iban === null) next.iban = null;
        else if (typeof p.iban !== 'string') c.fail(path('iban'), 'must be an IBAN such as DE89 3704 0044 0532 0130 00', 'iban-format');
        else {
          const r = validateIban(p.iban);
          if (r.ok) next.iban = r.iban;
          else c.fail(path('iban'), r.detail, r.code);
        }
      }
      if (p.bic !== undefined) {
        if (p.bic === null || p.bic === '') next.bic = null;
        else if (typeof p.bic !== 'string') c.fail(path('bic'), 'must be 8 or 11 characters', 'bic-format');
        else {
          const r = validateBic(p.bic);
          if (r.ok) next.bic = r.bic;
          else c.fail(path('bic'), r.detail, r.code);
        }
      }
      if (p.holdDays !== undefined) {
        if (typeof p.holdDays !== 'number' || !Number.isInteger(p.holdDays) || p.holdDays < 1 || p.holdDays > 30) {
          c.fail(path('holdDays'), 'must be a whole number of days from 1 to 30', 'range', { min: 1, max: 30 });
        } else next.holdDays = p.holdDays;
      }
      if (c.errors.length === before) await settings.save(t, BANK_TRANSFER_KEY, next);
    },
  };
}
