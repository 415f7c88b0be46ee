import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { feedStore } from '../services';
import { isNotable } from '../stores/feed';
import { describeEvent, isAlert } from '../lib/describe';
import { formatTime, formatRelative } from '../lib/format';
import { unlockAudio } from '../lib/beep';
import { navigate } from '../lib/router';
import { Button, Empty, PageHeader, Segmented } from '../components/ui';
import { IconAlert, IconMute, IconSound } from '../components/icons';
import { useNow } from './Charge';

type FeedFilter = 'all' | 'payments' | 'links' | 'alerts';

function shownIn(filter: FeedFilter, type: string): boolean {
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
                  <div className="feed-title">{d.title}</div>
                  {d.detail && <div className="feed-detail">{d.detail}</div>}
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
