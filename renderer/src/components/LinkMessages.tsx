import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, feedStore } from '../services';
import type { Notification, Page } from '../api/types';
import { applyNotificationEvents, canRetry, upsertNotification } from '../lib/messaging';
import { formatDateTime } from '../lib/format';
import { navigate } from '../lib/router';
import { toast } from '../stores/toast';
import { AppLink, Card, Empty, NotificationStatusChip } from './ui';
import { ChannelLabel } from './messaging';
import { IconRetry } from './icons';
import { errorText } from '../lib/error-text';

/** Retry now; the row follows from the `notification.queued` event (and the answer itself). */
export async function retryNotification(n: Notification, t: (key: string) => string): Promise<Notification | undefined> {
  try {
    const next = await api.post<Notification>(`/api/v1/notifications/${encodeURIComponent(n.id)}/retry`);
    toast(t('messages.retried'), 'success');
    return next;
  } catch (err) {
    toast(errorText(err), 'error');
    return undefined;
  }
}

/**
 * A link's messages: who it was sent to, and how that went — live from `notification.*` events.
 * `sent` is the newest send from this page (shown at once, before its event arrives).
 */
export function LinkMessages({ linkId, sent, actions }: { linkId: string; sent: Notification | null; actions?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<Notification[] | null>(null);

  useEffect(() => {
    let live = true;
    api.get<Page<Notification>>('/api/v1/notifications', { linkId, limit: 20 }).then(
      // Whatever arrived live meanwhile is newer than the page: merge, newest state wins.
      (page) => live && setItems((now) => page.data.reduce((acc, n) => upsertNotification(acc, n, { linkId }), now ?? [])),
      () => live && setItems([]),
    );
    const off = feedStore.getState().subscribe((events) => setItems((now) => applyNotificationEvents(now ?? [], events, { linkId })));
    return () => {
      live = false;
      off();
    };
  }, [linkId]);

  useEffect(() => {
    if (sent) setItems((now) => upsertNotification(now ?? [], sent, { linkId }));
  }, [sent]);

  return (
    <Card title={t('linkDetail.messages')} actions={actions} className="link-messages">
      {items === null ? null : items.length === 0 ? (
        <Empty title={t('linkDetail.noMessages')}>{t('linkDetail.noMessagesHint')}</Empty>
      ) : (
        <table className="table compact link-messages-table" data-testid="link-messages">
          <thead>
            <tr>
              <th>{t('messages.col.to')}</th>
              <th>{t('messages.col.status')}</th>
              <th>
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((n) => (
              <tr key={n.id} className="clickable" onClick={() => navigate(`/messages/${n.id}`)} data-notification-id={n.id}>
                <td>
                  <span className="recipient">
                    <ChannelLabel channel={n.channel} withText={false} />
                    <AppLink to={`/messages/${n.id}`} className="row-title">
                      {n.to}
                    </AppLink>
                  </span>
                  <div className="row-sub">
                    {formatDateTime(n.sentAt ?? n.createdAt, i18n.language)}
                    {n.attempts > 1 && ` · ${t('messages.attemptsCount', { count: n.attempts })}`}
                  </div>
                </td>
                <td>
                  <NotificationStatusChip status={n.status} />
                  {n.lastError && (
                    <div className="row-error" title={n.lastError}>
                      {n.lastError}
                    </div>
                  )}
                </td>
                <td className="actions-cell" onClick={(e) => e.stopPropagation()}>
                  {canRetry(n) && (
                    <button
                      type="button"
                      className="icon-btn"
                      aria-label={t('messages.retry')}
                      title={t('messages.retry')}
                      onClick={() => void retryNotification(n, t).then((next) => next && setItems((now) => upsertNotification(now ?? [], next, { linkId })))}
                    >
                      <IconRetry size={18} />
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
