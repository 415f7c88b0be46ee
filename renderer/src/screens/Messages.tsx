import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, feedStore } from '../services';
import { createListStore } from '../stores/list';
import { CHANNELS, NOTIFICATION_STATUSES, type Channel, type MessageReport, type Notification, type NotificationStatus, type Page } from '../api/types';
import { applyNotificationEvents, canRetry, isInFlight, REPORT_PRESETS, reportPeriod, upsertNotification, type NotificationFilters, type ReportPreset } from '../lib/messaging';
import { formatDateTime } from '../lib/format';
import { navigate } from '../lib/router';
import { AppLink, Button, Card, ErrorBox, Money, NotificationStatusChip, PageHeader, Segmented, TestBadge } from '../components/ui';
import type { Livemode } from '../api/types';
import { ChannelLabel, RouteNote, TransportLabel } from '../components/messaging';
import { retryNotification } from '../components/LinkMessages';
import { IconRetry } from '../components/icons';
import { ListTable } from '../components/ListTable';
import { errorText } from '../lib/error-text';

export const messagesList = createListStore<Notification, NotificationFilters>({
  key: (n) => n.id,
  initialFilters: { channel: '', status: '', linkId: '' },
  fetchPage: (f, cursor, limit) => api.get<Page<Notification>>('/api/v1/notifications', { limit, cursor, channel: f.channel, status: f.status, linkId: f.linkId }),
});

/** A message that waits for a retry changes without an event (only its final outcome has one): look again now and then. */
const POLL_MS = 5000;

/** The outbox: every email and SMS, where it went, and what it cost. */
export function MessagesScreen() {
  const { t, i18n } = useTranslation();
  const list = useStore(messagesList);
  const merchant = useStore(appStore, (s) => s.merchant);

  useEffect(() => {
    void messagesList.getState().load();
    return feedStore.getState().subscribe((events) => {
      const s = messagesList.getState();
      const next = applyNotificationEvents(s.items, events, s.filters, s.page === 0);
      if (next !== s.items) messagesList.setState({ items: next });
    });
  }, []);

  const pending = list.items.some(isInFlight);
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void messagesList.getState().refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [pending]);

  const f = list.filters;
  const set = (patch: Partial<NotificationFilters>) => void messagesList.getState().setFilters(patch);
  const filtered = Boolean(f.channel || f.status || f.linkId);
  const retry = (n: Notification) =>
    void retryNotification(n, t).then((next) => {
      if (next) messagesList.setState({ items: upsertNotification(messagesList.getState().items, next, messagesList.getState().filters, false) });
    });

  return (
    <div className="page">
      <PageHeader title={t('messages.title')} subtitle={t('messages.subtitle')} />
      <div className="messages-top">
        <ReportCard />
        <Card title={t('messages.whereTitle')} className="route-card" actions={<AppLink to="/settings#messaging" className="small">{t('messages.configure')}</AppLink>}>
          <RouteNote channel="email" merchant={merchant} />
          <RouteNote channel="sms" merchant={merchant} />
        </Card>
      </div>
      <div className="filters">
        <select value={f.channel} onChange={(e) => set({ channel: e.target.value as Channel | '' })} aria-label={t('messages.filterChannel')}>
          <option value="">{t('messages.allChannels')}</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`channels.${c}`)}
            </option>
          ))}
        </select>
        <select value={f.status} onChange={(e) => set({ status: e.target.value as NotificationStatus | '' })} aria-label={t('messages.filterStatus')}>
          <option value="">{t('messages.allStatuses')}</option>
          {NOTIFICATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`notificationStatus.${s}`)}
            </option>
          ))}
        </select>
        {filtered && (
          <Button variant="ghost" onClick={() => set({ channel: '', status: '', linkId: '' })}>
            {t('common.resetFilters')}
          </Button>
        )}
      </div>
      <ListTable
        list={list}
        store={messagesList}
        filtered={Boolean(filtered)}
        empty={{ title: t('messages.empty'), noMatch: t('messages.noMatch'), hint: t('messages.emptyHint') }}
        testId="messages-table"
        head={
          <tr>
            <th>{t('messages.col.to')}</th>
            <th>{t('messages.col.status')}</th>
            <th className="num">{t('messages.col.attempts')}</th>
            <th>{t('messages.col.transport')}</th>
            <th>{t('messages.col.time')}</th>
            <th>
              <span className="sr-only">{t('common.actions')}</span>
            </th>
          </tr>
        
        }
      >
        {list.items.map((n) => (
          <tr key={n.id} className="clickable" onClick={() => navigate(`/messages/${n.id}`)} data-notification-id={n.id}>
            <td>
              <span className="recipient">
                <ChannelLabel channel={n.channel} withText={false} />
                <AppLink to={`/messages/${n.id}`} className="row-title">
                  {n.to}
                </AppLink>
                <TestBadge livemode={(n as Livemode).livemode} />
              </span>
              <div className="row-sub">
                {t(`channels.${n.channel}`)} · {t(`locales.${n.locale}`, { defaultValue: n.locale })}
              </div>
            </td>
            <td>
              <NotificationStatusChip status={n.status} />
              {n.lastError && (
                <div className="row-error" title={n.lastError}>
                  {n.lastError}
                </div>
              )}
              {n.nextAttemptAt && <div className="row-sub">{t('messages.nextAttempt', { time: formatDateTime(n.nextAttemptAt, i18n.language) })}</div>}
            </td>
            <td className="num">{n.attempts}</td>
            <td>
              <TransportLabel transport={n.transport} />
            </td>
            <td className="nowrap">{formatDateTime(n.sentAt ?? n.createdAt, i18n.language)}</td>
            <td className="actions-cell" onClick={(e) => e.stopPropagation()}>
              {canRetry(n) && (
                <Button size="sm" icon={<IconRetry size={16} />} onClick={() => retry(n)} data-testid="retry">
                  {t('messages.retry')}
                </Button>
              )}
            </td>
          </tr>
        ))}
      
      </ListTable>
    </div>
  );
}

