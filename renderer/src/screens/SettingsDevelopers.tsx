import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, appStore } from '../services';
import type { MerchantSettings, Page, WebhookEndpoint } from '../api/types';
import { cleanUrlList, listErrors, type ListErrors } from '../lib/webhooks';
import { navigate } from '../lib/router';
import { toast } from '../stores/toast';
import { Button, Card, ErrorBox } from '../components/ui';
import { IconPlus, IconWebhook, IconX } from '../components/icons';

const NO_LIST_ERRORS: ListErrors = { rows: {}, general: [] };

/**
 * settings.callbackUrls: where customers' browsers may be sent after paying. A PATCH replaces
 * the whole list; the server's errors (`callbackUrls[2]`) show at their row.
 */
export function CallbackUrlsCard({ merchant }: { merchant: MerchantSettings }) {
  const { t } = useTranslation();
  const saved = (merchant.callbackUrls as string[] | undefined) ?? [];
  const [rows, setRows] = useState<string[]>(saved.length > 0 ? saved : ['']);
  const [errors, setErrors] = useState<ListErrors>(NO_LIST_ERRORS);
  const [saving, setSaving] = useState(false);

  const save = async (): Promise<void> => {
    const list = cleanUrlList(rows);
    setSaving(true);
    setErrors(NO_LIST_ERRORS);
    try {
      const next = await api.patch<MerchantSettings>('/api/v1/settings', { callbackUrls: list });
      appStore.getState().setMerchant(next);
      setRows(list.length > 0 ? list : ['']);
      toast(t('settings.saved'), 'success');
    } catch (err) {
      // Errors name rows of the list as sent: show them on those rows (blank rows were dropped).
      setRows(list.length > 0 ? list : ['']);
      setErrors(listErrors(err, 'callbackUrls', t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('settings.callbackUrls')}>
      <p className="muted">{t('settings.callbackUrlsHint')}</p>
      <form
        noValidate
        data-testid="callback-urls-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <ol className="url-list">
          {rows.map((row, i) => {
            const rowErrors = errors.rows[i];
            return (
              <li key={i} className={`url-row field ${rowErrors ? 'field-invalid' : ''}`} data-row={i}>
                <span className="url-index mono" title={t('settings.callbackIndex', { index: i })}>
                  {i}
                </span>
                <input
                  type="url"
                  className="mono"
                  value={row}
                  placeholder="https://shop.example/thanks"
                  aria-label={t('settings.callbackUrlN', { n: i + 1 })}
                  aria-invalid={Boolean(rowErrors)}
                  onChange={(e) => setRows(rows.map((r, j) => (j === i ? e.target.value : r)))}
                />
                <button type="button" className="icon-btn" aria-label={t('common.remove')} onClick={() => setRows(rows.length > 1 ? rows.filter((_, j) => j !== i) : [''])}>
                  <IconX />
                </button>
                {rowErrors && (
                  <div className="field-error" role="alert" data-error-for={`callbackUrls.${i}`}>
                    {rowErrors.join(' ')}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
        <Button size="sm" variant="ghost" icon={<IconPlus size={16} />} disabled={rows.length >= 20} onClick={() => setRows([...rows, ''])} data-testid="callback-add">
          {t('settings.addCallbackUrl')}
        </Button>
        <ErrorBox messages={errors.general} />
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={saving} data-testid="callback-save">
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** A pointer to the webhooks page, with how many endpoints there are and whether any fails. */
export function WebhooksCard() {
  const { t } = useTranslation();
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[] | null>(null);
  useEffect(() => {
    api.get<Page<WebhookEndpoint>>('/api/v1/webhook-endpoints', { limit: 200 }).then((p) => setEndpoints(p.data), () => setEndpoints([]));
  }, []);
  const failing = endpoints?.filter((e) => e.status === 'failing').length ?? 0;
  return (
    <Card title={t('settings.webhooks')}>
      <div className="card-row">
        <p className="muted">
          {endpoints === null ? '' : endpoints.length === 0 ? t('settings.webhooksNone') : t('settings.webhooksCount', { count: endpoints.length })}
          {failing > 0 && <span className="text-error"> {t('settings.webhooksFailing', { count: failing })}</span>}
        </p>
        <Button icon={<IconWebhook />} onClick={() => navigate('/webhooks')}>
          {t('settings.manageWebhooks')}
        </Button>
      </div>
    </Card>
  );
}
