/**
 * The text of an EPC QR code ("GiroCode", EPC069-12 version 002) that a banking app scans to fill
 * in a SEPA credit transfer. Rendering the QR image is the caller's job, at EPC_QR_ERROR_CORRECTION.
 */
import { validateCreditorReference } from './creditor-reference';
import { validateBic, validateIban } from './iban';

/** EPC069-12 asks for level M (15 %). */
export const EPC_QR_ERROR_CORRECTION = 'M' as const;
/** The whole payload, in UTF-8 bytes. */
export const EPC_QR_MAX_BYTES = 331;
export const EPC_NAME_MAX = 70;
export const EPC_NOTE_MAX = 70;
/** EUR 0.01 to EUR 999999999.99, in cents. */
export const EPC_MIN_AMOUNT = 1;
export const EPC_MAX_AMOUNT = 99_999_999_999;

export interface EpcQrInput {
  accountHolder: string;
  iban: string;
  bic?: string | null;
  /** Integer cents. */
  amount: number;
  creditorReference: string;
  /** Shown to the payer ("beneficiary to originator information"); Counterlink puts the refId here. */
  note?: string | null;
}

export type EpcQrErrorCode =
  | 'epc-name-missing'
  | 'epc-name-too-long'
  | 'epc-charset'
  | 'epc-iban-invalid'
  | 'epc-bic-invalid'
  | 'epc-amount-invalid'
  | 'epc-reference-invalid'
  | 'epc-note-too-long'
  | 'epc-too-long';

export interface EpcQrError {
  field: 'accountHolder' | 'iban' | 'bic' | 'amount' | 'creditorReference' | 'note' | 'payload';
  code: EpcQrErrorCode;
  detail: string;
  /** For epc-charset: the characters that cannot be sent. */
  characters?: string[];
}

export type EpcQrResult = { ok: true; payload: string; bytes: number } | { ok: false; errors: EpcQrError[] };

/**
 * Characters a SEPA transfer can carry in the name and note: printable ASCII and the Latin
 * letters of the ISO 8859 Latin sets that EPC069-12 admits (Latin-1 supplement, Latin
 * Extended-A, and the euro sign of 8859-15). Control characters are never allowed: a line break
 * in a name would shift every field after it.
 */
function isEpcCharacter(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0x17f) ||
    codePoint === 0x20ac
  );
}

/** The distinct characters of `text` that an EPC QR code cannot carry, in order of appearance. */
export function epcDisallowedCharacters(text: string): string[] {
  const bad = new Set<string>();
  for (const ch of text) if (!isEpcCharacter(ch.codePointAt(0)!)) bad.add(ch);
  return [...bad];
}

/** 1250 -> "EUR12.50". Integer cents in, a decimal string out: never a float on the way. */
export function formatEpcAmount(cents: number): string {
  const digits = String(cents).padStart(3, '0');
  return `EUR${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function checkText(
  field: 'accountHolder' | 'note',
  value: string,
  max: number,
  tooLong: EpcQrErrorCode,
  errors: EpcQrError[],
): void {
  const length = [...value].length;
  if (length > max) errors.push({ field, code: tooLong, detail: `At most ${max} characters, got ${length}.` });
  const characters = epcDisallowedCharacters(value);
  if (characters.length > 0) {
    errors.push({
      field,
      code: 'epc-charset',
      detail: `Characters a SEPA transfer cannot carry: ${characters.map((c) => JSON.stringify(c)).join(', ')}.`,
      characters,
    });
  }
}

export function buildEpcQrPayload(input: EpcQrInput): EpcQrResult {
  const errors: EpcQrError[] = [];

  const name = input.accountHolder.trim();
  if (name === '') errors.push({ field: 'accountHolder', code: 'epc-name-missing', detail: 'The account holder is required.' });
  else checkText('accountHolder', name, EPC_NAME_MAX, 'epc-name-too-long', errors);

  const iban = validateIban(input.iban);
  if (!iban.ok) errors.push({ field: 'iban', code: 'epc-iban-invalid', detail: iban.detail });

  let bic = '';
  if (input.bic !== undefined && input.bic !== null && input.bic.trim() !== '') {
    const checked = validateBic(input.bic);
    if (checked.ok) bic = checked.bic;
    else errors.push({ field: 'bic', code: 'epc-bic-invalid', detail: checked.detail });
  }

  if (!Number.isSafeInteger(input.amount) || input.amount < EPC_MIN_AMOUNT || input.amount > EPC_MAX_AMOUNT) {
    const detail = 'The amount must be whole cents from EUR 0.01 to EUR 999999999.99.';
    errors.push({ field: 'amount', code: 'epc-amount-invalid', detail });
  }

  const reference = validateCreditorReference(input.creditorReference);
  if (!reference.ok) errors.push({ field: 'creditorReference', code: 'epc-reference-invalid', detail: reference.detail });

  const note = (input.note ?? '').trim();
  checkText('note', note, EPC_NOTE_MAX, 'epc-note-too-long', errors);

  if (errors.length > 0 || !iban.ok || !reference.ok) return { ok: false, errors };

  const lines = [
    'BCD',
    '002',
    '1', // character set: UTF-8
    'SCT',
    bic,
    name,
    iban.iban,
    formatEpcAmount(input.amount),
    '', // purpose
    reference.reference, // structured remittance; the unstructured one must then stay empty
    '',
    note,
  ];
  // Trailing empty fields may be left out; the last line never ends with a separator.
  while (lines[lines.length - 1] === '') lines.pop();
  const payload = lines.join('\n');
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > EPC_QR_MAX_BYTES) {
    return {
      ok: false,
      errors: [{ field: 'payload', code: 'epc-too-long', detail: `The QR text is ${bytes} bytes; EPC allows ${EPC_QR_MAX_BYTES}.` }],
    };
  }
  return { ok: true, payload, bytes };
}
