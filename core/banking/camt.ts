/**
 * ISO 20022 bank-to-customer statements — camt.052 (intraday report), camt.053 (statement),
 * camt.054 (debit/credit notification), message versions .001.02 to .001.13 — reduced to what
 * reconciliation needs: the booked EUR credits, one per transaction, and booked reversals.
 */
import { sha256Hex } from '../ids';
import { normaliseIban, validateIban } from './iban';
import { StatementError } from './statement-error';
import { attribute, child, elements, parseXml, text, texts, type XmlElement } from './xml';

export { MAX_STATEMENT_BYTES } from './xml';

export type StatementKind = 'camt.052' | 'camt.053' | 'camt.054';

const SHAPES: Record<StatementKind, { message: string; item: string }> = {
  'camt.052': { message: 'BkToCstmrAcctRpt', item: 'Rpt' },
  'camt.053': { message: 'BkToCstmrStmt', item: 'Stmt' },
  'camt.054': { message: 'BkToCstmrDbtCdtNtfctn', item: 'Ntfctn' },
};

export const MIN_CAMT_VERSION = 2;
export const MAX_CAMT_VERSION = 13;

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[234])\.001\.(\d{2})$/;

/** Elements that may repeat anywhere we read: always arrays after parsing. */
const REPEATABLE = new Set(['Rpt', 'Stmt', 'Ntfctn', 'Ntry', 'NtryDtls', 'TxDtls', 'Strd', 'Ustrd', 'Bal', 'AdrLine']);

export type StatementAccount = { iban: string } | { other: string };

export interface StatementInfo {
  id: string;
  account: StatementAccount;
  /** The account's currency, when the bank says. */
  currency: string | null;
}

export interface StatementTransaction {
  /**
   * Stable across files: the bank's AcctSvcrRef when there is one, else a hash of what the payer
   * sent. The same credit in the intraday camt.052 and the night's camt.053 gets the same key.
   */
  dedupeKey: string;
  statementId: string;
  statementIndex: number;
  entryIndex: number;
  /** Index of the TxDtls in its entry; null for an entry without details. */
  txIndex: number | null;
  /** The entry carried several transactions. */
  batch: boolean;
  /** Integer cents. */
  amount: number;
  currency: 'EUR';
  bookedOn: string;
  valueDate: string | null;
  debtorName: string | null;
  debtorIban: string | null;
  /** Every RmtInf/Strd/CdtrRefInf/Ref, as sent (not checked). */
  structuredReferences: string[];
  /** The RmtInf/Ustrd lines joined by spaces. */
  remittance: string | null;
  /** Null when absent or "NOTPROVIDED". */
  endToEndId: string | null;
  accountServicerRef: string | null;
  /** Money sent back to us (RtrInf, or bank transaction code …/RRTN), not a payer paying. */
  isReturn: boolean;
  additionalInfo: string | null;
}

export type StatementCredit = StatementTransaction;

export interface StatementReversal extends StatementTransaction {
  /** DBIT: a credit taken back (the case that matters); CRDT: a debit undone. */
  creditDebit: 'CRDT' | 'DBIT';
}

export interface ParsedStatement {
  kind: StatementKind;
  /** Message version: 2 for camt.053.001.02 … 13 for .001.13. */
  version: number;
  namespace: string;
  messageId: string;
  statements: StatementInfo[];
  credits: StatementCredit[];
  reversals: StatementReversal[];
  /** Things staff should know that did not stop the import (e.g. a batch that could not be split). */
  warnings: string[];
}

function invalid(detail: string): StatementError {
  return new StatementError('statement-invalid', detail);
}

/**
 * Decimal text -> integer cents, exactly. Statements may carry up to five decimals ("100.00000");
 * trailing zeros are fine, a real fraction of a cent is not an amount a EUR account can book.
 */
