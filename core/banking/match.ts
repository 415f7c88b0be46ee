/**
 * Decides, for each credit of an imported statement, which pending transfer payment it pays.
 * Pure: the store is reached only through the lookup passed in (sync or async), and nothing is
 * written — the caller applies the outcomes in one transaction.
 */
import { REF_ID_BASE_PATTERN } from '../refid';
import type { StatementCredit, StatementReversal, StatementTransaction } from './camt';
import { findCreditorReferences, isValidCreditorReference, normaliseCreditorReference } from './creditor-reference';

export interface MatchCandidate {
  paymentId: string;
  status: string;
  /** Amount due, in cents. */
  amount: number;
  /** Already received (earlier statements, staff), in cents. */
  amountReceived: number;
}

type MaybePromise<T> = T | Promise<T>;

/** Should only return `sepa_transfer` payments. */
export interface PaymentLookup {
  /** Called with the normal form (upper case, no spaces). */
  byCreditorReference(reference: string): MaybePromise<MatchCandidate | undefined>;
  byRefId(refId: string): MaybePromise<MatchCandidate | undefined>;
  /** Whether a credit/reversal with this dedupeKey was imported before; it then changes nothing. */
  isImported?(dedupeKey: string): MaybePromise<boolean>;
}

export type ReferenceSource = 'structured' | 'remittance-rf' | 'remittance-ref-id';

export interface ReferenceCandidate {
  source: ReferenceSource;
  value: string;
}

export type UnmatchedReason =
  | 'no-reference'
  | 'unknown-reference'
  /** The payment ended before this money came, or the money came twice. */
  | 'payment-not-pending'
  /** A returned transfer of ours coming back: never pays a payment, whatever it quotes. */
  | 'return';

export type CreditOutcome =
  | {
      type: 'matched';
      credit: StatementCredit;
      paymentId: string;
      reference: ReferenceCandidate;
      amount: number;
      /** The payment's amountReceived including this credit. */
      amountReceived: number;
      /** This credit brings the payment to its amount: it succeeds. */
      completes: boolean;
      /** What the payment has received beyond its amount, including this credit. */
      overpaidAmount: number;
    }
  | { type: 'unmatched'; credit: StatementCredit; reason: UnmatchedReason; reference: ReferenceCandidate | null; paymentId: string | null }
  | { type: 'duplicate'; credit: StatementCredit };

export type ReversalIgnoredReason = 'duplicate' | 'not-a-credit-reversal' | 'no-reference' | 'unknown-reference' | 'no-credits';

export type ReversalOutcome =
  /** Money that had paid this payment was taken back: flag it for staff. */
  | { type: 'flag'; reversal: StatementReversal; paymentId: string; reference: ReferenceCandidate; amount: number }
  | { type: 'ignored'; reversal: StatementReversal; reason: ReversalIgnoredReason; paymentId: string | null };

export interface MatchResult {
  credits: CreditOutcome[];
  reversals: ReversalOutcome[];
}

/**
 * Payment refIds ("BASE-XXXX": a base of 1-13 of [A-Za-z0-9-], then 4 base62 characters) quoted
 * in free text, as whole tokens and case-sensitively (the suffix is base62).
 */
export function findRefIds(text: string): string[] {
  const found: string[] = [];
  for (const token of text.match(/[A-Za-z0-9-]+/g) ?? []) {
    const m = /^(.+)-[0-9A-Za-z]{4}$/.exec(token);
    if (m && REF_ID_BASE_PATTERN.test(m[1]!) && !found.includes(token)) found.push(token);
  }
  return found;
}

export const REMITTANCE_SEARCH_LIMIT = 1000;

/**
 * The references a transaction quotes, best first: a structured creditor reference with a valid
 * check sum, then RF references found in the remittance text, then refIds found there.
 */
export function referenceCandidates(t: Pick<StatementTransaction, 'structuredReferences' | 'remittance'>): ReferenceCandidate[] {
  const out: ReferenceCandidate[] = [];
  const add = (source: ReferenceSource, value: string) => {
    if (!out.some((c) => c.source === source && c.value === value)) out.push({ source, value });
  };
  for (const ref of t.structuredReferences) {
    if (isValidCreditorReference(ref)) add('structured', normaliseCreditorReference(ref));
  }
  // SEPA remittance is 140 characters; looking further only lets a hostile file burn CPU.
  const text = (t.remittance ?? '').slice(0, REMITTANCE_SEARCH_LIMIT);
  for (const ref of findCreditorReferences(text)) add('remittance-rf', ref);
  for (const refId of findRefIds(text)) add('remittance-ref-id', refId);
  return out;
}

