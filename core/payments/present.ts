import type { Tx } from '../store/port';
import { formatAmount } from '../money';
import type { PaymentRecord } from './types';
import { paymentView, type BankTransferView, type PaymentView } from './view';

/** The payment object of API.md, with its provider's part (a transfer's details and credits). */
export async function paymentViewIn(t: Tx, p: PaymentRecord): Promise<PaymentView> {
  const view = paymentView(p, p.method === 'sepa_transfer' ? await bankTransferViewIn(t, p) : undefined);
  if (p.method !== 'stripe') return view;
  // Each Stripe refund and where it stands (sent through the outbox).
  const refunds = (await t.stripe.refundsOf(p.id)).map((r) => ({ id: r.id, amount: formatAmount(r.amount, p.currency), status: r.status }));
  return { ...view, refunds };
}

export async function bankTransferViewIn(t: Tx, p: PaymentRecord): Promise<BankTransferView | undefined> {
  const transfer = await t.bank.transfer(p.id);
  if (!transfer) return undefined;
  const credits = await t.bank.creditsOfPayment(p.id);
  return {
    creditorReference: transfer.creditorReference,
    accountHolder: transfer.accountHolder,
    iban: transfer.iban,
    bic: transfer.bic,
    amountReceived: formatAmount(transfer.amountReceived, p.currency),
    overpaidAmount: formatAmount(transfer.overpaidAmount, p.currency),
    source: transfer.source,
    credits: credits.map((c) => ({ id: c.id, amount: formatAmount(c.amount, c.currency), bookedOn: c.bookedOn, debtorName: c.debtorName, debtorIban: c.debtorIban })),
    reversed: transfer.reversed,
  };
}
