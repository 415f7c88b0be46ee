import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, appStore } from '../services';
import type { MerchantSettings } from '../api/types';
import { clearFieldErrors, errorToFormErrors, NO_ERRORS, type FormErrors } from '../lib/form-errors';
import { copyText } from '../lib/clipboard';
import { toast } from '../stores/toast';
import { Button, Card, ErrorBox, Field } from '../components/ui';
import { IconAlert, IconCheck, IconCopy } from '../components/icons';

type StripeMode = 'test' | 'live';
const STRIPE_MODES: StripeMode[] = ['test', 'live'];

/** What GET /settings shows of one mode (secrets never leave the server). */
export interface StripeModeView {
  configured: boolean;
  secretKeySet: boolean;
  webhookSecretSet: boolean;
  account: { id: string; name: string | null } | null;
  status: 'not-configured' | 'unchecked' | 'connected' | 'offline';
  error: string | null;
}

export function stripeSettingsOf(merchant: MerchantSettings | null | undefined): Record<StripeMode, StripeModeView> {
  const raw = (merchant?.stripe ?? {}) as Partial<Record<StripeMode, Partial<StripeModeView>>>;
  const one = (v: Partial<StripeModeView> | undefined): StripeModeView => ({
    configured: v?.configured === true,
    secretKeySet: v?.secretKeySet === true,
    webhookSecretSet: v?.webhookSecretSet === true,
    account: v?.account ?? null,
    status: v?.status ?? 'not-configured',
    error: v?.error ?? null,
  });
  return { test: one(raw.test), live: one(raw.live) };
}

type Values = Record<`${StripeMode}.${'secretKey' | 'webhookSecret'}`, string>;
const EMPTY: Values = { 'test.secretKey': '', 'test.webhookSecret': '', 'live.secretKey': '', 'live.webhookSecret': '' };
const FIELDS = Object.keys(EMPTY);
const ALIASES: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [`stripe.${f}`, f]));

/**
 * Settings → Card payments (Stripe): the secret key and webhook signing secret per mode
 * (write-only: a saved secret shows as saved, never again in full), which Stripe account they
 * belong to, whether Stripe answers, and the webhook URL to give Stripe.
 */
export function StripeCard({ merchant, baseUrl }: { merchant: MerchantSettings; baseUrl: string }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);
  const saved = stripeSettingsOf(merchant);
  const webhookUrl = `${baseUrl.replace(/\/+$/, '')}/hooks/stripe`;

  const set = (field: keyof Values, value: string): void => {
    setValues({ ...values, [field]: value });
    setErrors(clearFieldErrors(errors, [field]));
  };

  const save = async (): Promise<void> => {
    const stripe: Record<string, Record<string, string>> = {};
    for (const [field, value] of Object.entries(values)) {
      if (!value.trim()) continue; // empty: keep what is saved
      const [mode, key] = field.split('.') as [StripeMode, string];
      (stripe[mode] ??= {})[key] = value.trim();
    }
    if (Object.keys(stripe).length === 0) return;
    setSaving(true);
    setErrors(NO_ERRORS);
    try {
      const next = await api.patch<MerchantSettings>('/api/v1/settings', { stripe });
      if (next && typeof next === 'object' && 'merchantName' in next) appStore.getState().setMerchant(next);
      setValues(EMPTY);
      toast(t('stripeSettings.saved'), 'success');
      // The keys are checked with Stripe in the background: read the result back in a moment.
      setTimeout(() => {
        void api.get<MerchantSettings>('/api/v1/settings').then((s) => s && appStore.getState().setMerchant(s)).catch(() => undefined);
        void appStore.getState().loadMethods();
      }, 2500);
    } catch (err) {
      setErrors(errorToFormErrors(err, FIELDS, ALIASES, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('stripeSettings.title')} className="stripe-settings">
      <p className="muted">{t('stripeSettings.hint')}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        data-testid="stripe-form"
      >
        {STRIPE_MODES.map((mode) => {
          const s = saved[mode];
          const ok = s.status === 'connected';
          return (
            <fieldset key={mode} className="stripe-mode" data-testid={`stripe-${mode}`}>
              <legend>
                {t(`stripeSettings.mode.${mode}`)} {mode === 'test' ? <span className="test-badge">TEST</span> : null}
              </legend>
              <p className={`bank-ready ${ok ? 'is-ready' : ''}`} data-testid={`stripe-${mode}-status`} data-status={s.status}>
                {ok ? <IconCheck size={18} /> : <IconAlert size={18} />}
                <span>
                  {ok
                    ? t('stripeSettings.connected', { account: s.account?.name ? `${s.account.name} (${s.account.id})` : (s.account?.id ?? '') })
                    : t(`stripeSettings.status.${s.status}`)}
                  {s.status === 'offline' && s.error ? <span className="muted stripe-error"> {s.error}</span> : null}
                </span>
              </p>
              <div className="grid-2">
                <Field label={t('stripeSettings.secretKey')} errors={errors.fields[`${mode}.secretKey`]} name={`${mode}.secretKey`} hint={s.secretKeySet ? t('stripeSettings.savedSecret') : t(`stripeSettings.secretKeyHint.${mode}`)}>
                  {(p) => (
                    <input
                      {...p}
                      type="password"
                      className="mono"
                      autoComplete="off"
                      spellCheck={false}
                      value={values[`${mode}.secretKey`]}
                      placeholder={s.secretKeySet ? '••••••••' : `sk_${mode}_…`}
                      onChange={(e) => set(`${mode}.secretKey`, e.target.value)}
                    />
                  )}
                </Field>
                <Field label={t('stripeSettings.webhookSecret')} errors={errors.fields[`${mode}.webhookSecret`]} name={`${mode}.webhookSecret`} hint={s.webhookSecretSet ? t('stripeSettings.savedSecret') : t('stripeSettings.webhookSecretHint')}>
                  {(p) => (
                    <input
                      {...p}
                      type="password"
                      className="mono"
                      autoComplete="off"
                      spellCheck={false}
                      value={values[`${mode}.webhookSecret`]}
                      placeholder={s.webhookSecretSet ? '••••••••' : 'whsec_…'}
                      onChange={(e) => set(`${mode}.webhookSecret`, e.target.value)}
                    />
                  )}
                </Field>
              </div>
            </fieldset>
          );
        })}
        <div className="stripe-webhook">
          <span className="field-label">{t('stripeSettings.webhookUrl')}</span>
          <div className="copy-row">
            <code className="mono" data-testid="stripe-webhook-url">{webhookUrl}</code>
            <Button size="sm" variant="ghost" icon={<IconCopy size={16} />} onClick={() => void copyText(webhookUrl).then(() => toast(t('stripeSettings.copied'), 'success'))}>
              {t('stripeSettings.copy')}
            </Button>
          </div>
          <p className="muted small">{t('stripeSettings.webhookUrlHint')}</p>
        </div>
        <ErrorBox messages={errors.general} />
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={saving || Object.values(values).every((v) => !v.trim())} data-testid="stripe-save">
            {t('stripeSettings.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
