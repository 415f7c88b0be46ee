import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, bridge, feedStore, useCan } from '../services';
import type { EventItem, Link, Notification, Page, Payment } from '../api/types';
import { copyText, saveBlob } from '../lib/clipboard';
import { describeEvent } from '../lib/describe';
import { formatDateTime } from '../lib/format';
import { navigate } from '../lib/router';
import { toast } from '../stores/toast';
import { AppLink, Button, Card, ConfirmDialog, Empty, ErrorBox, LinkStatusChip, Money, PageHeader, PaymentStatusChip, Spinner, TestBadge } from '../components/ui';
import { Qr } from '../components/Qr';
import { IconBan, IconCopy, IconDisplay, IconDownload, IconEdit, IconPause, IconPlay, IconPrint, IconSend } from '../components/icons';
import { SendLinkDialog } from '../components/SendLinkDialog';
import { LinkMessages } from '../components/LinkMessages';
import { errorText } from '../lib/error-text';

const TERMINAL = ['cancelled', 'consumed', 'expired'];

/** One link: what it is, how it is used, its payments and its history; and what staff can do with it. */
export function LinkDetailScreen({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const can = useCan();
  const pointsOfSale = useStore(appStore, (s) => s.pointsOfSale);
  const [link, setLink] = useState<Link | null>(null);
  const [payments, setPayments] = useState<Payment[]>([]);
  const [events, setEvents] = useState<EventItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sendOpen, setSendOpen] = useState(false);
  const [sent, setSent] = useState<Notification | null>(null);

  const load = useCallback(async () => {
    try {
      const path = `/api/v1/links/${encodeURIComponent(id)}`;
      const [l, p, e] = await Promise.all([
        api.get<Link>(path),
        api.get<Page<Payment>>('/api/v1/payments', { linkId: id, limit: 50 }),
        api.get<Page<EventItem>>('/api/v1/events', { linkId: id, order: 'desc', limit: 100 }),
      ]);
      setLink(l);
      setPayments(p.data);
      setEvents(e.data);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }, [id]);

  useEffect(() => {
    void load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = feedStore.getState().subscribe((incoming) => {
      const about = incoming.some((e) => {
        const d = e.data as { id?: string; linkId?: string } | null;
        return d?.linkId === id || (e.type.startsWith('link.') && d?.id === id);
      });
      if (!about) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void load(), 150);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [id, load]);

  if (error && !link) return <ErrorBox messages={[error]} />;
  if (!link) return <Spinner />;

  const run = async (action: () => Promise<Link>, done: string): Promise<void> => {
    setBusy(true);
    try {
      setLink(await action());
      toast(done, 'success');
    } catch (err) {
      toast(errorText(err), 'error');
    } finally {
      setBusy(false);
      setConfirmCancel(false);
    }
  };
  const path = `/api/v1/links/${encodeURIComponent(link.id)}`;
  const terminal = TERMINAL.includes(link.status);
  const canToggle = !terminal && can('links.manage');
  const canCancel = ['enabled', 'disabled', 'locked'].includes(link.status) && can('links.manage');
  // Only a link that can be paid now can be sent (the server answers 409 for the others).
  const canSend = (link.status === 'enabled' || link.status === 'locked') && can('notifications.manage');
  const posName = pointsOfSale.find((p) => p.id === link.pointOfSaleId)?.name ?? link.pointOfSaleId;

  const download = async (format: 'png' | 'svg'): Promise<void> => {
    try {
      const blob = await api.blob(`${path}/qr`, { format, size: 1024 });
      saveBlob(blob, `${link.refIdBase}-qr.${format}`);
    } catch (err) {
      toast(errorText(err), 'error');
    }
  };

  const expiry = link.expiresAt ? formatDateTime(link.expiresAt, locale) : t('links.never');
  const rows: [string, ReactNode][] = [
    [t('linkDetail.amount'), link.type === 'accountInfo' ? t('linkForm.typeAccountInfo') : link.amount ? <Money amount={link.amount} currency={link.currency} /> : t('linkDetail.anyAmount', { currency: link.currency })],
    ...(link.minAmount ? [[t('linkForm.minAmount'), <Money key="min" amount={link.minAmount} currency={link.currency} />] as [string, ReactNode]] : []),
    ...(link.perPaymentAmountLimit ? [[t('linkForm.perPaymentLimit'), <Money key="pp" amount={link.perPaymentAmountLimit} currency={link.currency} />] as [string, ReactNode]] : []),
    [t('linkForm.reuse'), t(`links.reuse.${link.reuse}`)],
    ...(link.maxUses !== null ? [[t('linkForm.maxUses'), String(link.maxUses)] as [string, ReactNode]] : []),
    ...(link.totalAmountLimit ? [[t('linkForm.totalLimit'), <Money key="tl" amount={link.totalAmountLimit} currency={link.currency} />] as [string, ReactNode]] : []),
    [t('linkForm.expires'), expiry],
    [t('linkForm.pointOfSale'), posName],
    [t('linkForm.refIdBase'), <span key="ref" className="mono">{link.refIdBase}</span>],
    ...(link.reference ? [[t('linkForm.reference'), link.reference] as [string, ReactNode]] : []),
    ...(link.description ? [[t('linkForm.description'), link.description] as [string, ReactNode]] : []),
    [t('linkForm.locale'), t(`locales.${link.locale}`, { defaultValue: link.locale })],
    ...(link.country ? [[t('linkForm.country'), link.country] as [string, ReactNode]] : []),
    [t('linkForm.cancellable'), link.cancellable ? t('common.yes') : t('common.no')],
    ...(link.callbackUrl ? [[t('linkForm.callbackUrl'), <span key="cb" className="break">{link.callbackUrl}</span>] as [string, ReactNode]] : []),
    ...Object.entries(link.metadata).map(([k, val]) => [`${t('linkForm.metadata')}: ${k}`, val] as [string, ReactNode]),
    [t('linkDetail.created'), formatDateTime(link.createdAt, locale)],
  ];

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/links', label: t('nav.links') }}
        title={
          <span className="title-with-chip">
            {link.name} <LinkStatusChip status={link.status} /> <TestBadge livemode={link.livemode} />
          </span>
        }
        subtitle={<span className="mono">{link.id}</span>}
        actions={
          <>
            {canSend && (
              <Button variant="primary" icon={<IconSend />} onClick={() => setSendOpen(true)} data-testid="link-send">
                {t('linkDetail.send')}
              </Button>
            )}
            {!terminal && can('links.manage') && (
              <Button icon={<IconEdit />} onClick={() => navigate(`/links/${link.id}/edit`)} data-testid="link-edit">
                {t('common.edit')}
              </Button>
            )}
            {canToggle && (
              <Button
                icon={link.enabled ? <IconPause /> : <IconPlay />}
                disabled={busy}
                data-testid="link-toggle"
                onClick={() => void run(() => api.patch<Link>(path, { enabled: !link.enabled }), link.enabled ? t('linkDetail.disabledToast') : t('linkDetail.enabledToast'))}
              >
                {link.enabled ? t('linkDetail.disable') : t('linkDetail.enable')}
              </Button>
            )}
            {canCancel && (
              <Button variant="danger" icon={<IconBan />} disabled={busy} onClick={() => setConfirmCancel(true)} data-testid="link-cancel">
                {t('linkDetail.cancel')}
              </Button>
            )}
          </>
        }
      />
      <div className="detail-grid">
        <div className="detail-main">
          <Card title={t('linkDetail.usage')}>
            <div className="stats">
              <div className="stat">
                <div className="stat-value" data-testid="usage-count">{link.usage.count}</div>
                <div className="stat-label">{t('linkDetail.paidCount')}</div>
              </div>
              <div className="stat">
                <div className="stat-value">
                  <Money amount={link.usage.amount} currency={link.currency} />
                </div>
                <div className="stat-label">{t('linkDetail.paidAmount')}</div>
              </div>
              <div className="stat">
                <div className="stat-value">{link.usage.pendingCount}</div>
                <div className="stat-label">{t('linkDetail.pending')}</div>
              </div>
              <div className="stat">
                <div className="stat-value">
                  {link.usage.remainingCount ?? '∞'}
                  {link.usage.remainingAmount && (
                    <span className="stat-extra">
                      {' · '}
                      <Money amount={link.usage.remainingAmount} currency={link.currency} />
                    </span>
                  )}
                </div>
                <div className="stat-label">{t('linkDetail.remaining')}</div>
              </div>
            </div>
          </Card>
          <Card title={t('linkDetail.details')}>
            <dl className="props">
              {rows.map(([k, val], i) => (
                <div key={i} className="prop">
                  <dt>{k}</dt>
                  <dd>{val}</dd>
                </div>
              ))}
            </dl>
          </Card>
          <Card
            title={t('linkDetail.payments')}
            actions={
              payments.length > 0 && (
                <AppLink to={`/payments?linkId=${encodeURIComponent(link.id)}`} className="small">
                  {t('linkDetail.allPayments')}
                </AppLink>
              )
            }
          >
            {payments.length === 0 ? (
              <Empty title={t('linkDetail.noPayments')} />
            ) : (
              <table className="table compact">
                <thead>
                  <tr>
                    <th>{t('payments.col.refId')}</th>
                    <th className="num">{t('payments.col.amount')}</th>
                    <th>{t('payments.col.status')}</th>
                    <th>{t('payments.col.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {payments.map((p) => (
                    <tr key={p.id} className="clickable" onClick={() => navigate(`/payments/${p.id}`)}>
                      <td className="mono">
                        <AppLink to={`/payments/${p.id}`}>{p.refId}</AppLink>
                      </td>
                      <td className="num">
                        <Money amount={p.amount} currency={p.currency} />
                      </td>
                      <td>
                        <PaymentStatusChip status={p.status} />
                      </td>
                      <td className="nowrap">{formatDateTime(p.createdAt, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          <LinkMessages
            linkId={link.id}
            sent={sent}
            actions={
              canSend && (
                <Button size="sm" variant="ghost" icon={<IconSend size={16} />} onClick={() => setSendOpen(true)}>
                  {t('linkDetail.sendAgain')}
                </Button>
              )
            }
          />
          <Card title={t('linkDetail.timeline')}>
            <ol className="timeline" data-testid="timeline">
              {events.map((e) => {
                const d = describeEvent(e, t, locale);
                return (
                  <li key={e.id} className={`timeline-item tone-${d.tone}`} data-type={e.type}>
                    <span className="timeline-dot" />
                    <div className="timeline-body">
                      <div className="timeline-title">{d.title}</div>
                      {d.detail && <div className="timeline-detail">{d.detail}</div>}
                    </div>
                    <time className="timeline-time">{formatDateTime(e.createdAt, locale)}</time>
                  </li>
                );
              })}
            </ol>
          </Card>
        </div>
        <aside className="detail-side">
          <Card className="qr-card">
            <Qr text={link.url} label={t('linkDetail.qr')} className="detail-qr" />
            <div className="link-url break" data-testid="link-url">
              {link.url}
            </div>
            <div className="qr-actions">
              <Button
                icon={<IconCopy />}
                className="full"
                onClick={() => void copyText(link.url).then((ok) => toast(ok ? t('linkDetail.copied') : t('linkDetail.copyFailed'), ok ? 'success' : 'error'))}
              >
                {t('linkDetail.copy')}
              </Button>
              <div className="btn-row">
                <Button icon={<IconDownload />} onClick={() => void download('png')}>
                  PNG
                </Button>
                <Button icon={<IconDownload />} onClick={() => void download('svg')}>
                  SVG
                </Button>
              </div>
              {link.reuse === 'multiple' && link.type === 'payment' && (
                <Button icon={<IconPrint />} className="full" onClick={() => navigate(`/print/links/${link.id}`)} data-testid="print-poster">
                  {t('linkDetail.poster')}
                </Button>
              )}
              {(link.status === 'enabled' || link.status === 'locked') && link.type === 'payment' && (
                <Button
                  icon={<IconDisplay />}
                  className="full"
                  onClick={() =>
                    void api.post('/api/v1/display/show', { linkId: link.id }).then(
                      () => {
                        void bridge?.showOnDisplay?.({ pointOfSaleId: link.pointOfSaleId, visible: true });
                        toast(t('linkDetail.shown'), 'success');
                      },
                      (err: unknown) => toast(errorText(err), 'error'),
                    )
                  }
                >
                  {t('linkDetail.showOnDisplay')}
                </Button>
              )}
            </div>
          </Card>
        </aside>
      </div>
      <SendLinkDialog link={link} open={sendOpen} onClose={() => setSendOpen(false)} onSent={setSent} />
      <ConfirmDialog
        open={confirmCancel}
        title={t('linkDetail.cancelTitle')}
        body={t('linkDetail.cancelBody')}
        confirmLabel={t('linkDetail.cancel')}
        variant="danger"
        busy={busy}
        onClose={() => setConfirmCancel(false)}
        onConfirm={() => void run(() => api.post<Link>(`${path}/cancel`), t('linkDetail.cancelledToast'))}
      />
    </div>
  );
}
