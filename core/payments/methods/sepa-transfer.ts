import type { SettingsService } from '../../settings';
import { bankTransferSettings } from '../../banking/settings';
import { newCreditorReference } from '../../banking/references';
import { formatAmount } from '../../money';
import { toIso } from '../../clock';
import { DomainError } from '../../errors';
import type { PaymentProvider } from './port';

const DAY_MS = 86_400_000;

/**
 * SEPA credit transfer to the merchant's own account: an EPC QR code ("GiroCode") and copyable
 * details with an ISO 11649 creditor reference. Needs no internet; the money is confirmed by
 * staff or by the bank's own statements (core/banking/service.ts). The payment stays pending for
 * `holdDays`, holding its link and its share of the limits.
 */
export function sepaTransferProvider(settings: SettingsService, baseUrl: () => string): PaymentProvider {
  return {
    id: 'sepa_transfer',
    modes: ['live', 'test'],
    currencies: ['EUR'],
    needsInternet: false,
    async available(t) {
      const s = await bankTransferSettings(settings, t);
      return s.accountHolder && s.iban ? null : 'not-configured';
    },
    async start(t, payment) {
      const s = await bankTransferSettings(settings, t);
      if (!s.accountHolder || !s.iban) throw new DomainError('method-unavailable', 'Bank transfer is not set up: add the account holder and IBAN in settings.');
      const reference = await newCreditorReference(t);
      await t.bank.insertTransfer({
        paymentId: payment.id,
        creditorReference: reference,
        accountHolder: s.accountHolder,
        iban: s.iban,
        bic: s.bic,
        amountReceived: 0,
        overpaidAmount: 0,
        source: null,
        reversed: false,
      });
      await t.payments.setHold(payment.id, payment.createdAt + s.holdDays * DAY_MS);
    },
    async next(t, payment) {
      const transfer = (await t.bank.transfer(payment.id))!;
      const fresh = (await t.payments.get(payment.id))!;
      return {
        type: 'bank_transfer',
        accountHolder: transfer.accountHolder,
        iban: transfer.iban,
        bic: transfer.bic,
        amount: formatAmount(payment.amount, payment.currency),
        currency: payment.currency,
        creditorReference: transfer.creditorReference,
        refId: payment.refId,
        epcQrUrl: `${baseUrl()}/pay-by-link/${encodeURIComponent(payment.linkId)}/payments/${encodeURIComponent(payment.id)}/epc-qr`,
        holdUntil: toIso(fresh.lockExpiresAt),
      };
    },
  };
}