type Resolved =
  | { found: true; candidate: MatchCandidate; reference: ReferenceCandidate }
  | { found: false; reason: 'no-reference' | 'unknown-reference'; reference: ReferenceCandidate | null };

/** The first quoted reference the lookup knows. */
async function resolve(t: StatementTransaction, lookup: PaymentLookup): Promise<Resolved> {
  const refs = referenceCandidates(t);
  if (refs.length === 0) return { found: false, reason: 'no-reference', reference: null };
  for (const reference of refs) {
    const candidate =
      reference.source === 'remittance-ref-id'
        ? await lookup.byRefId(reference.value)
        : await lookup.byCreditorReference(reference.value);
    if (candidate) return { found: true, candidate, reference };
  }
  return { found: false, reason: 'unknown-reference', reference: refs[0]! };
}

interface PaymentState {
  due: number;
  received: number;
  pending: boolean;
}

export async function matchStatement(
  input: { credits: readonly StatementCredit[]; reversals?: readonly StatementReversal[] },
  lookup: PaymentLookup,
): Promise<MatchResult> {
  // Running totals, so that several credits to one payment in one import add up (the lookup
  // keeps answering with what the store had before this import).
  const payments = new Map<string, PaymentState>();
  const stateOf = (c: MatchCandidate): PaymentState => {
    let state = payments.get(c.paymentId);
    if (!state) {
      state = { due: c.amount, received: c.amountReceived, pending: c.status === 'pending' };
      payments.set(c.paymentId, state);
    }
    return state;
  };
  const keys = new Set<string>();
  const isDuplicate = async (key: string): Promise<boolean> => {
    if (keys.has(key)) return true;
    keys.add(key);
    return (await lookup.isImported?.(key)) === true;
  };

  const credits: CreditOutcome[] = [];
  for (const credit of input.credits) {
    if (await isDuplicate(credit.dedupeKey)) {
      credits.push({ type: 'duplicate', credit });
      continue;
    }
    const r = await resolve(credit, lookup);
    if (!r.found) {
      credits.push({ type: 'unmatched', credit, reason: r.reason, reference: r.reference, paymentId: null });
      continue;
    }
    const { paymentId } = r.candidate;
    if (credit.isReturn) {
      credits.push({ type: 'unmatched', credit, reason: 'return', reference: r.reference, paymentId });
      continue;
    }
    const state = stateOf(r.candidate);
    if (!state.pending) {
      credits.push({ type: 'unmatched', credit, reason: 'payment-not-pending', reference: r.reference, paymentId });
      continue;
    }
    state.received += credit.amount;
    const completes = state.received >= state.due;
    if (completes) state.pending = false; // it succeeds: later money is "not pending"
    credits.push({
      type: 'matched',
      credit,
      paymentId,
      reference: r.reference,
      amount: credit.amount,
      amountReceived: state.received,
      completes,
      overpaidAmount: Math.max(0, state.received - state.due),
    });
  }

  const reversals: ReversalOutcome[] = [];
  for (const reversal of input.reversals ?? []) {
    if (await isDuplicate(reversal.dedupeKey)) {
      reversals.push({ type: 'ignored', reversal, reason: 'duplicate', paymentId: null });
      continue;
    }
    if (reversal.creditDebit !== 'DBIT') {
      reversals.push({ type: 'ignored', reversal, reason: 'not-a-credit-reversal', paymentId: null });
      continue;
    }
    const r = await resolve(reversal, lookup);
    if (!r.found) {
      reversals.push({ type: 'ignored', reversal, reason: r.reason, paymentId: null });
      continue;
    }
    // Only money that reached the payment (earlier or in this import) can have been taken back.
    const state = stateOf(r.candidate);
    if (state.received > 0) {
      reversals.push({ type: 'flag', reversal, paymentId: r.candidate.paymentId, reference: r.reference, amount: reversal.amount });
    } else {
      reversals.push({ type: 'ignored', reversal, reason: 'no-credits', paymentId: r.candidate.paymentId });
    }
  }
  return { credits, reversals };
}