/** Counts and costs per period (GET /api/v1/reports/messages), refreshed as messages go out. */
function ReportCard() {
  const { t } = useTranslation();
  const [preset, setPreset] = useState<ReportPreset>('thisMonth');
  const [report, setReport] = useState<MessageReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = (): void => {
      api.get<MessageReport>('/api/v1/reports/messages', reportPeriod(preset)).then(
        (r) => {
          if (!live) return;
          setReport(r);
          setError(null);
        },
        (err: unknown) => live && setError(errorText(err)),
      );
    };
    load();
    const off = feedStore.getState().subscribe((events) => {
      if (events.some((e) => e.type === 'notification.sent')) load();
    });
    return () => {
      live = false;
      off();
    };
  }, [preset]);

  const cell = (key: 'email' | 'sms' | 'total') => (
    <div className="stat" data-testid={`report-${key}`}>
      <div className="stat-value">{report ? report[key].count : '–'}</div>
      <div className="stat-label">{t(`report.${key}`)}</div>
      {report && (
        <div className="stat-cost">
          <Money amount={report[key].cost} currency={report.currency} />
        </div>
      )}
    </div>
  );

  return (
    <Card
      title={t('report.title')}
      className="report-card"
      actions={<Segmented<ReportPreset> name="report-period" value={preset} onChange={setPreset} options={REPORT_PRESETS.map((p) => ({ value: p, label: t(`report.${p}`) }))} />}
    >
      <ErrorBox messages={error ? [error] : []} />
      <div className="stats stats-3">
        {cell('email')}
        {cell('sms')}
        {cell('total')}
      </div>
      {report && report.otherCurrencies.length > 0 && (
        <p className="muted small">
          {t('report.otherCurrencies', { list: report.otherCurrencies.map((o) => `${o.count} × ${t(`channels.${o.channel}`)} ${o.cost} ${o.currency}`).join(', ') })}
        </p>
      )}
      <p className="muted small report-hint">{t('report.hint')}</p>
    </Card>
  );
}
