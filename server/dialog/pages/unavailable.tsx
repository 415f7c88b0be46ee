import type { ReactNode } from 'react';
import type { LinkStatus } from '../../../core/links/types';
import { CancelPaymentForm, Layout, StatusIcon, type PageContext, type Tone } from '../components';
import { formatDateTime, formatTime, sameDay } from '../format';
import type { Locale } from '../i18n';

export type UnavailableKind = Exclude<LinkStatus, 'enabled'> | 'notFound' | 'notPayable' | 'error' | 'busy';

/** HTTP status of each page: 404 unknown, 423 locked, 403 disabled, 410 for what is over for good, 429 too many starts. */
export const UNAVAILABLE_STATUS: Record<UnavailableKind, number> = {
  notFound: 404,
  notPayable: 404,
  error: 500,
  busy: 429,
  locked: 423,
  disabled: 403,
  consumed: 410,
  expired: 410,
  cancelled: 410,
  usage_limit_reached: 410,
  amount_limit_reached: 410,
};

const LOOK: Record<UnavailableKind, { tone: Tone; icon: 'check' | 'cross' | 'clock' | 'info' | 'lock' | 'search' }> = {
  notFound: { tone: 'neutral', icon: 'search' },
  notPayable: { tone: 'neutral', icon: 'info' },
  error: { tone: 'danger', icon: 'info' },
  busy: { tone: 'warning', icon: 'clock' },
  locked: { tone: 'warning', icon: 'clock' },
  disabled: { tone: 'neutral', icon: 'lock' },
  consumed: { tone: 'success', icon: 'check' },
  expired: { tone: 'neutral', icon: 'clock' },
  cancelled: { tone: 'neutral', icon: 'cross' },
  usage_limit_reached: { tone: 'neutral', icon: 'info' },
  amount_limit_reached: { tone: 'neutral', icon: 'info' },
};

const MARK = '\u0000';

export interface UnavailablePageProps {
  ctx: PageContext;
  kind: UnavailableKind;
  linkName?: string;
  /** For `locked`: when the lock ends (ms), and the current time to phrase it. */
  lockedUntil?: number | null;
  now: number;
  /** For `locked`: the URL to check again. */
  retryUrl?: string;
  /** For `locked`, when this browser started the pending payment: back to it, or cancel it. */
  own?: { checkoutUrl: string; cancelAction: string | null };
  languages?: Partial<Record<Locale, string>>;
}

/** A friendly page for a link that cannot be paid right now (or ever). */
export function UnavailablePage({ ctx, kind, linkName, lockedUntil, now, retryUrl, own, languages }: UnavailablePageProps) {
  const { t, intl } = ctx;
  const title = t(`unavailable.${kind}.title`);
  const look = LOOK[kind];
  let until: ReactNode = null;
  if (kind === 'locked' && lockedUntil && !own) {
    // The translated sentence with the time in bold: split around a marker, React escapes both parts.
    const [before = '', after = ''] = (
      sameDay(lockedUntil, now, ctx.timeZone) ? t('unavailable.locked.until', { time: MARK }) : t('unavailable.locked.untilDate', { date: MARK })
    ).split(MARK);
    const when = sameDay(lockedUntil, now, ctx.timeZone) ? formatTime(lockedUntil, intl, ctx.timeZone) : formatDateTime(lockedUntil, intl, ctx.timeZone);
    until = (
      <>
        {before}
        <strong>{when}</strong>
        {after}
      </>
    );
  }
  return (
    <Layout ctx={ctx} title={`${title} · ${ctx.merchantName}`} {...(languages ? { languages } : {})}>
      <section className="card card--center" aria-labelledby="page-title">
        <StatusIcon tone={look.tone} kind={look.icon} />
        {linkName ? <p className="kicker">{linkName}</p> : null}
        <h1 className="title" id="page-title">
          {title}
        </h1>
        <p className="lead">{t(`unavailable.${kind}.body`, { merchant: ctx.merchantName })}</p>
        {until ? (
          <p className="lead" data-locked-until={lockedUntil ? new Date(lockedUntil).toISOString() : undefined}>
            {until}
          </p>
        ) : null}
        {kind === 'locked' && own ? (
          <>
            <p className="lead">{t('unavailable.locked.yours')}</p>
            <a className="btn btn--primary btn--block" href={own.checkoutUrl}>
              {t('unavailable.locked.continue')}
            </a>
            {own.cancelAction ? <CancelPaymentForm ctx={ctx} action={own.cancelAction} /> : null}
          </>
        ) : kind === 'locked' && retryUrl ? (
          <a className="btn btn--secondary btn--block" href={retryUrl}>
            {t('unavailable.locked.refresh')}
          </a>
        ) : null}
      </section>
    </Layout>
  );
}
