/**
 * The payment-provider port (DESIGN.md "Payment methods"). A provider starts a payment and says
 * what the payer does next; whatever it later learns (a webhook, a statement credit, staff
 * confirming, the simulator's button) ends in the one `PaymentTransitions.finish`, so the money
 * rules live in one place. Adding a provider (Stripe, a Swiss QR-bill) is an adapter of this shape.
 */
import type { Tx } from '../../store/port';
import type { LinkRecord, Locale } from '../../links/types';
import type { Mode } from '../../mode';
import type { PaymentOutcome, PaymentRecord } from '../types';

export const METHOD_IDS = ['simulator', 'sepa_transfer', 'stripe'] as const;
export type MethodId = (typeof METHOD_IDS)[number];

/** Why a method cannot be used now (API.md `GET /payment-methods`). */
export type Unavailable = 'not-configured' | 'offline' | 'test-only';

/** What a payer needs to pay by SEPA transfer from their own banking app. */
export interface BankTransferInstructions {
  accountHolder: string;
  iban: string;
  bic: string | null;
  /** Decimal string, e.g. "12.50". */
  amount: string;
  currency: string;
  /** ISO 11649 RF reference the payer quotes. */
  creditorReference: string;
  refId: string;
  /** The payment's EPC QR image (public, like its status). */
  epcQrUrl: string;
  /** RFC 3339: until then the payment waits for the money. */
  holdUntil: string;
}

export type NextStep = { type: 'redirect'; url: string } | ({ type: 'bank_transfer' } & BankTransferInstructions);

export interface PaymentProvider {
  readonly id: MethodId;
  readonly modes: readonly Mode[];
  /** Currencies it can take; 'any' for all. */
  readonly currencies: readonly string[] | 'any';
  /** True when it needs the internet (offered only while its API answers). */
  readonly needsInternet: boolean;
  /** null when it can be used in `mode` now; else why not. Never does network I/O. */
  available(t: Tx, mode: Mode): Promise<Unavailable | null>;
  /**
   * Called in the start transaction once the pending payment exists: sets the provider up
   * (a transfer's reference, a longer hold). May not do network I/O here.
   */
  start(t: Tx, payment: PaymentRecord, link: LinkRecord): Promise<void>;
  /** What the payer does next, in the payer's language. */
  next(t: Tx, payment: PaymentRecord, link: LinkRecord, locale: Locale): Promise<NextStep>;

  /**
   * Providers with an outside service (Stripe): after the start transaction committed, set the
   * payment up there (network I/O allowed, then a short transaction recording what it made).
   * Idempotent: a second call for the same payment changes nothing. Throws when the provider
   * failed; the payments service then ends the payment and answers 503 `provider-unavailable`.
   */
  open?(payment: PaymentRecord, link: LinkRecord, locale: Locale): Promise<void>;
  /**
   * Asks the provider what became of a pending payment (the result page; network I/O, bounded
   * in time): the outcome to apply, or null while it is still open. Throws when it cannot tell.
   */
  reconcile?(payment: PaymentRecord): Promise<Exclude<PaymentOutcome, 'cancelled'> | null>;
  /** In the transaction that cancelled a pending payment: stop it at the provider (through the outbox). */
  cancel?(t: Tx, payment: PaymentRecord): Promise<void>;
  /**
   * In the refund transaction, once the amount is booked: send the refund to the provider
   * (through the outbox). Without this hook a refund is complete at once (the simulator).
   */
  refund?(t: Tx, payment: PaymentRecord, amount: number, refundId: string): Promise<void>;
}
