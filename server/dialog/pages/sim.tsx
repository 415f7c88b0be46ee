import type { LinkRecord } from '../../../core/links/types';
import type { PaymentRecord } from '../../../core/payments/types';
import { AlertIcon, CancelPaymentForm, Facts, Layout, TestPill, cancelAction, type PageContext } from '../components';
import { formatMoney } from '../format';

export interface SimPageProps {
  ctx: PageContext;
  payment: PaymentRecord;
  link: LinkRecord;
  resultUrl: string;
  /** Shown (role=alert) when a decision came too late. */
  error?: string;
}

/**
 * The simulator's checkout: stands in for a payment provider's hosted page. Unmistakably a test
 * (striped banner, TEST pills), three outcomes, and the payer's cancel where the link allows it.
 */
export function SimCheckoutPage({ ctx, payment, link, resultUrl, error }: SimPageProps) {
  const { t, intl } = ctx;
  const pending = payment.status === 'pending';
  return (
    <Layout ctx={ctx} title={t('sim.documentTitle', { merchant: ctx.merchantName })} sim>
      <section className="card card--sim" aria-labelledby="sim-title">
        <div className="sim-head">
          <h1 className="eyebrow" id="sim-title">
            {t('sim.title')}
          </h1>
          <TestPill ctx={ctx} />
        </div>
        <p className="amount amount--center">{formatMoney(payment.amount, payment.currency, intl)}</p>
        <p className="subject">{link.name}</p>
        <Facts
          rows={[
            [t('common.merchant'), ctx.merchantName],
            ...(payment.reference ? [[t('common.reference'), payment.reference] as [string, string]] : []),
            [t('common.paymentReference'), payment.refId, true],
          ]}
        />

        {error ? (
          <div className="alert" role="alert" tabIndex={-1}>
            <AlertIcon />
            <div>
              <p>{error}</p>
            </div>
          </div>
        ) : null}

        {pending ? (
          <>
            <p className="lead">{t('sim.intro')}</p>
            <form className="sim-actions" method="post" action={`/sim/checkout/${encodeURIComponent(payment.id)}`} data-busy-form="">
              <input type="hidden" name="locale" value={ctx.locale} />
              <fieldset>
                <legend className="sr-only">{t('sim.choices')}</legend>
                <button className="btn btn--success btn--block" type="submit" name="outcome" value="succeeded">
                  {t('sim.approve')}
                </button>
                <button className="btn btn--danger btn--block" type="submit" name="outcome" value="failed">
                  {t('sim.decline')}
                </button>
                <button className="btn btn--ghost btn--block" type="submit" name="outcome" value="abandoned">
                  {t('sim.abandon')}
                </button>
              </fieldset>
            </form>
            {link.cancellable ? <CancelPaymentForm ctx={ctx} action={cancelAction(link.id, payment.id)} hint={t('sim.cancelHint')} /> : null}
          </>
        ) : (
          <>
            {error ? null : <p className="lead">{t('sim.notPending', { status: t(`paymentStatus.${payment.status}`) })}</p>}
            <a className="btn btn--primary btn--block" href={resultUrl}>
              {t('sim.seeResult')}
            </a>
          </>
        )}
      </section>
    </Layout>
  );
}
