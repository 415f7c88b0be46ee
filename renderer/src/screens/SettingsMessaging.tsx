import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore } from '../services';
import type { BillingSettings, EmailSettings, MerchantSettings, SmsSettings } from '../api/types';
import { clearFieldErrors, NO_ERRORS, type FormErrors } from '../lib/form-errors';
import { KEEP_SECRET, nullable, secretPatch, sectionErrors, sectionPatch, type SecretInput } from '../lib/messaging';
import { normalizeAmount } from '../lib/link-form';
import { toast } from '../stores/toast';
import { Button, Card, ErrorBox, Field } from '../components/ui';
import { RouteNote } from '../components/messaging';
import { SecretField } from '../components/SecretField';

/**
 * PATCH one settings section; the answer (all settings) replaces the app's copy, so every screen
 * (the send dialog's "where it goes" line included) sees the change. Returns the errors, if any.
 */
async function saveSection(section: string, patch: Record<string, unknown>, fields: string[], t: (k: string) => string): Promise<FormErrors | null> {
  if (Object.keys(patch).length === 0) return null;
  try {
    const next = await api.patch<MerchantSettings>('/api/v1/settings', { [section]: patch });
    appStore.getState().setMerchant(next);
    toast(t('settings.saved'), 'success');
    return null;
  } catch (err) {
    return sectionErrors(err, section, fields, t);
  }
}

/** The shell of each section: where messages go now, the form, its errors and Save. */
function SectionForm({ title, note, children, errors, saving, onSave, testId }: { title: string; note?: ReactNode; children: ReactNode; errors: FormErrors; saving: boolean; onSave: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Card title={title}>
      {note}
      <form
        noValidate
        data-testid={testId}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSave();
        }}
      >
        {children}
        <ErrorBox messages={errors.general} />
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={saving}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

const EMAIL_FIELDS = ['host', 'port', 'security', 'user', 'password', 'from'];

