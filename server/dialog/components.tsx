import type { ReactNode } from 'react';
import { LANGUAGE_NAMES, LOCALES, type Locale, type T } from './i18n';

/** What every page needs to render: language, formatting and the merchant. */
export interface PageContext {
  locale: Locale;
  /** Intl locale for numbers and dates, e.g. `de` or `de-AT`. */
  intl: string;
  t: T;
  merchantName: string;
  timeZone: string;
  assets: { css: string; js: string };
}

interface LayoutProps {
  ctx: PageContext;
  title: string;
  children: ReactNode;
  /** The simulator: striped TEST banner on top. */
  sim?: boolean;
  /** Links to the same page in each language; omitted where switching makes no sense. */
  languages?: Partial<Record<Locale, string>>;
  /** data-* attributes on <body> for dialog.js (e.g. the status poll). */
  bodyData?: Record<`data-${string}`, string>;
  /** Reload the page every n seconds without JavaScript (pending result). */
  noScriptRefreshSeconds?: number;
  /** A slim "test mode" note above the card (the dialog while only the simulator exists). */
  testNotice?: boolean;
}

export function Layout({ ctx, title, children, sim, languages, bodyData, noScriptRefreshSeconds, testNotice }: LayoutProps) {
  const { t } = ctx;
  return (
    <html lang={ctx.locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="color-scheme" content="light" />
        <meta name="theme-color" content={sim ? '#f5c400' : '#f6f8fa'} />
        <title>{title}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={ctx.assets.css} />
        <script src={ctx.assets.js} defer />
        {noScriptRefreshSeconds ? (
          <noscript>
            <meta httpEquiv="refresh" content={String(noScriptRefreshSeconds)} />
          </noscript>
        ) : null}
      </head>
      <body className={sim ? 'page page--sim' : 'page'} {...bodyData}>
        {sim ? (
          <div className="test-banner" role="note">
            <span>{t('sim.banner')}</span>
          </div>
        ) : null}
        <main className="shell">
          <header className="merchant">
            <span className="merchant__avatar" aria-hidden="true">
              {initial(ctx.merchantName)}
            </span>
            <span className="merchant__name">{ctx.merchantName}</span>
          </header>
          {testNotice ? (
            <p className="test-note">
              <TestPill ctx={ctx} />
              <span>{t('common.testNotice')}</span>
            </p>
          ) : null}
          {children}
          <footer className="foot">
            {languages ? <LanguageSwitcher ctx={ctx} languages={languages} /> : null}
            <p className="foot__by">
              <LockIcon />
              <span>{t('common.poweredBy', { merchant: ctx.merchantName })}</span>
            </p>
          </footer>
        </main>
      </body>
    </html>
  );
}

function initial(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? first.toLocaleUpperCase() : '·';
}

function LanguageSwitcher({ ctx, languages }: { ctx: PageContext; languages: Partial<Record<Locale, string>> }) {
  return (
    <nav className="langs" aria-label={ctx.t('common.language')}>
      <ul>
        {LOCALES.filter((l) => languages[l]).map((l) => (
          <li key={l}>
            {l === ctx.locale ? (
              <span className="langs__current" lang={l} aria-current="page">
                {LANGUAGE_NAMES[l]}
              </span>
            ) : (
              <a href={languages[l]} lang={l} hrefLang={l}>
                {LANGUAGE_NAMES[l]}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * The payer's "cancel payment" form (a plain post, works without JS). `action` is the cancel URL
 * of the payment; an optional hint sits before the button.
 */
export function CancelPaymentForm({ ctx, action, hint }: { ctx: PageContext; action: string; hint?: string }) {
  return (
    <form className="cancel-form" method="post" action={action} data-busy-form="">
      <input type="hidden" name="locale" value={ctx.locale} />
      {hint ? (
        <>
          <span>{hint}</span>{' '}
        </>
      ) : null}
      <button className="linkish" type="submit">
        {ctx.t('sim.cancel')}
      </button>
    </form>
  );
}

/** The cancel URL of a payment on its link. */
export function cancelAction(linkId: string, paymentId: string): string {
  return `/pay-by-link/${encodeURIComponent(linkId)}/payments/${encodeURIComponent(paymentId)}/cancel`;
}

export function TestPill({ ctx }: { ctx: PageContext }) {
  return <span className="pill pill--test">{ctx.t('common.testBadge')}</span>;
}

/** A row of label/value facts (amount, reference, date…). */
export function Facts({ rows }: { rows: [label: string, value: ReactNode, mono?: boolean][] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value, mono]) => (
        <div className="facts__row" key={label}>
          <dt>{label}</dt>
          <dd className={mono ? 'mono' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export type Tone = 'success' | 'danger' | 'warning' | 'neutral';

/** The big round status icon at the top of status pages. */
export function StatusIcon({ tone, kind }: { tone: Tone; kind: 'check' | 'cross' | 'clock' | 'info' | 'lock' | 'search' }) {
  return (
    <div className={`status-icon status-icon--${tone}`} aria-hidden="true">
      <svg viewBox="0 0 24 24" width="32" height="32" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round">
        {kind === 'check' ? <path d="M5 12.5l4.5 4.5L19 7.5" /> : null}
        {kind === 'cross' ? <path d="M7 7l10 10M17 7L7 17" /> : null}
        {kind === 'clock' ? (
          <>
            <circle cx="12" cy="12" r="8.5" />
            <path d="M12 7.5V12l3 2" />
          </>
        ) : null}
        {kind === 'info' ? (
          <>
            <circle cx="12" cy="12" r="8.5" />
            <path d="M12 11v5.5M12 7.6v.1" />
          </>
        ) : null}
        {kind === 'lock' ? (
          <>
            <rect x="5.5" y="10.5" width="13" height="9" rx="2" />
            <path d="M8.5 10.5V8a3.5 3.5 0 017 0v2.5" />
          </>
        ) : null}
        {kind === 'search' ? (
          <>
            <circle cx="11" cy="11" r="6" />
            <path d="M20 20l-4.5-4.5" />
          </>
        ) : null}
      </svg>
    </div>
  );
}

export function LockIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
      <rect x="5.5" y="10.5" width="13" height="9" rx="2" />
      <path d="M8.5 10.5V8a3.5 3.5 0 017 0v2.5" />
    </svg>
  );
}

export function AlertIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden="true">
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7.5v5.5M12 16.3v.1" />
    </svg>
  );
}
