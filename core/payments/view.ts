import type { PaymentRecord, PaymentStatus } from './types';
import { formatAmount } from '../money';
import { toIso, toIsoOrNull } from '../clock';

/** The payment object of API.md, as returned and as carried by `payment.*` events. */
export interface PaymentView {
  id: string;
  linkId: string;
  refId: string;
  status: PaymentStatus;
  amount: string;
  /** The part of `amount` that is a tip ("0.00" without one). */
  tipAmount: string;
  currency: string;
  method: string;
  reference: string | null;
  payer: { name: string | null; email: string | null } | null;
  metadata: Record<string, string>;
  refundedAmount: string;
  livemode: boolean;
  providerReference: string | null;
  /** sepa_transfer payments: what the payer was asked to send and what arrived. */
  bankTransfer?: BankTransferView;
  /** Stripe payments: each refund sent to Stripe, `pending` until Stripe took it. */
  refunds?: { id: string; amount: string; status: 'pending' | 'succeeded' | 'failed' }[];
  createdAt: string;
  completedAt: string | null;
}

export interface BankTransferView {
  creditorReference: string;
  accountHolder: string;
  iban: string;
  bic: string | null;
  amountReceived: string;
  overpaidAmount: string;
  source: 'staff' | 'statement' | null;
  credits: { id: string; amount: string; bookedOn: string | null; debtorName: string | null; debtorIban: string | null }[];
  reversed: boolean;
}

export function paymentView(p: PaymentRecord, bankTransfer?: BankTransferView): PaymentView {
  return {
    id: p.id,
    linkId: p.linkId,
    refId: p.refId,
    status: p.status,
    amount: formatAmount(p.amount, p.currency),
    tipAmount: formatAmount(p.tipAmount, p.currency),
    currency: p.currency,
    method: p.method,
    reference: p.reference,
    payer: p.payerName === null && p.payerEmail === null ? null : { name: p.payerName, email: p.payerEmail },
    metadata: p.metadata,
    refundedAmount: formatAmount(p.refundedAmount, p.currency),
    livemode: p.livemode,
    providerReference: p.providerReference,
    ...(bankTransfer ? { bankTransfer } : {}),
    createdAt: toIso(p.createdAt),
    completedAt: toIsoOrNull(p.completedAt),
  };
}

/** The narrow view the public payment-status endpoint gives a customer's browser. */
export function publicPaymentView(p: PaymentRecord): Pick<PaymentView, 'id' | 'status' | 'amount' | 'currency' | 'refId'> {
  return { id: p.id, status: p.status, amount: formatAmount(p.amount, p.currency), currency: p.currency, refId: p.refId };
}
