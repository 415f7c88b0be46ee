import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, feedStore } from '../services';
import type { WebhookEndpoint } from '../api/types';
import { formatDateTime } from '../lib/format';
import { revealedSecrets } from '../lib/webhooks';
import { navigate } from '../lib/router';
import { revealedStore } from '../stores/revealed';
import { toast } from '../stores/toast';
import { Button, Card, ConfirmDialog, EndpointStatusChip, ErrorBox, PageHeader, Spinner, TestBadge } from '../components/ui';
import { EventPatterns } from '../components/EventPicker';
import { SecretOnce } from '../components/SecretOnce';
import { DeliveryLog } from '../components/DeliveryLog';
import { IconBolt, IconEdit, IconKey, IconPause, IconPlay, IconTrash } from '../components/icons';
import { errorText } from '../lib/error-text';

type Confirm = 'rotate' | 'delete' | null;

/** One endpoint: what it gets, how deliveries went, and its secret's life (rotate, test). */
export function WebhookDetailScreen({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [endpoint, setEndpoint] = useState<WebhookEndpoint | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<Confirm>(null);
  /** Bumped after an action that queues a delivery: the log reloads and follows it. */
  const [logVersion, setLogVersion] = useState(0);
  const secrets = useStore(revealedStore, (s) => s.byEndpoint[id]);
  const path = `/api/v1/webhook-endpoints/${encodeURIComponent(id)}`;

  const load = useCallback(() => {
    api.get<WebhookEndpoint>(path).then(
      (e) => {
        setEndpoint(e);
        setError(null);
      },
      (err: unknown) => setError(errorText(err)),
    );
  }, [path]);

  useEffect(() => {
    revealedStore.getState().hold(id);
    load();
    const off = feedStore.getState().subscribe((events) => {
      if (events.some((e) => e.type.startsWith('webhook_endpoint.') && (e.data as { id?: string } | null)?.id === id)) {
        load();
        setLogVersion((v) => v + 1);
      }
    });
    return () => {
      off();
      // Leaving the page is the last chance to see a secret: it is not kept for later.
      revealedStore.getState().release(id);
    };
  }, [id, load]);

  if (error && !endpoint) return <ErrorBox messages={[error]} />;
  if (!endpoint) return <Spinner />;

  const act = async (action: () => Promise<WebhookEndpoint | void>, done: string, reveal?: 'rotated'): Promise<void> => {
    setBusy(true);
    try {
      const next = await action();
      if (next) {
        setEndpoint(next);
        if (reveal) revealedStore.getState().reveal(next.id, revealedSecrets(next, reveal));
      }
      toast(done, 'success');
    } catch (err) {
      toast(errorText(err), 'error');
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };

  const rows: [string, ReactNode][] = [
    [t('webhooks.url'), <span key="u" className="mono break">{endpoint.url}</span>],
    ...(endpoint.description ? [[t('webhooks.description'), endpoint.description] as [string, ReactNode]] : []),
    [t('webhooks.events'), <EventPatterns key="ev" patterns={endpoint.events} />],
    [t('webhooks.encryptionLabel'), t(`webhooks.encryption.${endpoint.encryption}`)],
    [t('webhooks.lastSuccess'), endpoint.lastSuccessAt ? formatDateTime(endpoint.lastSuccessAt, locale) : '—'],
    ...(endpoint.lastFailureAt ? [[t('webhooks.lastFailure'), formatDateTime(endpoint.lastFailureAt, locale)] as [string, ReactNode]] : []),
    ...(endpoint.previousSecretExpiresAt
      ? [[t('webhooks.previousSecret'), t('webhooks.previousSecretUntil', { time: formatDateTime(endpoint.previousSecretExpiresAt, locale) })] as [string, ReactNode]]
      : []),
    [t('webhooks.createdAt'), formatDateTime(endpoint.createdAt, locale)],
  ];

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/webhooks', label: t('nav.webhooks') }}
        title={
          <span className="title-with-chip">
            {endpoint.description || hostOf(endpoint.url)} <EndpointStatusChip status={endpoint.status} /> <TestBadge livemode={endpoint.livemode} />
          </span>
        }
        subtitle={<span className="mono">{endpoint.id}</span>}
        actions={
          <>
            <Button icon={<IconEdit />} onClick={() => navigate(`/webhooks/${endpoint.id}/edit`)} data-testid="endpoint-edit">
              {t('common.edit')}
            </Button>
            <Button
              icon={endpoint.enabled ? <IconPause /> : <IconPlay />}
              disabled={busy}
              data-testid="endpoint-toggle"
              onClick={() => void act(() => api.patch<WebhookEndpoint>(path, { enabled: !endpoint.enabled }), endpoint.enabled ? t('webhooks.disabledToast') : t('webhooks.enabledToast'))}
            >
              {endpoint.enabled ? t('webhooks.disable') : t('webhooks.enable')}
            </Button>
            <Button icon={<IconKey />} disabled={busy} onClick={() => setConfirm('rotate')} data-testid="endpoint-rotate">
              {t('webhooks.rotate')}
            </Button>
            <Button variant="danger" icon={<IconTrash />} disabled={busy} onClick={() => setConfirm('delete')} data-testid="endpoint-delete">
              {t('common.delete')}
            </Button>
          </>
        }
      />
      {secrets && <SecretOnce secrets={secrets} onDone={() => revealedStore.getState().forget(endpoint.id)} />}
      {endpoint.status === 'failing' && (
        <div className="alert-box" role="alert" data-testid="endpoint-failing">
          <strong>{t('webhooks.failingTitle', { time: formatDateTime(endpoint.failingSince, locale) })}</strong>
          {endpoint.lastError && <div className="mono small">{endpoint.lastError}</div>}
          <div className="small">{t('webhooks.failingHint')}</div>
        </div>
      )}
      <Card
        title={t('webhooks.details')}
        actions={
          <Button
            size="sm"
            icon={<IconBolt size={16} />}
            disabled={busy || !endpoint.enabled}
            title={endpoint.enabled ? undefined : t('webhooks.testDisabled')}
            data-testid="endpoint-test"
            onClick={() =>
              void act(async () => {
                await api.post(`${path}/test`);
                setLogVersion((v) => v + 1);
              }, t('webhooks.testQueued'))
            }
          >
            {t('webhooks.test')}
          </Button>
        }
      >
        <dl className="props">
          {rows.map(([k, v], i) => (
            <div key={i} className="prop">
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <DeliveryLog endpointId={endpoint.id} version={logVersion} canRedeliver={endpoint.enabled} onActivity={load} />
      <ConfirmDialog
        open={confirm === 'rotate'}
        title={t('webhooks.rotateTitle')}
        body={t('webhooks.rotateBody')}
        confirmLabel={t('webhooks.rotate')}
        cancelLabel={t('common.cancel')}
        busy={busy}
        onClose={() => setConfirm(null)}
        onConfirm={() => void act(() => api.post<WebhookEndpoint>(`${path}/rotate-secret`), t('webhooks.rotatedToast'), 'rotated')}
      />
      <ConfirmDialog
        open={confirm === 'delete'}
        title={t('webhooks.deleteTitle')}
        body={t('webhooks.deleteBody')}
        confirmLabel={t('common.delete')}
        cancelLabel={t('common.cancel')}
        variant="danger"
        busy={busy}
        onClose={() => setConfirm(null)}
        onConfirm={() =>
          void act(async () => {
            await api.delete(path);
            navigate('/webhooks', { replace: true });
          }, t('webhooks.deletedToast'))
        }
      />
    </div>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