export function parseStatementAmount(value: string): number {
  const m = /^\+?(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw invalid(`${JSON.stringify(value)} is not an amount.`);
  const whole = m[1]!.replace(/^0+(?=\d)/, '') || '0';
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) throw invalid(`The amount ${value} has a fraction of a cent.`);
  if (whole.length > 13) throw invalid(`The amount ${value} is too large.`);
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

function dateOf(value: string | undefined): string | undefined {
  const d = value?.slice(0, 10);
  return d !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : undefined;
}

function dateChoice(el: XmlElement | undefined): string | undefined {
  return dateOf(text(el, 'Dt')) ?? dateOf(text(el, 'DtTm'));
}

function readAccount(item: XmlElement, where: string): StatementAccount {
  const iban = text(item, 'Acct', 'Id', 'IBAN');
  if (iban !== undefined) return { iban: normaliseIban(iban) };
  const other = text(item, 'Acct', 'Id', 'Othr', 'Id');
  if (other !== undefined) return { other };
  throw invalid(`${where} does not say which account it is for (Acct/Id).`);
}

/**
 * The account's IBAN: the IBAN element, or an "other" identifier that is a valid IBAN (some banks
 * put the IBAN there). For comparing with the configured account.
 */
export function statementAccountIban(account: StatementAccount): string | undefined {
  if ('iban' in account) return account.iban;
  const checked = validateIban(account.other);
  return checked.ok ? checked.iban : undefined;
}

function accountKey(account: StatementAccount): string {
  return 'iban' in account ? account.iban : account.other;
}

/** camt v2-v4 write <Sts>BOOK</Sts>; later versions <Sts><Cd>BOOK</Cd></Sts>. */
function entryStatus(ntry: XmlElement): string | undefined {
  return text(ntry, 'Sts', 'Cd') ?? text(ntry, 'Sts', 'Prtry') ?? text(ntry, 'Sts');
}

function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/** A transaction's own EUR amount: TxDtls/Amt (v3+), else one of AmtDtls' amounts. */
function txAmount(tx: XmlElement, where: string): number | undefined {
  for (const path of [['Amt'], ['AmtDtls', 'TxAmt', 'Amt'], ['AmtDtls', 'InstdAmt', 'Amt'], ['AmtDtls', 'CntrValAmt', 'Amt']]) {
    const amt = child(tx, ...path);
    const value = text(amt);
    if (amt !== undefined && value !== undefined && attribute(amt, 'Ccy') === 'EUR') {
      try {
        return parseStatementAmount(value);
      } catch (err) {
        if (err instanceof StatementError) throw invalid(`${where}: ${err.message}`);
        throw err;
      }
    }
  }
  return undefined;
}

function subFamily(el: XmlElement | undefined): string | undefined {
  return text(el, 'BkTxCd', 'Domn', 'Fmly', 'SubFmlyCd');
}

interface Context {
  statementId: string;
  statementIndex: number;
  account: StatementAccount;
  fallbackDate: string | undefined;
  /** How often each fingerprint has been seen in this file, for keys of look-alike credits. */
  seen: Map<string, number>;
  result: ParsedStatement;
}

interface Part {
  tx: XmlElement | undefined;
  txIndex: number | null;
  amount: number;
}

/** One credit per TxDtls when their amounts add up to the entry; else the entry as one credit. */
function splitEntry(ntry: XmlElement, cd: string, amount: number, where: string, ctx: Context): { parts: Part[]; batch: boolean } {
  const txs = elements(ntry, 'NtryDtls').flatMap((d) => elements(d, 'TxDtls'));
  if (txs.length === 0) return { parts: [{ tx: undefined, txIndex: null, amount }], batch: false };
  if (txs.length === 1) return { parts: [{ tx: txs[0], txIndex: 0, amount }], batch: false };
  const amounts = txs.map((tx, i) => {
    const own = text(tx, 'CdtDbtInd');
    return own !== undefined && own !== cd ? undefined : txAmount(tx, `${where}, transaction ${i + 1}`);
  });
  const sum = amounts.reduce<number>((s, a) => s + (a ?? Number.NaN), 0);
  if (sum === amount && amounts.every((a) => a !== undefined && a > 0)) {
    return { parts: txs.map((tx, i) => ({ tx, txIndex: i, amount: amounts[i]! })), batch: true };
  }
  ctx.result.warnings.push(
    `${where}: the ${txs.length} transactions of this batch do not add up to the entry's amount in EUR, ` +
      'so it is taken as one credit without details.',
  );
  return { parts: [{ tx: undefined, txIndex: null, amount }], batch: true };
}

function dedupeKey(
  ctx: Context,
  ntry: XmlElement,
  part: Part,
  t: Omit<StatementTransaction, 'dedupeKey'>,
  tag: 'credit' | 'reversal',
): string {
  const batch = t.batch;
  const txId = text(part.tx, 'Refs', 'TxId');
  const account = accountKey(ctx.account);
  const entryRef = text(ntry, 'AcctSvcrRef');
  const txRef = part.tx && text(part.tx, 'Refs', 'AcctSvcrRef');
  // The bank's own reference identifies the booking in every report it makes of it.
  if (!batch && (entryRef ?? txRef)) return sha256Hex([tag, 'asr', account, entryRef ?? txRef].join('\u0000'));
  if (batch && txRef) return sha256Hex([tag, 'asr', account, txRef].join('\u0000'));
  if (batch && entryRef) return sha256Hex([tag, 'asr', account, entryRef, String(part.txIndex)].join('\u0000'));
  // No bank reference: what the payer sent, plus how many look-alikes came before it in this
  // file — so two equal transfers on one day stay two credits, yet keep their keys when the
  // day's camt.052 and camt.053 both list them (entry positions differ between those files).
  const fingerprint = [
    tag,
    account,
    t.bookedOn,
    String(t.amount),
    t.endToEndId ?? '',
    txId ?? '',
    t.debtorIban ?? '',
    t.structuredReferences.join('\u0001'),
    t.remittance ?? '',
  ].join('\u0000');
  const ordinal = ctx.seen.get(fingerprint) ?? 0;
  ctx.seen.set(fingerprint, ordinal + 1);
  return sha256Hex(`${fingerprint}\u0000${ordinal}`);
}

function readEntry(ntry: XmlElement, entryIndex: number, ctx: Context): void {
  const where = `Statement ${JSON.stringify(ctx.statementId)}, entry ${entryIndex + 1}`;
  if (entryStatus(ntry) !== 'BOOK') return; // pending and informational entries may still change
  const amt = child(ntry, 'Amt');
  const amountText = text(amt);
  const currency = attribute(amt, 'Ccy');
  if (amountText === undefined || currency === undefined) throw invalid(`${where} has no amount with a currency (Amt Ccy="…").`);
  const cd = text(ntry, 'CdtDbtInd');
  if (cd !== 'CRDT' && cd !== 'DBIT') throw invalid(`${where}: CdtDbtInd must be CRDT or DBIT.`);
  const reversal = isTrue(text(ntry, 'RvslInd'));
  if (currency !== 'EUR' || (!reversal && cd !== 'CRDT')) return;
  let amount: number;
  try {
    amount = parseStatementAmount(amountText);
  } catch (err) {
    throw err instanceof StatementError ? invalid(`${where}: ${err.message}`) : err;
  }
  if (amount === 0) return;

  const bookedOn = dateChoice(child(ntry, 'BookgDt')) ?? dateChoice(child(ntry, 'ValDt')) ?? ctx.fallbackDate;
  if (bookedOn === undefined) throw invalid(`${where} has no booking date.`);
  const valueDate = dateChoice(child(ntry, 'ValDt')) ?? null;
  const { parts, batch } = splitEntry(ntry, cd, amount, where, ctx);

  for (const part of parts) {
    const tx = part.tx;
    const debtor = child(tx, 'RltdPties', 'Dbtr');
    const debtorIban = text(tx, 'RltdPties', 'DbtrAcct', 'Id', 'IBAN');
    const endToEndId = text(tx, 'Refs', 'EndToEndId');
    const strd = elements(child(tx, 'RmtInf'), 'Strd');
    const ustrd = texts(child(tx, 'RmtInf'), 'Ustrd');
    const base: Omit<StatementTransaction, 'dedupeKey'> = {
      statementId: ctx.statementId,
      statementIndex: ctx.statementIndex,
      entryIndex,
      txIndex: part.txIndex,
      batch,
      amount: part.amount,
      currency: 'EUR',
      bookedOn,
      valueDate,
      // camt v2-v7: Dbtr/Nm; v8 on: Dbtr/Pty/Nm.
      debtorName: text(debtor, 'Nm') ?? text(debtor, 'Pty', 'Nm') ?? null,
      debtorIban: debtorIban === undefined ? null : normaliseIban(debtorIban),
      structuredReferences: strd.map((s) => text(s, 'CdtrRefInf', 'Ref')).filter((r): r is string => r !== undefined),
      remittance: ustrd.length > 0 ? ustrd.join(' ') : null,
      endToEndId: endToEndId === undefined || endToEndId.toUpperCase() === 'NOTPROVIDED' ? null : endToEndId,
      accountServicerRef: text(tx, 'Refs', 'AcctSvcrRef') ?? text(ntry, 'AcctSvcrRef') ?? null,
      isReturn: child(tx, 'RtrInf') !== undefined || subFamily(tx) === 'RRTN' || subFamily(ntry) === 'RRTN',
      additionalInfo: text(tx, 'AddtlTxInf') ?? text(ntry, 'AddtlNtryInf') ?? null,
    };
    const key = dedupeKey(ctx, ntry, part, base, reversal ? 'reversal' : 'credit');
    if (reversal) ctx.result.reversals.push({ dedupeKey: key, ...base, creditDebit: cd });
    else ctx.result.credits.push({ dedupeKey: key, ...base });
  }
}

/**
 * Parses a camt.052/053/054 file (bytes or text). Throws StatementError: 'statement-too-large'
 * over 10 MB, 'statement-invalid' for anything that is not a well-formed camt document of a
 * supported version.
 */
export function parseStatement(input: string | Uint8Array): ParsedStatement {
  const doc = parseXml(input, REPEATABLE);
  const ns = doc.namespace === undefined ? undefined : NAMESPACE.exec(doc.namespace);
  if (doc.rootName !== 'Document' || !ns) {
    throw invalid(
      'Not an ISO 20022 camt.052, camt.053 or camt.054 document ' +
        '(root <Document> in the urn:iso:std:iso:20022:tech:xsd:camt.05X.001.NN namespace).',
    );
  }
  const kind = ns[1] as StatementKind;
  const version = Number(ns[2]);
  if (version < MIN_CAMT_VERSION || version > MAX_CAMT_VERSION) {
    throw invalid(`${kind} version .001.${ns[2]} is not supported (.001.02 to .001.13 are).`);
  }
  const shape = SHAPES[kind];
  const message = child(doc.root, shape.message);
  if (message === undefined) throw invalid(`A ${kind} document must contain <${shape.message}>.`);
  const messageId = text(message, 'GrpHdr', 'MsgId');
  if (messageId === undefined) throw invalid(`The ${kind} group header has no message id (GrpHdr/MsgId).`);
  const items = elements(message, shape.item);
  if (items.length === 0) throw invalid(`A ${kind} message must contain at least one <${shape.item}>.`);

  const result: ParsedStatement = {
    kind,
    version,
    namespace: doc.namespace!,
    messageId,
    statements: [],
    credits: [],
    reversals: [],
    warnings: [],
  };
  const seen = new Map<string, number>();
  const messageDate = dateOf(text(message, 'GrpHdr', 'CreDtTm'));
  items.forEach((item, statementIndex) => {
    const id = text(item, 'Id');
    if (id === undefined) throw invalid(`<${shape.item}> number ${statementIndex + 1} has no Id.`);
    const account = readAccount(item, `Statement ${JSON.stringify(id)}`);
    result.statements.push({ id, account, currency: text(item, 'Acct', 'Ccy') ?? null });
    const ctx: Context = {
      statementId: id,
      statementIndex,
      account,
      fallbackDate: dateOf(text(item, 'CreDtTm')) ?? messageDate,
      seen,
      result,
    };
    elements(item, 'Ntry').forEach((ntry, entryIndex) => readEntry(ntry, entryIndex, ctx));
  });
  return result;
}
