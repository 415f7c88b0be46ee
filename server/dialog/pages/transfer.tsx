import type { LinkRecord } from '../../../core/links/types';
import type { PaymentRecord } from '../../../core/payments/types';
import { formatIban, normaliseBic, normaliseIban } from '../../../core/banking/iban';
import { formatCreditorReference, normaliseCreditorReference } from '../../../core/banking/creditor-reference';
import { formatAmount, parseAmount } from '../../../core/money';
import { CancelPaymentForm, Layout, StatusIcon, cancelAction, type PageContext } from '../components';
import { formatMoney } from '../format';
import type { Locale } from '../i18n';
import type { BankTransferInstructions } from '../../../core/payments/methods/port';

/** The `bank_transfer` next step of API.md, as the payer needs it on screen. */
export type TransferDetails = Omit<BankTransferInstructions, 'holdUntil'> & { holdUntil: string | null };

export interface TransferPageProps {
  ctx: PageContext;
  link: Pick<LinkRecord, 'id' | 'name' | 'cancellable'> & { livemode?: boolean };
  payment: Pick<PaymentRecord, 'id' | 'amount' | 'currency' | 'refId' | 'status'> & { livemode?: boolean };
  transfer: TransferDetails;
  /** `GET /pay-by-link/{linkId}/payments/{paymentId}`: polled by dialog.js while pending. */
  statusUrl: string;
  /** The result page, where the payer goes once the payment is no longer pending. */
  resultUrl: string;
  /** Links to this page in each language. */
  languages?: Partial<Record<Locale, string>>;
}

/** The amount as a payer types it into a banking app: "12,50" in de/fr/nl, "12.50" in en; no symbol, no grouping. */
export function plainAmount(amount: string, currency: string, intl: string): string {
  // Through minor units and back: the exact decimal string, never a float.
  const text = formatAmount(parseAmount(amount, currency), currency);
  const decimal = new Intl.NumberFormat(intl).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return decimal === '.' ? text : text.replace('.', decimal);
}

/** The last day to pay, as a date: "December 6, 2026" / "6. Dezember 2026" (a time would be false precision). */
export function payByDate(ms: number, intl: string, timeZone: string): string {
  return new Intl.DateTimeFormat(intl, { dateStyle: 'long', timeZone }).format(ms);
}

/**
 * One detail the payer copies into their banking app: label, value (selectable as a whole
 * without JavaScript), and a copy button that dialog.js reveals where copying works.
 */
function CopyRow({ ctx, id, label, shown, copy, mono, strong, note }: { ctx: PageContext; id: string; label: string; shown: string; copy: string; mono?: boolean; strong?: boolean; note?: string }) {
  const { t } = ctx;
  return (
    <div className={`transfer__row${strong ? ' transfer__row--strong' : ''}`} data-field={id}>
      <dt id={`${id}-label`}>{label}</dt>
      <dd>
        <span className={`transfer__value${mono ? ' mono' : ''}`} id={`${id}-value`} data-copy-value={copy}>
          {shown}
        </span>
        <button
          className="copy-btn"
          type="button"
          hidden
          data-copy={copy}
          data-copied-label={t('transfer.copied')}
          aria-label={t('transfer.copyLabel', { what: label })}
          aria-describedby={`${id}-label`}
        >
          <CopyIcon />
          <span>{t('transfer.copy')}</span>
        </button>
        {note ? <p className="transfer__note">{note}</p> : null}
      </dd>
    </div>
  );
}

/**
 * The customer's bank-transfer page: who to pay, the IBAN in groups of four, the amount, the
 * creditor reference that matches the money to this payment, and the EPC QR for a banking app.
 * Phone first; works without JavaScript (values are plain selectable text, the status link
 * leads to the result page). With it: copy buttons, and the page moves on by itself once the
 * payment is confirmed.
 */
export function TransferPage({ ctx, link, payment, transfer, statusUrl, resultUrl, languages }: TransferPageProps) {
  const { t, intl } = ctx;
  const amount = formatMoney(payment.amount, payment.currency, intl);
  const holdUntil = transfer.holdUntil ? Date.parse(transfer.holdUntil) : NaN;
  const test = payment.livemode === false || link.livemode === false;
  const iban = normaliseIban(transfer.iban);
  const reference = normaliseCreditorReference(transfer.creditorReference);

  return (
    <Layout
      ctx={ctx}
      title={t('transfer.documentTitle', { merchant: ctx.merchantName })}
      testNotice={test}
      {...(languages ? { languages } : {})}
      bodyData={{ 'data-poll': statusUrl, 'data-status': 'pending', 'data-poll-done': resultUrl }}
    >
      <section className="card transfer" aria-labelledby="transfer-title">
        <p className="kicker">{link.name}</p>
        <h1 className="title" id="transfer-title">
          {t('transfer.title')}
        </h1>
        <p className="lead">{t('transfer.intro', { merchant: ctx.merchantName })}</p>

        <div className="due transfer__due">
          <span className="due__label" id="due-label">
            {t('pay.amountDue')}
          </span>
          <p className="amount" aria-describedby="due-label" data-testid="transfer-amount">
            {amount}
          </p>
        </div>

        <dl className="transfer__details">
          <CopyRow ctx={ctx} id="holder" label={t('transfer.accountHolder')} shown={transfer.accountHolder} copy={transfer.accountHolder} />
          <CopyRow ctx={ctx} id="iban" label={t('transfer.iban')} shown={formatIban(iban)} copy={iban} mono />
          {transfer.bic ? <CopyRow ctx={ctx} id="bic" label={t('transfer.bic')} shown={normaliseBic(transfer.bic)} copy={normaliseBic(transfer.bic)} mono /> : null}
          <CopyRow ctx={ctx} id="amount" label={t('common.amount')} shown={amount} copy={plainAmount(transfer.amount, transfer.currency, intl)} />
          <CopyRow
            ctx={ctx}
            id="reference"
            label={t('transfer.reference')}
            shown={formatCreditorReference(reference)}
            copy={reference}
            mono
            strong
            note={t('transfer.referenceNote')}
          />
        </dl>

        <figure className="epc">
          <img className="epc__img" src={transfer.epcQrUrl} width={220} height={220} alt={t('transfer.qrAlt')} />
          <figcaption className="epc__caption">
            <strong>{t('transfer.qrTitle')}</strong>
            <span>{t('transfer.qrHint')}</span>
          </figcaption>
        </figure>

        <div className="transfer__status" role="status" aria-live="polite">
          <StatusIcon tone="warning" kind="clock" />
          <div>
            <p className="transfer__status-title">{t('transfer.waiting')}</p>
            <p className="fine">{t('transfer.confirmNote', { merchant: ctx.merchantName })}</p>
            {Number.isFinite(holdUntil) ? <p className="fine">{t('transfer.payBy', { date: payByDate(holdUntil, intl, ctx.timeZone) })}</p> : null}
          </div>
        </div>

        <div className="actions">
          <a className="btn btn--secondary btn--block" href={resultUrl}>
            {t('transfer.checkStatus')}
          </a>
          <p className="fine transfer__ref">
            {t('common.paymentReference')}: <span className="mono">{payment.refId}</span>
          </p>
          {link.cancellable ? <CancelPaymentForm ctx={ctx} action={cancelAction(link.id, payment.id)} hint={t('transfer.cancelHint')} /> : null}
        </div>
      </section>
    </Layout>
  );
}

function CopyIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <rect x="9" y="9" width="11" height="11" rx="2" />
      <path d="M5 15V6a2 2 0 0 1 2-2h9" />
    </svg>
  );
}
