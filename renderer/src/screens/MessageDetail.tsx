import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, feedStore } from '../services';
import type { Link, Notification } from '../api/types';
import { canRetry, isInFlight, previewMode, upsertNotification } from '../lib/messaging';
import { saveBlob } from '../lib/clipboard';
import { formatDateTime } from '../lib/format';
import { toast } from '../stores/toast';
import { AppLink, Button, Card, ErrorBox, Money, NotificationStatusChip, PageHeader, Spinner, TestBadge } from '../components/ui';
import type { Livemode } from '../api/types';
import { ChannelLabel, TransportLabel } from '../components/messaging';
import { retryNotification } from '../components/LinkMessages';
import { IconDownload, IconRetry } from '../components/icons';
import { errorText } from '../lib/error-text';

/** One message: the preview (the email as rendered for it, or the SMS text), its status and attempts. */
export function MessageDetailScreen({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [n, setN] = useState<Notification | null>(null);
  const [link, setLink] = useState<Link | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    api.get<Notification>(`/api/v1/notifications/${encodeURIComponent(id)}`).then(
      (got) => {
        if (!live) return;
        setN((now) => upsertNotification(now ? [now] : [], got)[0] ?? got);
        setError(null);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [id, tick]);

  const linkId = n?.linkId;
  useEffect(() => {
    if (linkId) api.get<Link>(`/api/v1/links/${encodeURIComponent(linkId)}`).then(setLink, () => {});
  }, [linkId]);

  useEffect(
    () =>
      feedStore.getState().subscribe((events) => {
        for (const e of events) {
          const d = e.data as Notification | null;
          if (e.type.startsWith('notification.') && d?.id === id) setN((now) => upsertNotification(now ? [now] : [], d)[0] ?? now);
        }
      }),
    [id],
  );

  // A retry that failed again sends no event: look again while it waits.
  const inFlight = n ? isInFlight(n) : false;
  useEffect(() => {
    if (!inFlight) return;
    const timer = setInterval(() => setTick((x) => x + 1), 5000);
    return () => clearInterval(timer);
  }, [inFlight]);

  if (error && !n) return <ErrorBox messages={[error]} />;
  if (!n) return <Spinner />;

  const rows: [string, ReactNode][] = [
    [t('messageDetail.channel'), <ChannelLabel key="c" channel={n.channel} />],
    [t('messageDetail.to'), <span key="to" className="break">{n.to}</span>],
    [t('messageDetail.link'), link ? <AppLink key="l" to={`/links/${link.id}`}>{link.name}</AppLink> : <span key="l" className="mono">{n.linkId}</span>],
    [t('messageDetail.locale'), t(`locales.${n.locale}`, { defaultValue: n.locale })],
    ...(n.message ? [[t('messageDetail.note'), n.message] as [string, ReactNode]] : []),
    [t('messageDetail.attempts'), String(n.attempts)],
    ...(n.lastError ? [[t('messageDetail.lastError'), <span key="e" className="text-error">{n.lastError}</span>] as [string, ReactNode]] : []),
    ...(n.nextAttemptAt ? [[t('messageDetail.nextAttempt'), formatDateTime(n.nextAttemptAt, locale)] as [string, ReactNode]] : []),
    [t('messageDetail.transport'), <TransportLabel key="tr" transport={n.transport} />],
    ...(n.cost !== null && n.currency ? [[t('messageDetail.cost'), <Money key="cost" amount={n.cost} currency={n.currency} />] as [string, ReactNode]] : []),
    [t('messageDetail.queued'), formatDateTime(n.createdAt, locale)],
    ...(n.sentAt ? [[t('messageDetail.sent'), formatDateTime(n.sentAt, locale)] as [string, ReactNode]] : []),
    ...(n.deliveredAt ? [[t('messageDetail.delivered'), formatDateTime(n.deliveredAt, locale)] as [string, ReactNode]] : []),
    ...(n.failedAt ? [[t('messageDetail.failed'), formatDateTime(n.failedAt, locale)] as [string, ReactNode]] : []),
  ];

  const downloadEml = async (): Promise<void> => {
    try {
      saveBlob(await api.blob(`/api/v1/notifications/${encodeURIComponent(n.id)}/message`, { format: 'eml' }), `${n.id}.eml`);
    } catch (err) {
      toast(errorText(err), 'error');
    }
  };

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/messages', label: t('nav.messages') }}
        title={
          <span className="title-with-chip">
            <span className="break">{n.to}</span> <NotificationStatusChip status={n.status} /> <TestBadge livemode={(n as Livemode).livemode} />
          </span>
        }
        subtitle={<span className="mono">{n.id}</span>}
        actions={
          <>
            {n.channel === 'email' && (
              <Button icon={<IconDownload />} onClick={() => void downloadEml()}>
                {t('messageDetail.downloadEml')}
              </Button>
            )}
            {canRetry(n) && (
              <Button variant="primary" icon={<IconRetry />} onClick={() => void retryNotification(n, t).then((next) => next && setN(next))} data-testid="retry">
                {t('messages.retry')}
              </Button>
            )}
          </>
        }
      />
      <div className="detail-grid">
        <div className="detail-main">
          <Card title={t('messageDetail.preview')}>
            <MessagePreview n={n} />
          </Card>
        </div>
        <aside className="detail-side">
          <Card title={t('messageDetail.details')}>
            <dl className="props props-stacked">
              {rows.map(([k, v], i) => (
                <div key={i} className="prop">
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </Card>
        </aside>
      </div>
    </div>
  );
}

/**
 * The message as the customer gets it. An email is the server's own rendering in a sandboxed
 * frame (no scripts, no same-origin access; the response's CSP allows nothing but its inline
 * styles and the QR as a data: image). An SMS is its text, as a chat bubble.
 */
function MessagePreview({ n }: { n: Notification }) {
  const { t } = useTranslation();
  const mode = previewMode(n.channel, api.usesCookie);
  const path = `/api/v1/notifications/${encodeURIComponent(n.id)}/message`;
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (mode !== 'text') return;
    let live = true;
    api.text(path, { format: 'text' }).then(
      (body) => live && setText(body),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [path, mode, n.updatedAt]);

  if (mode === 'frame') {
    return <iframe className="email-frame" title={t('messageDetail.preview')} sandbox="" src={api.url(path)} referrerPolicy="no-referrer" data-testid="message-preview" />;
  }
  if (error) return <ErrorBox messages={[error]} />;
  if (text === null) return <Spinner />;
  return n.channel === 'sms' ? (
    <div className="sms-preview" data-testid="message-preview">
      <div className="sms-bubble">{text}</div>
      <div className="muted small">{t('messageDetail.smsLength', { count: text.length })}</div>
    </div>
  ) : (
    <div data-testid="message-preview">
      <p className="muted small">{t('messageDetail.textOnly')}</p>
      <pre className="email-text">{text}</pre>
    </div>
  );
}
