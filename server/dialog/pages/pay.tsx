import type { LinkRecord } from '../../../core/links/types';
import { AlertIcon, Facts, Layout, TestPill, type PageContext } from '../components';
import { amountExample, amountPlaceholder, currencySymbol, formatDateTime, formatMoney, symbolAfter } from '../format';
import { exponentOf } from '../../../core/money';
import type { Locale } from '../i18n';
import { tipForPercent, type TipSettings } from '../../../core/payments/tips';

export type PayField = 'amount' | 'tip' | 'payer.name' | 'payer.email' | 'reference';

export interface PayFormValues {
  amount?: string;
  name?: string;
  email?: string;
  reference?: string;
  /** The tip choice: "none", a preset percentage ("10"), or "other" with `tipAmount`. */
  tip?: string;
  tipAmount?: string;
}

/**
 * What the pay page shows of its link: the page is cached by its props (page-cache.ts), so it
 * takes only these, and a payment on a poster (its counts and sums) keeps the page as it is.
 */
export type PayPageLink = Pick<LinkRecord, 'id' | 'livemode' | 'name' | 'description' | 'reference' | 'amount' | 'minAmount' | 'currency' | 'lineItems' | 'expiresAt'>;

export const payPageLink = ({ id, livemode, name, description, reference, amount, minAmount, currency, lineItems, expiresAt }: LinkRecord): PayPageLink => ({
  id,
  livemode,
  name,
  description,
  reference,
  amount,
  minAmount,
  currency,
  lineItems,
  expiresAt,
});

export interface PayPageProps {
  ctx: PageContext;
  link: PayPageLink;
  /** The largest payment that still fits (per-payment limit, what is left of the total), if any. */
  maxAmount: number | null;
  /** `data[key]` pairs from the link URL, carried as hidden inputs. */
  data: Record<string, string>;
  values?: PayFormValues;
  error?: { message: string; field?: PayField };
  languages: Partial<Record<Locale, string>>;
  /** The methods this link can take now, the first chosen by default. */
  methods: string[];
  /** Tips of the link's point of sale (off: no tip choice is shown). */
  tips: TipSettings;
}

