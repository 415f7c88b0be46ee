import type { Minor } from '../money';

export const PAYMENT_STATUSES = [
  'pending',
  'succeeded',
  'failed',
  'abandoned',
  'cancelled',
  'partially_refunded',
  'refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** How a pending payment ends. */
export type PaymentOutcome = 'succeeded' | 'failed' | 'abandoned' | 'cancelled';

export const PAYMENT_METHODS = ['simulator', 'sepa_transfer', 'stripe'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface PaymentRecord {
  seq: number;
  id: string;
  linkId: string;
  refId: string;
  status: PaymentStatus;
  /** Everything the payer pays, the tip included. */
  amount: Minor;
  /** The part of `amount` that is a tip (0 without one); limits count `amount - tipAmount`. */
  tipAmount: Minor;
  currency: string;
  method: string;
  reference: string | null;
  payerName: string | null;
  payerEmail: string | null;
  metadata: Record<string, string>;
  refundedAmount: Minor;
  /** Until then a pending payment holds its link (lock TTL; a transfer's hold days). */
  lockExpiresAt: number;
  livemode: boolean;
  /** The provider's own id for it (a Stripe Checkout Session id); null for the simulator and transfers. */
  providerReference: string | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}
