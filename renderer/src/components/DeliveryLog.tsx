import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../services';
import type { Page, WebhookAttempt, WebhookDelivery } from '../api/types';
import { deliveryInFlight, lastAttempt } from '../lib/webhooks';
import { formatDateTime } from '../lib/format';
import { toast } from '../stores/toast';
import { Button, Card, DeliveryStatusChip, Empty, ErrorBox } from './ui';
import { IconChevronRight, IconRetry } from './icons';
import { errorText } from '../lib/error-text';

/** Deliveries send no events of their own: while one is under way the log is read again this often. */
const POLL_MS = 1500;

/**
 * An endpoint's delivery log: one row per message, newest first, with its attempts (status code,
 * duration, the start of the response) on demand, the next retry, and "Redeliver".
 * `version` changes when the page queued something (a test event): the log reloads at once.
 */
export function DeliveryLog({ endpointId, version, canRedeliver, onActivity }: { endpointId: string; version: number; canRedeliver: boolean; onActivity?: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [items, setItems] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [tick, setTick] = useState(0);
  const fingerprint = useRef('');

  const load = useCallback(
    (signal?: { live: boolean }) =>
      api.get<Page<WebhookDelivery>>('/api/v1/webhook-deliveries', { endpointId, limit: 50 }).then(
        (page) => {
          if (signal && !signal.live) return;
          setItems(page.data);
          setError(null);
          // A delivery finished (or a new one appeared): the endpoint's "last delivered" moved too.
          const now = page.data.map((d) => `${d.id}:${d.status}:${d.attemptCount}`).join(',');
          if (fingerprint.current && now !== fingerprint.current) onActivity?.();
          fingerprint.current = now;
        },
        (err: unknown) => (!signal || signal.live) && setError(errorText(err)),
      ),
    [endpointId, onActivity],
  );

  useEffect(() => {
    const signal = { live: true };
    void load(signal);
    return () => {
      signal.live = false;
    };
  }, [load, version, tick]);

  const busy = items?.some(deliveryInFlight) ?? false;
  useEffect(() => {
    // Right after an action the new delivery may not be listed yet: look again a few times.
    if (!busy && version === 0) return;
    const timer = setInterval(() => setTick((x) => x + 1), POLL_MS);
    const stop = busy ? undefined : setTimeout(() => clearInterval(timer), POLL_MS * 4);
    return () => {
      clearInterval(timer);
      if (stop) clearTimeout(stop);
    };
  }, [busy, version]);

  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };

  const redeliver = async (d: WebhookDelivery): Promise<void> => {
    try {
      const next = await api.post<WebhookDelivery>(`/api/v1/webhook-deliveries/${encodeURIComponent(d.id)}/redeliver`);
      setItems((now) => now?.map((x) => (x.id === next.id ? next : x)) ?? now);
      toast(t('deliveries.redelivered'), 'success');
    } catch (err) {
      toast(errorText(err), 'error');
    }
  };

  return (
    <Card
      title={t('deliveries.title')}
      actions={
        <Button size="sm" variant="ghost" icon={<IconRetry size={16} />} onClick={() => void load()}>
          {t('common.refresh')}
        </Button>
      }
    >
      <ErrorBox messages={error ? [error] : []} />
      {items === null ? null : items.length === 0 ? (
        <Empty title={t('deliveries.empty')}>{t('deliveries.emptyHint')}</Empty>
      ) : (
        <table className="table compact deliveries" data-testid="deliveries">
          <thead>
            <tr>
              <th className="expander-col">
                <span className="sr-only">{t('common.details')}</span>
              </th>
              <th>{t('deliveries.col.event')}</th>
              <th>{t('deliveries.col.status')}</th>
              <th className="num">{t('deliveries.col.attempts')}</th>
              <th>{t('deliveries.col.response')}</th>
              <th>{t('deliveries.col.time')}</th>
              <th>
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => {
              const last = lastAttempt(d);
              const expanded = open.has(d.id);
              return (
                <Fragment key={d.id}>
                  <tr className={`clickable ${expanded ? 'expanded' : ''}`} onClick={() => toggle(d.id)} data-delivery-id={d.id} data-status={d.status}>
                    <td className="expander-col">
                      <button type="button" className="expander" aria-expanded={expanded} aria-label={t('deliveries.attempts')} onClick={(e) => {
                          e.stopPropagation();
                          toggle(d.id);
                        }}>
                        <IconChevronRight size={16} />
                      </button>
                    </td>
                    <td>
                      <span className="mono">{d.eventType}</span>
                    </td>
                    <td>
                      <DeliveryStatusChip status={d.status} />
                      {d.nextAttemptAt && d.status === 'queued' && d.attemptCount > 0 && (
                        <div className="row-sub">{t('deliveries.nextRetry', { time: formatDateTime(d.nextAttemptAt, locale) })}</div>
                      )}
                    </td>
                    <td className="num">{d.attemptCount}</td>
                    <td>{last ? <AttemptResult a={last} /> : <span className="muted">—</span>}</td>
                    <td className="nowrap">{formatDateTime(d.createdAt, locale)}</td>
                    <td className="actions-cell" onClick={(e) => e.stopPropagation()}>
                      {canRedeliver && !deliveryInFlight(d) && (
                        <Button size="sm" icon={<IconRetry size={16} />} onClick={() => void redeliver(d)} data-testid="redeliver">
                          {t('deliveries.redeliver')}
                        </Button>
                      )}
                    </td>
                  </tr>
                  {expanded && (
                    <tr className="attempts-row">
                      <td />
                      <td colSpan={6}>
                        <div className="row-sub delivery-meta">
                          webhook-id <span className="mono">{d.messageId}</span>
                          {d.eventId !== null && (
                            <>
                              {' · '}
                              {t('deliveries.eventId')} <span className="mono">{d.eventId}</span>
                            </>
                          )}
                        </div>
                        {d.attempts.length === 0 ? (
                          <span className="muted small">{t('deliveries.noAttempts')}</span>
                        ) : (
                          <ol className="attempts" data-testid="attempts">
                            {d.attempts.map((a) => (
                              <li key={a.attempt} className={a.ok ? 'ok' : 'failed'}>
                                <span className="attempt-no">#{a.attempt}</span>
                                <span className="nowrap">{formatDateTime(a.startedAt, locale)}</span>
                                <AttemptResult a={a} />
                                {a.error && !a.ok && <span className="row-error">{a.error}</span>}
                                {a.responseSnippet && <code className="snippet">{a.responseSnippet}</code>}
                              </li>
                            ))}
                          </ol>
                        )}
                        {d.lastError && d.status === 'failed' && <div className="row-error">{d.lastError}</div>}
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** "200 · 12 ms", or what went wrong without a status code ("timeout · 10000 ms"). */
function AttemptResult({ a }: { a: WebhookAttempt }) {
  const { t } = useTranslation();
  return (
    <span className={`attempt-result ${a.ok ? 'ok' : 'failed'}`}>
      <span className="mono">{a.statusCode ?? t('deliveries.noResponse')}</span>
      <span className="muted"> · {t('deliveries.duration', { ms: a.durationMs })}</span>
    </span>
  );
}
