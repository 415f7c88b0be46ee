import type { LinkRecord } from '../../../core/links/types';
import type { PaymentRecord, PaymentStatus } from '../../../core/payments/types';
import { AlertIcon, CancelPaymentForm, Facts, Layout, StatusIcon, cancelAction, type PageContext, type Tone } from '../components';
import { formatDateTime, formatMoney } from '../format';

const LOOK: Record<PaymentStatus, { tone: Tone; icon: 'check' | 'cross' | 'clock' | 'info' }> = {
  succeeded: { tone: 'success', icon: 'check' },
  failed: { tone: 'danger', icon: 'cross' },
  cancelled: { tone: 'neutral', icon: 'cross' },
  abandoned: { tone: 'neutral', icon: 'info' },
  pending: { tone: 'warning', icon: 'clock' },
  refunded: { tone: 'neutral', icon: 'info' },
  partially_refunded: { tone: 'neutral', icon: 'info' },
};

export interface ResultPageProps {
  ctx: PageContext;
  payment: PaymentRecord;
  link: LinkRecord;
  /** The dialog again (with the payment's injected data), when the link can still be paid. */
  retryUrl: string | null;
  /** For a pending payment: back to its checkout, and the status to poll. */
  checkoutUrl: string;
  pollUrl: string;
  /** The payer's receipt (PDF), where the merchant offers it. */
  receiptUrl?: string | null;
  /** A refused cancel (form post) lands here with its reason. */
  notice?: { title: string; message: string };
}

export function ResultPage({ ctx, payment, link, retryUrl, checkoutUrl, pollUrl, notice, receiptUrl }: ResultPageProps) {
  const { t, intl } = ctx;
  const status = payment.status;
  const look = LOOK[status];
  const title = t(`result.${status}.title`);
  const amount = formatMoney(payment.amount, payment.currency, intl);
  const pending = status === 'pending';
  const succeeded = status === 'succeeded' || status === 'partially_refunded' || status === 'refunded';

  const rows: [string, string, boolean?][] = [[t('common.amount'), amount]];
  if (payment.reference) rows.push([t('common.reference'), payment.reference]);
  rows.push([t('common.paymentReference'), payment.refId, true]);
  if (payment.completedAt !== null) rows.push([t('common.date'), formatDateTime(payment.completedAt, intl, ctx.timeZone)]);

  return (
    <Layout
      ctx={ctx}
      title={t('result.documentTitle', { title, merchant: ctx.merchantName })}
      {...(pending ? { bodyData: { 'data-poll': pollUrl, 'data-status': status }, noScriptRefreshSeconds: 5 } : {})}
    >
      <section className={`card card--center card--${look.tone}`} aria-labelledby="page-title">
        {notice ? (
          <div className="alert" role="alert" tabIndex={-1}>
            <AlertIcon />
            <div>
              <p className="alert__title">{notice.title}</p>
              <p>{notice.message}</p>
            </div>
          </div>
        ) : null}
        <StatusIcon tone={look.tone} kind={look.icon} />
        {status === 'succeeded' ? null : <p className="kicker">{link.name}</p>}
        <h1 className="title" id="page-title">
          {title}
        </h1>
        <p className="lead" role={pending ? 'status' : undefined}>
          {t(`result.${status}.body`, { merchant: ctx.merchantName })}
        </p>
        {status === 'succeeded' ? (
          <>
            <p className="amount amount--center">{amount}</p>
            <p className="subject">{link.name}</p>
          </>
        ) : null}
        {pending ? <div className="spinner" aria-hidden="true" /> : null}
        <Facts rows={status === 'succeeded' ? rows.slice(1) : rows} />
        {succeeded ? <p className="fine">{t('result.keepReference')}</p> : null}

        <div className="actions">
          {pending ? (
            <>
              <a className="btn btn--primary btn--block" href={checkoutUrl}>
                {t('result.continueCheckout')}
              </a>
              <noscript>
                <p className="fine">{t('result.pending.noScript')}</p>
              </noscript>
              {link.cancellable ? <CancelPaymentForm ctx={ctx} action={cancelAction(link.id, payment.id)} /> : null}
            </>
          ) : null}
          {!pending && !succeeded && retryUrl ? (
            <a className="btn btn--primary btn--block" href={retryUrl}>
              {t('result.tryAgain')}
            </a>
          ) : null}
          {succeeded && receiptUrl ? (
            <a className="btn btn--secondary btn--block" href={receiptUrl} data-testid="receipt-link">
              {t('result.receipt')}
            </a>
          ) : null}
          {succeeded ? <p className="fine">{t('result.closeHint')}</p> : null}
        </div>
      </section>
    </Layout>
  );
}