export function EmailCard({ merchant }: { merchant: MerchantSettings }) {
  const { t } = useTranslation();
  const current = merchant.email as EmailSettings | undefined;
  const [v, setV] = useState({
    host: current?.host ?? '',
    port: current?.port ? String(current.port) : '',
    security: current?.security ?? 'starttls',
    user: current?.user ?? '',
    from: current?.from ?? '',
  });
  const [password, setPassword] = useState<SecretInput>(KEEP_SECRET);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<typeof v>) => {
    setV({ ...v, ...patch });
    setErrors((e) => clearFieldErrors(e, Object.keys(patch)));
  };

  const save = async (): Promise<void> => {
    const port = v.port.trim();
    const patch = sectionPatch(current as unknown as Record<string, unknown>, {
      host: nullable(v.host),
      port: port === '' ? null : /^\d{1,5}$/.test(port) ? Number(port) : port,
      security: v.security,
      user: nullable(v.user),
      from: nullable(v.from),
      password: secretPatch(password),
    });
    setSaving(true);
    setErrors(NO_ERRORS);
    const failed = await saveSection('email', patch, EMAIL_FIELDS, t);
    setSaving(false);
    if (failed) setErrors(failed);
    else setPassword(KEEP_SECRET);
  };

  const defaultPort = v.security === 'tls' ? '465' : v.security === 'none' ? '25' : '587';
  return (
    <SectionForm
      title={t('settings.email')}
      note={<SectionNote channel="email" merchant={merchant} overridden={current?.overriddenByEnvironment} envVars="COUNTERLINK_SMTP_URL, COUNTERLINK_MAIL_FROM" />}
      errors={errors}
      saving={saving}
      onSave={() => void save()}
      testId="email-form"
    >
      <div className="grid-host">
        <Field label={t('settings.smtpHost')} name="host" errors={errors.fields.host} hint={t('settings.smtpHostHint')}>
          {(p) => <input {...p} value={v.host} placeholder="smtp.example.com" autoComplete="off" onChange={(e) => set({ host: e.target.value })} />}
        </Field>
        <Field label={t('settings.smtpPort')} name="port" errors={errors.fields.port}>
          {(p) => <input {...p} inputMode="numeric" value={v.port} placeholder={defaultPort} onChange={(e) => set({ port: e.target.value })} />}
        </Field>
      </div>
      <Field label={t('settings.smtpSecurity')} name="security" errors={errors.fields.security}>
        {(p) => (
          <select {...p} value={v.security} onChange={(e) => set({ security: e.target.value as EmailSettings['security'] })}>
            {(['starttls', 'tls', 'none'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`settings.security.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="grid-2">
        <Field label={t('settings.smtpUser')} name="user" errors={errors.fields.user}>
          {(p) => <input {...p} value={v.user} autoComplete="off" onChange={(e) => set({ user: e.target.value })} />}
        </Field>
        <SecretField
          label={t('settings.smtpPassword')}
          name="password"
          isSet={Boolean(current?.passwordSet)}
          value={password}
          onChange={(pw) => {
            setPassword(pw);
            setErrors((e) => clearFieldErrors(e, ['password']));
          }}
          errors={errors.fields.password}
          hint={t('settings.writeOnlyHint')}
        />
      </div>
      <Field label={t('settings.mailFrom')} name="from" errors={errors.fields.from} hint={t('settings.mailFromHint')}>
        {(p) => <input {...p} value={v.from} placeholder={`${merchant.merchantName} <shop@example.com>`} onChange={(e) => set({ from: e.target.value })} />}
      </Field>
    </SectionForm>
  );
}

const SMS_FIELDS = ['gatewayUrl', 'auth', 'sender', 'callbackBaseUrl'];

export function SmsCard({ merchant }: { merchant: MerchantSettings }) {
  const { t } = useTranslation();
  const current = merchant.sms as SmsSettings | undefined;
  const baseUrl = useStore(appStore, (st) => st.info?.baseUrl ?? '');
  const [v, setV] = useState({ gatewayUrl: current?.gatewayUrl ?? '', sender: current?.sender ?? '', callbackBaseUrl: current?.callbackBaseUrl ?? '' });
  const [auth, setAuth] = useState<SecretInput>(KEEP_SECRET);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<typeof v>) => {
    setV({ ...v, ...patch });
    setErrors((e) => clearFieldErrors(e, Object.keys(patch)));
  };

  const save = async (): Promise<void> => {
    const patch = sectionPatch(current as unknown as Record<string, unknown>, {
      gatewayUrl: nullable(v.gatewayUrl),
      sender: nullable(v.sender),
      callbackBaseUrl: nullable(v.callbackBaseUrl),
      auth: secretPatch(auth),
    });
    setSaving(true);
    setErrors(NO_ERRORS);
    const failed = await saveSection('sms', patch, SMS_FIELDS, t);
    setSaving(false);
    if (failed) setErrors(failed);
    else setAuth(KEEP_SECRET);
  };

  return (
    <SectionForm
      title={t('settings.sms')}
      note={<SectionNote channel="sms" merchant={merchant} overridden={current?.overriddenByEnvironment} envVars="COUNTERLINK_SMS_URL, COUNTERLINK_SMS_AUTH" />}
      errors={errors}
      saving={saving}
      onSave={() => void save()}
      testId="sms-form"
    >
      <Field label={t('settings.gatewayUrl')} name="gatewayUrl" errors={errors.fields.gatewayUrl} hint={t('settings.gatewayUrlHint')}>
        {(p) => <input {...p} type="url" className="mono" value={v.gatewayUrl} placeholder="https://sms-adapter.example/send" onChange={(e) => set({ gatewayUrl: e.target.value })} />}
      </Field>
      <div className="grid-2">
        <SecretField
          label={t('settings.gatewayAuth')}
          name="auth"
          isSet={Boolean(current?.authSet)}
          value={auth}
          onChange={(a) => {
            setAuth(a);
            setErrors((e) => clearFieldErrors(e, ['auth']));
          }}
          errors={errors.fields.auth}
          hint={t('settings.gatewayAuthHint')}
          autoComplete="off"
        />
        <Field label={t('settings.smsSender')} name="sender" errors={errors.fields.sender} hint={t('settings.smsSenderHint')}>
          {(p) => <input {...p} value={v.sender} maxLength={20} onChange={(e) => set({ sender: e.target.value })} />}
        </Field>
      </div>
      <Field label={t('settings.callbackBaseUrl')} name="callbackBaseUrl" errors={errors.fields.callbackBaseUrl} hint={t('settings.callbackBaseUrlHint')}>
        {(p) => <input {...p} type="url" className="mono" value={v.callbackBaseUrl} placeholder={baseUrl} onChange={(e) => set({ callbackBaseUrl: e.target.value })} />}
      </Field>
    </SectionForm>
  );
}

const BILLING_FIELDS = ['emailPrice', 'smsPrice', 'currency'];

export function BillingCard({ merchant }: { merchant: MerchantSettings }) {
  const { t } = useTranslation();
  const current = merchant.billing as BillingSettings | undefined;
  const [v, setV] = useState({ emailPrice: current?.emailPrice ?? '0', smsPrice: current?.smsPrice ?? '0', currency: current?.currency ?? merchant.defaultCurrency });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<typeof v>) => {
    setV({ ...v, ...patch });
    setErrors((e) => clearFieldErrors(e, Object.keys(patch)));
  };

  const save = async (): Promise<void> => {
    const patch = sectionPatch(current as unknown as Record<string, unknown>, {
      emailPrice: normalizeAmount(v.emailPrice),
      smsPrice: normalizeAmount(v.smsPrice),
      currency: v.currency.trim().toUpperCase(),
    });
    setSaving(true);
    setErrors(NO_ERRORS);
    const failed = await saveSection('billing', patch, BILLING_FIELDS, t);
    setSaving(false);
    if (failed) setErrors(failed);
  };

  const price = (key: 'emailPrice' | 'smsPrice', label: string) => (
    <Field label={label} name={key} errors={errors.fields[key]}>
      {(p) => (
        <div className="input-affix">
          <input {...p} inputMode="decimal" value={v[key]} onChange={(e) => set({ [key]: e.target.value })} />
          <span className="affix">{v.currency.toUpperCase()}</span>
        </div>
      )}
    </Field>
  );

  return (
    <SectionForm title={t('settings.billing')} note={<p className="muted">{t('settings.billingHint')}</p>} errors={errors} saving={saving} onSave={() => void save()} testId="billing-form">
      <div className="grid-3">
        {price('emailPrice', t('settings.emailPrice'))}
        {price('smsPrice', t('settings.smsPrice'))}
        <Field label={t('settings.billingCurrency')} name="currency" errors={errors.fields.currency}>
          {(p) => <input {...p} value={v.currency} maxLength={3} className="upper" onChange={(e) => set({ currency: e.target.value.toUpperCase() })} />}
        </Field>
      </div>
    </SectionForm>
  );
}

/** The section's read view: where its messages go right now, and an environment override. */
function SectionNote({ channel, merchant, overridden, envVars }: { channel: 'email' | 'sms'; merchant: MerchantSettings; overridden: boolean | undefined; envVars: string }) {
  const { t } = useTranslation();
  return (
    <div className="section-note">
      <RouteNote channel={channel} merchant={merchant} />
      {overridden && <p className="muted small">{t('settings.overridden', { vars: envVars })}</p>}
    </div>
  );
}
