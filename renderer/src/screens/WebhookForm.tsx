import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../services';
import type { WebhookEncryption, WebhookEndpoint } from '../api/types';
import { errorToFormErrors, NO_ERRORS, type FormErrors } from '../lib/form-errors';
import { buildEndpointCreateBody, buildEndpointPatchBody, emptyEndpointForm, ENDPOINT_FIELDS, endpointToForm, revealedSecrets, type EndpointFormValues } from '../lib/webhooks';
import { navigate } from '../lib/router';
import { revealedStore } from '../stores/revealed';
import { toast } from '../stores/toast';
import { Button, Card, ErrorBox, Field, PageHeader, Segmented, Spinner } from '../components/ui';
import { EventPicker } from '../components/EventPicker';
import { errorText } from '../lib/error-text';

/** Add or change an endpoint. A new one opens on its page, with its secret shown once. */
export function WebhookFormScreen({ id }: { id?: string }) {
  const { t } = useTranslation();
  const [endpoint, setEndpoint] = useState<WebhookEndpoint | null>(null);
  const [values, setValues] = useState<EndpointFormValues | null>(id ? null : emptyEndpointForm());
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return;
    api.get<WebhookEndpoint>(`/api/v1/webhook-endpoints/${encodeURIComponent(id)}`).then(
      (e) => {
        setEndpoint(e);
        setValues(endpointToForm(e));
      },
      (err: unknown) => setLoadError(errorText(err)),
    );
  }, [id]);

  if (loadError) return <ErrorBox messages={[loadError]} />;
  if (!values) return <Spinner />;
  const v = values;
  const set = (patch: Partial<EndpointFormValues>) => setValues({ ...v, ...patch });
  const editing = Boolean(id);

  const submit = async (): Promise<void> => {
    setSaving(true);
    setErrors(NO_ERRORS);
    try {
      let saved: WebhookEndpoint;
      if (endpoint) {
        const body = buildEndpointPatchBody(v, endpoint);
        saved = Object.keys(body).length === 0 ? endpoint : await api.patch<WebhookEndpoint>(`/api/v1/webhook-endpoints/${encodeURIComponent(endpoint.id)}`, body);
        revealedStore.getState().reveal(saved.id, revealedSecrets(saved, 'encryption'));
      } else {
        // No Idempotency-Key here: a replayable response would keep the secret in the database. The
        // button is disabled while the request runs.
        saved = await api.post<WebhookEndpoint>('/api/v1/webhook-endpoints', buildEndpointCreateBody(v));
        revealedStore.getState().reveal(saved.id, revealedSecrets(saved, 'created'));
      }
      toast(editing ? t('webhooks.saved') : t('webhooks.created'), 'success');
      navigate(`/webhooks/${saved.id}`, { replace: !editing });
    } catch (err) {
      setErrors(errorToFormErrors(err, ENDPOINT_FIELDS, {}, t));
      setSaving(false);
    }
  };

  return (
    <div className="page page-narrow">
      <PageHeader
        back={endpoint ? { to: `/webhooks/${endpoint.id}`, label: t('webhooks.backToEndpoint') } : { to: '/webhooks', label: t('nav.webhooks') }}
        title={editing ? t('webhooks.editTitle') : t('webhooks.newTitle')}
      />
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        data-testid="endpoint-form"
      >
        <Card title={t('webhooks.endpoint')}>
          <Field label={t('webhooks.url')} name="url" errors={errors.fields.url} hint={t('webhooks.urlHint')}>
            {(p) => <input {...p} type="url" className="mono" placeholder="https://erp.example/counterlink" value={v.url} onChange={(e) => set({ url: e.target.value })} />}
          </Field>
          <Field label={t('webhooks.description')} name="description" errors={errors.fields.description} hint={t('webhooks.descriptionHint')}>
            {(p) => <input {...p} value={v.description} maxLength={500} onChange={(e) => set({ description: e.target.value })} />}
          </Field>
        </Card>
        <Card title={t('webhooks.events')}>
          <Field label={t('webhooks.eventsLabel')} name="events" errors={errors.fields.events} hint={t('webhooks.eventsHint')}>
            {() => <EventPicker value={v.events} onChange={(events) => set({ events })} invalid={Boolean(errors.fields.events)} />}
          </Field>
        </Card>
        <Card title={t('webhooks.encryptionTitle')}>
          <Field label={t('webhooks.encryptionLabel')} name="encryption" errors={errors.fields.encryption} hint={t(`webhooks.encryptionHint.${v.encryption}`)}>
            {() => (
              <Segmented<WebhookEncryption>
                name="encryption"
                value={v.encryption}
                onChange={(encryption) => set({ encryption })}
                options={[
                  { value: 'none', label: t('webhooks.encryption.none') },
                  { value: 'aes-256-cbc', label: t('webhooks.encryption.aes-256-cbc') },
                ]}
              />
            )}
          </Field>
        </Card>
        <ErrorBox messages={errors.general} />
        <div className="form-actions form-end">
          <Button size="lg" variant="ghost" onClick={() => navigate(endpoint ? `/webhooks/${endpoint.id}` : '/webhooks')}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" size="lg" variant="primary" disabled={saving} data-testid="endpoint-save">
            {saving ? <Spinner /> : editing ? t('webhooks.save') : t('webhooks.create')}
          </Button>
        </div>
      </form>
    </div>
  );
}