/** The payment dialog: what is being paid, to whom, how much; one big Pay button. */
export function PayPage({ ctx, link, maxAmount, data, values = {}, error, languages, methods, tips }: PayPageProps) {
  const { t, intl } = ctx;
  const money = (minor: number) => formatMoney(minor, link.currency, intl);
  const open = link.amount === null;
  const fieldError = (f: PayField) => error?.field === f;
  const describedBy = (id: string, f: PayField) => [id, fieldError(f) ? 'form-error' : ''].filter(Boolean).join(' ') || undefined;

  // The limits when there are any (the placeholder already shows how to write an amount).
  let hint = t('pay.amountHint', { currency: link.currency, example: amountExample(link.currency, intl) });
  if (link.minAmount !== null && maxAmount !== null) hint = t('pay.rangeHint', { min: money(link.minAmount), max: money(maxAmount) });
  else if (link.minAmount !== null) hint = t('pay.minHint', { min: money(link.minAmount) });
  else if (maxAmount !== null) hint = t('pay.maxHint', { max: money(maxAmount) });

  const facts: [string, string, boolean?][] = [];
  if (link.reference) facts.push([t('common.reference'), link.reference]);
  const expiry = link.expiresAt === null ? null : t('pay.validUntil', { date: formatDateTime(link.expiresAt, intl, ctx.timeZone) });
  const symbol = currencySymbol(link.currency, intl);
  const after = symbolAfter(link.currency, intl);

  return (
    <Layout ctx={ctx} title={t('pay.documentTitle', { name: link.name, merchant: ctx.merchantName })} languages={languages} testNotice={!link.livemode}>
      <section className="card" aria-labelledby="link-name">
        <h1 className="title" id="link-name">
          {link.name}
        </h1>
        {link.description ? <p className="desc">{link.description}</p> : null}

        {link.lineItems && link.lineItems.length > 0 ? (
          <table className="items">
            <caption className="sr-only">{t('pay.orderSummary')}</caption>
            <tbody>
              {link.lineItems.map((item, i) => (
                <tr key={i}>
                  <th scope="row">
                    <span className="items__name">{item.name}</span>
                    <span className="items__qty">{t('pay.lineItemQuantity', { quantity: item.quantity, unitAmount: money(item.unitAmount) })}</span>
                  </th>
                  <td>{money(item.quantity * item.unitAmount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}

        {!open ? (
          <div className="due">
            <span className="due__label" id="due-label">
              {link.lineItems ? t('pay.total') : t('pay.amountDue')}
            </span>
            <p className="amount" aria-describedby="due-label">
              {money(link.amount!)}
            </p>
          </div>
        ) : null}

        {facts.length > 0 ? <Facts rows={facts} /> : null}
        {expiry ? <p className="expiry">{expiry}</p> : null}

        <form className="pay-form" method="post" action={`/pay-by-link/${encodeURIComponent(link.id)}/payments`} data-busy-form="">
          <input type="hidden" name="locale" value={ctx.locale} />
          {Object.entries(data).map(([k, v]) => (
            <input key={k} type="hidden" name={`data[${k}]`} value={v} />
          ))}

          {error ? (
            <div className="alert" role="alert" id="form-error" tabIndex={-1}>
              <AlertIcon />
              <div>
                <p className="alert__title">{t('error.title')}</p>
                <p>{error.message}</p>
              </div>
            </div>
          ) : null}

          {open ? (
            <div className="field">
              <label className="field__label" htmlFor="amount">
                {t('pay.amountLabel')}
              </label>
              <div className={`money-input${after ? ' money-input--after' : ''}${fieldError('amount') ? ' is-invalid' : ''}`}>
                <span className="money-input__symbol" aria-hidden="true">
                  {symbol}
                </span>
                <input
                  id="amount"
                  name="amount"
                  type="text"
                  inputMode="decimal"
                  autoComplete="transaction-amount"
                  enterKeyHint="go"
                  spellCheck={false}
                  maxLength={20}
                  required
                  placeholder={amountPlaceholder(link.currency, intl)}
                  defaultValue={values.amount ?? ''}
                  aria-invalid={fieldError('amount') || undefined}
                  aria-describedby={describedBy('amount-hint', 'amount')}
                  autoFocus={fieldError('amount') || undefined}
                />
              </div>
              <p className="field__hint" id="amount-hint">
                {hint}
              </p>
            </div>
          ) : null}

          {tips.enabled && methods.length > 0 ? <TipChoice ctx={ctx} link={link} tips={tips} values={values} invalid={fieldError('tip')} describedBy={describedBy('', 'tip')} /> : null}

          {methods.length > 0 ? (
            <fieldset className="methods">
              <legend className="field__label">{t('pay.method')}</legend>
              {methods.map((m, i) => (
                <label className="method" key={m}>
                  <input type="radio" name="method" value={m} defaultChecked={i === 0} />
                  <MethodIcon method={m} />
                  <span className="method__body">
                    <span className="method__name">
                      {methodName(m, t)} {m === 'simulator' ? <TestPill ctx={ctx} /> : null}
                    </span>
                    <span className="method__hint">{methodHint(m, t)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          ) : (
            <div className="alert alert--soft" role="status" id="no-methods">
              <AlertIcon />
              <div>
                <p className="alert__title">{t('pay.noMethodsTitle')}</p>
                <p>{t('pay.noMethodsBody', { merchant: ctx.merchantName })}</p>
              </div>
            </div>
          )}

          {methods.length > 0 ? (
            <>
              <details className="more" open={Boolean(error?.field && error.field !== 'amount') || undefined}>
                <summary>{t('pay.detailsSummary')}</summary>
                <div className="more__body">
                  <div className="field">
                    <label className="field__label" htmlFor="payer-name">
                      {t('pay.payerName')}
                    </label>
                    <input
                      className="input"
                      id="payer-name"
                      name="payer[name]"
                      type="text"
                      autoComplete="name"
                      maxLength={120}
                      defaultValue={values.name ?? ''}
                      aria-invalid={fieldError('payer.name') || undefined}
                      aria-describedby={describedBy('', 'payer.name')}
                    />
                  </div>
                  <div className="field">
                    <label className="field__label" htmlFor="payer-email">
                      {t('pay.payerEmail')}
                    </label>
                    <input
                      className="input"
                      id="payer-email"
                      name="payer[email]"
                      type="email"
                      autoComplete="email"
                      inputMode="email"
                      maxLength={254}
                      defaultValue={values.email ?? ''}
                      aria-invalid={fieldError('payer.email') || undefined}
                      aria-describedby={describedBy('', 'payer.email')}
                      autoFocus={fieldError('payer.email') || undefined}
                    />
                  </div>
                  {link.reference ? null : (
                    <div className="field">
                      <label className="field__label" htmlFor="reference">
                        {t('pay.payerReference', { merchant: ctx.merchantName })}
                      </label>
                      <input
                        className="input"
                        id="reference"
                        name="reference"
                        type="text"
                        maxLength={140}
                        defaultValue={values.reference ?? ''}
                        aria-invalid={fieldError('reference') || undefined}
                        aria-describedby={describedBy('', 'reference')}
                      />
                    </div>
                  )}
                </div>
              </details>

              <button
                className="btn btn--primary btn--block btn--pay"
                type="submit"
                data-busy-label={t('pay.processing')}
                data-pay-template={open ? undefined : t('pay.payButton', { amount: '{{amount}}' })}
              >
                <span>{open ? t('pay.payButtonOpen') : t('pay.payButton', { amount: money(link.amount!) })}</span>
              </button>
              <p className="fine">{t('pay.secureNote')}</p>
            </>
          ) : null}
        </form>
      </section>
    </Layout>
  );
}

type T = PageContext['t'];

function methodName(method: string, t: T): string {
  if (method === 'simulator') return t('pay.methodSimulator');
  if (method === 'stripe') return t('pay.methodCard');
  return t('pay.methodTransfer');
}

function methodHint(method: string, t: T): string {
  if (method === 'simulator') return t('pay.methodSimulatorHint');
  if (method === 'stripe') return t('pay.methodCardHint');
  return t('pay.methodTransferHint');
}

/** A small line icon per method: a card, a bank, a test flask. */
function MethodIcon({ method }: { method: string }) {
  const common = { className: 'method__icon', viewBox: '0 0 24 24', width: 28, height: 28, fill: 'none', stroke: 'currentColor', strokeWidth: 1.8, strokeLinecap: 'round', strokeLinejoin: 'round', 'aria-hidden': true } as const;
  if (method === 'stripe') {
    return (
      <svg {...common}>
        <rect x="2.5" y="5" width="19" height="14" rx="2.5" />
        <path d="M2.5 9.5h19M6 15h4" />
      </svg>
    );
  }
  if (method === 'simulator') {
    return (
      <svg {...common}>
        <path d="M9 3h6M10 3v6.5L4.8 18.2A1.9 1.9 0 0 0 6.4 21h11.2a1.9 1.9 0 0 0 1.6-2.8L14 9.5V3" />
        <path d="M7.5 14.5h9" />
      </svg>
    );
  }
  return (
    <svg {...common}>
      <path d="M3 9.5 12 4l9 5.5M4.5 10v8M9.5 10v8M14.5 10v8M19.5 10v8M3 20.5h18" />
    </svg>
  );
}

/**
 * Tips before paying: no tip, the point of sale's presets (with what they come to on a fixed
 * amount), or an amount of the payer's own. Works without JavaScript (the server computes a
 * preset's tip); with it, the Pay button shows the total.
 */
function TipChoice({ ctx, link, tips, values, invalid, describedBy }: { ctx: PageContext; link: PayPageLink; tips: TipSettings; values: PayFormValues; invalid: boolean; describedBy: string | undefined }) {
  const { t, intl } = ctx;
  const money = (minor: number) => formatMoney(minor, link.currency, intl);
  const chosen = values.tip ?? 'none';
  const percent = (p: number) => new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 2 }).format(p / 100);
  const exp = 10 ** exponentOf(link.currency);
  return (
    <fieldset className="methods tips" data-tips="" data-exponent={exp} data-base={link.amount ?? undefined} data-intl={intl} data-currency={link.currency}>
      <legend className="field__label">{t('pay.tip')}</legend>
      <div className="tips__options">
        <label className="method tip">
          <input type="radio" name="tip" value="none" defaultChecked={chosen === 'none'} data-tip-minor="0" />
          <span className="method__name">{t('pay.tipNone')}</span>
        </label>
        {tips.presets.map((p) => (
          <label className="method tip" key={p}>
            <input type="radio" name="tip" value={String(p)} defaultChecked={chosen === String(p)} data-tip-percent={p} data-tip-minor={link.amount === null ? undefined : tipForPercent(link.amount, p)} />
            <span className="method__body">
              <span className="method__name">{percent(p)}</span>
              {link.amount !== null ? <span className="method__hint">{money(tipForPercent(link.amount, p))}</span> : null}
            </span>
          </label>
        ))}
        <label className="method tip">
          <input type="radio" name="tip" value="other" defaultChecked={chosen === 'other'} />
          <span className="method__name">{t('pay.tipOther')}</span>
        </label>
      </div>
      <div className={`tips__other field${invalid ? ' is-invalid' : ''}`}>
        <label className="field__label sr-only" htmlFor="tip-amount">
          {t('pay.tipOtherLabel')}
        </label>
        <div className={`money-input${symbolAfter(link.currency, intl) ? ' money-input--after' : ''}${invalid ? ' is-invalid' : ''}`}>
          <span className="money-input__symbol" aria-hidden="true">
            {currencySymbol(link.currency, intl)}
          </span>
          <input
            id="tip-amount"
            name="tipAmount"
            type="text"
            inputMode="decimal"
            spellCheck={false}
            maxLength={20}
            placeholder={t('pay.tipOtherLabel')}
            defaultValue={values.tipAmount ?? ''}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            autoFocus={invalid || undefined}
          />
        </div>
      </div>
    </fieldset>
  );
}
