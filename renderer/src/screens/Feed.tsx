import { useEffect, useState } from 'react';
import type { EventItem } from '../api/types';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, feedStore } from '../services';
import { isNotable } from '../stores/feed';
import { describeEvent, isAlert } from '../lib/describe';
import { formatTime, formatRelative } from '../lib/format';
import { formatMoney } from '../lib/amount';
import { fetchToday, TODAY_MAX_PAGES, TODAY_PAGE, type TodaySummary } from '../lib/today';
import { unlockAudio } from '../lib/beep';
import { navigate } from '../lib/router';
import { Button, Empty, PageHeader, Segmented, TestBadge } from '../components/ui';
import { IconAlert, IconMute, IconSound } from '../components/icons';
import { useNow } from './Charge';

type FeedFilter = 'all' | 'payments' | 'links' | 'alerts';

function shownIn(filter: FeedFilter, type: EventItem['type']): boolean {
  if (filter === 'all') return true;
  if (filter === 'alerts') return isAlert({ type });
  return type.startsWith(filter === 'payments' ? 'payment.' : 'link.');
}

/** Live events as they happen: payments first of all, with a chime when money arrives. */
export function FeedScreen() {
  const { t, i18n } = useTranslation();
  const feed = useStore(feedStore);
  const [filter, setFilter] = useState<FeedFilter>('all');
  const now = useNow(15_000);

  useEffect(() => {
    feedStore.getState().setActive(true);
    return () => feedStore.getState().setActive(false);
  }, []);

  const shown = feed.events.filter(isNotable).filter((e) => shownIn(filter, e.type));

  return (
    <div className="page page-narrow">
      <PageHeader
        title={t('feed.title')}
        subtitle={
          <span className={`live-dot live-${feed.status}`} data-testid="feed-status" data-status={feed.status}>
            {t(`stream.${feed.status}`)}
          </span>
        }
        actions={
          <Button
            icon={feed.sound ? <IconSound /> : <IconMute />}
            aria-pressed={feed.sound}
            data-testid="sound-toggle"
            onClick={() => {
              unlockAudio();
              feedStore.getState().setSound(!feed.sound);
            }}
          >
            {feed.sound ? t('feed.soundOn') : t('feed.soundOff')}
          </Button>
        }
      />
      <TodayCard />
      <Segmented
        name="feed-filter"
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'all', label: t('feed.all') },
          { value: 'payments', label: t('feed.payments') },
          { value: 'links', label: t('feed.links') },
          { value: 'alerts', label: t('feed.alerts') },
        ]}
      />
      {shown.length === 0 ? (
        <Empty title={t('feed.empty')}>{t('feed.emptyHint')}</Empty>
      ) : (
        <ol className="feed" data-testid="feed-list">
          {shown.map((e) => {
            const d = describeEvent(e, t, i18n.language);
            // Who did it (charges, refunds, confirmations record their actor).
            const actor = (e.data as { actor?: { name?: unknown } } | null)?.actor;
            const by = actor && typeof actor.name === 'string' ? actor.name : null;
            return (
              <li
                key={e.id}
                className={`feed-item tone-${d.tone} ${d.to ? 'clickable' : ''} ${isAlert(e) ? 'feed-alert' : ''}`}
                data-event-id={e.id}
                data-type={e.type}
                onClick={() => d.to && navigate(d.to)}
              >
                {isAlert(e) ? <IconAlert size={18} className="feed-alert-icon" /> : <span className="feed-dot" aria-hidden="true" />}
                <div className="feed-body">
                  <div className="feed-title">
                    {d.title} <TestBadge livemode={e.livemode} />
                  </div>
                  {(d.detail || by) && (
                    <div className="feed-detail">
                      {d.detail}
                      {by && (
                        <span className="feed-actor" data-testid="feed-actor">
                          {d.detail ? ' · ' : ''}
                          {t('feed.by', { name: by })}
                        </span>
                      )}
                    </div>
                  )}
                </div>
                <time className="feed-time" title={formatTime(e.createdAt, i18n.language)} dateTime={e.createdAt}>
                  {formatRelative(e.createdAt, i18n.language, now)}
                </time>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

/** Today's takings at the top of the feed: count and net total, then per payment method. */
function TodayCard() {
  const { t, i18n } = useTranslation();
  const [summary, setSummary] = useState<TodaySummary | null>(null);
  const day = new Date(useNow(60_000)).toDateString();

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (): void => {
      fetchToday(api).then(
        (s) => live && setSummary(s),
        () => {},
      );
    };
    load();
    const unsubscribe = feedStore.getState().subscribe((events) => {
      if (!events.some((e) => e.type === 'payment.succeeded' || e.type === 'payment.refunded')) return;
      clearTimeout(timer);
      timer = setTimeout(load, 300);
    });
    return () => {
      live = false;
      clearTimeout(timer);
      unsubscribe();
    };
  }, [day]);

  if (!summary) return null;
  const money = (totals: TodaySummary['totals']) => totals.map((x) => formatMoney(x.amount, x.currency, i18n.language)).join(' · ');
  return (
    <section className="card today" aria-labelledby="today-title" data-testid="today">
      <h2 id="today-title" className="today-title">
        {t('feed.today')}
      </h2>
      {summary.count === 0 ? (
        <p className="muted today-none">{t('feed.todayNone')}</p>
      ) : (
        <>
          <div className="today-numbers">
            <div>
              <div className="today-total" data-testid="today-total">
                {money(summary.totals)}
              </div>
              <div className="stat-label">{t('feed.todayTotal')}</div>
            </div>
            <div>
              <div className="today-count" data-testid="today-count">
                {summary.count}
              </div>
              <div className="stat-label">{t('feed.todayCount')}</div>
            </div>
          </div>
          <ul className="today-methods">
            {summary.byMethod.map((m) => (
              <li key={m.method} data-method={m.method}>
                <span className="today-method">{t(`methods.${m.method}`, { defaultValue: m.method })}</span>
                <span className="today-method-figures">
                  {m.count} · {money(m.totals)}
                </span>
              </li>
            ))}
          </ul>
          {summary.truncated && <p className="muted small">{t('feed.todayMore', { count: TODAY_PAGE * TODAY_MAX_PAGES })}</p>}
        </>
      )}
    </section>
  );
}
