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
  currency: string;
  method: string;
  reference: string | null;
  payer: { name: string | null; email: string | null } | null;
  metadata: Record<string, string>;
  refundedAmount: string;
  createdAt: string;
  completedAt: string | null;
}

export function paymentView(p: PaymentRecord): PaymentView {
  return {
    id: p.id,
    linkId: p.linkId,
    refId: p.refId,
    status: p.status,
    amount: formatAmount(p.amount, p.currency),
    currency: p.currency,
    method: p.method,
    reference: p.reference,
    payer: p.payerName === null && p.payerEmail === null ? null : { name: p.payerName, email: p.payerEmail },
    metadata: p.metadata,
    refundedAmount: formatAmount(p.refundedAmount, p.currency),
    createdAt: toIso(p.createdAt),
    completedAt: toIsoOrNull(p.completedAt),
  };
}

/** The narrow view the public payment-status endpoint gives a customer's browser. */
export function publicPaymentView(p: PaymentRecord): Pick<PaymentView, 'id' | 'status' | 'amount' | 'currency' | 'refId'> {
  return { id: p.id, status: p.status, amount: formatAmount(p.amount, p.currency), currency: p.currency, refId: p.refId };
}
