import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, feedStore } from '../services';
import { createListStore } from '../stores/list';
import type { Page, WebhookEndpoint } from '../api/types';
import { formatDateTime } from '../lib/format';
import { navigate } from '../lib/router';
import { AppLink, Button, Empty, EndpointStatusChip, ErrorBox, PageHeader, Spinner, TestBadge } from '../components/ui';
import { EventPatterns } from '../components/EventPicker';
import { IconPlus } from '../components/icons';
import { Pager } from '../components/ListTable';

export const endpointsList = createListStore<WebhookEndpoint, Record<string, never>>({
  key: (e) => e.id,
  initialFilters: {},
  fetchPage: (_f, cursor, limit) => api.get<Page<WebhookEndpoint>>('/api/v1/webhook-endpoints', { limit, cursor }),
});

/** The merchant's webhook endpoints, with their health at a glance. */
export function WebhooksScreen() {
  const { t, i18n } = useTranslation();
  const list = useStore(endpointsList);

  useEffect(() => {
    void endpointsList.getState().load();
    // Health changes (failing, recovered) and edits elsewhere arrive as webhook_endpoint.* events.
    return feedStore.getState().subscribe((events) => {
      if (events.some((e) => e.type.startsWith('webhook_endpoint.'))) void endpointsList.getState().refresh();
    });
  }, []);

  return (
    <div className="page">
      <PageHeader
        title={t('webhooks.title')}
        subtitle={t('webhooks.subtitle')}
        actions={
          <Button variant="primary" size="lg" icon={<IconPlus />} onClick={() => navigate('/webhooks/new')} data-testid="new-endpoint">
            {t('webhooks.new')}
          </Button>
        }
      />
      <ErrorBox messages={list.error ? [list.error] : []} />
      {list.items.length === 0 ? (
        list.loading ? (
          <div className="center-pad">
            <Spinner />
          </div>
        ) : (
          <Empty title={t('webhooks.empty')}>{t('webhooks.emptyHint')}</Empty>
        )
      ) : (
        <div className={`table-wrap ${list.loading ? 'is-loading' : ''}`}>
          <table className="table" data-testid="endpoints-table">
            <thead>
              <tr>
                <th>{t('webhooks.col.endpoint')}</th>
                <th>{t('webhooks.col.events')}</th>
                <th>{t('webhooks.col.encryption')}</th>
                <th>{t('webhooks.col.status')}</th>
                <th>{t('webhooks.col.lastSuccess')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((e) => (
                <tr key={e.id} className="clickable" onClick={() => navigate(`/webhooks/${e.id}`)} data-endpoint-id={e.id}>
                  <td className="endpoint-cell">
                    <AppLink to={`/webhooks/${e.id}`} className="row-title mono break">
                      {e.url}
                    </AppLink>
                    <TestBadge livemode={e.livemode} />
                    {e.description && <div className="row-sub">{e.description}</div>}
                  </td>
                  <td>
                    <EventPatterns patterns={e.events} max={3} />
                  </td>
                  <td className="nowrap">{t(`webhooks.encryption.${e.encryption}`)}</td>
                  <td>
                    <EndpointStatusChip status={e.status} />
                    {e.status === 'failing' && e.lastError && <div className="row-error">{e.lastError}</div>}
                  </td>
                  <td className="nowrap">{e.lastSuccessAt ? formatDateTime(e.lastSuccessAt, i18n.language) : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={list.page} hasNext={Boolean(list.nextCursor)} onPrev={() => void endpointsList.getState().prev()} onNext={() => void endpointsList.getState().next()} />
      <p className="muted small page-note">{t('webhooks.docsHint')}</p>
    </div>
  );
}
