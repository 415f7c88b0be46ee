import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, bridge, feedStore, modeStore, sessionStore, switchMode } from '../services';
import { LOCALES, type DisplayEntry, type Link, type MerchantSettings, type Page } from '../api/types';
import type { UpdateStatus } from '../bridge';
import { errorToFormErrors, NO_ERRORS, type FormErrors } from '../lib/form-errors';
import { copyText } from '../lib/clipboard';
import { navigate } from '../lib/router';
import { unlockAudio } from '../lib/beep';
import { setThemeChoice, THEME_CHOICES, useTheme } from '../lib/theme';
import { setUiLanguage, UI_LANGUAGES, type UiLanguage } from '../i18n';
import { toast } from '../stores/toast';
import { Button, Card, ErrorBox, Field, PageHeader, Segmented, Spinner } from '../components/ui';
import { IconCopy, IconDisplay, IconExternal } from '../components/icons';
import { BillingCard, EmailCard, SmsCard } from './SettingsMessaging';
import { CallbackUrlsCard, WebhooksCard } from './SettingsDevelopers';
import { BankTransferCard } from './SettingsBank';
import { StripeCard } from './SettingsStripe';
import { ReceiptsCard, TipsCard } from './SettingsReceipts';
import { MODES, type Mode } from '../stores/mode';
import { errorText } from '../lib/error-text';

const MERCHANT_FIELDS = ['merchantName', 'timeZone', 'defaultCurrency', 'country', 'defaultLocale', 'address', 'vatId'];

function timeZones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

export function SettingsScreen() {
  const { t } = useTranslation();
  const app = useStore(appStore);
  const ready = Boolean(app.merchant && app.info);

  useEffect(() => {
    // /settings#messaging (from the Messages page): bring that group into view.
    const hash = typeof location !== 'undefined' ? location.hash.slice(1) : '';
    if (ready && hash) document.getElementById(hash)?.scrollIntoView({ block: 'start' });
  }, [ready]);

  if (!app.merchant || !app.info) return <Spinner />;
  return (
    <div className="page page-narrow">
      <PageHeader title={t('settings.title')} />
      <MerchantCard merchant={app.merchant} />
      <div id="receipts" className="anchor">
        <ReceiptsCard merchant={app.merchant} />
        <TipsCard />
      </div>
      <div id="bank-transfer" className="anchor">
        <BankTransferCard merchant={app.merchant} />
      </div>
      <div id="stripe" className="anchor">
        <StripeCard merchant={app.merchant} baseUrl={app.info.baseUrl} />
      </div>
      <Card title={t('staff.title')}>
        <p className="muted">{t('staff.settingsHint')}</p>
        <div className="form-actions">
          <Button variant="primary" onClick={() => navigate('/settings/staff')} data-testid="open-staff-devices">
            {t('staff.open')}
          </Button>
        </div>
      </Card>
      <PinCard pinSet={app.info.pinSet} />
      <DisplaysCard />
      <AppCard />
      <section className="settings-group" id="messaging" data-testid="settings-messaging">
        <h2 className="settings-group-title">{t('settings.groupMessaging')}</h2>
        <p className="settings-group-hint">{t('settings.groupMessagingHint')}</p>
        <EmailCard merchant={app.merchant} />
        <SmsCard merchant={app.merchant} />
        <BillingCard merchant={app.merchant} />
      </section>
      <section className="settings-group" id="developers" data-testid="settings-developers">
        <h2 className="settings-group-title">{t('settings.groupDevelopers')}</h2>
        <WebhooksCard />
        <CallbackUrlsCard merchant={app.merchant} />
        <ApiCard baseUrl={app.info.baseUrl} apiBaseUrl={app.info.apiBaseUrl} version={app.info.version} />
      </section>
    </div>
  );
}

function MerchantCard({ merchant }: { merchant: MerchantSettings }) {
  const { t } = useTranslation();
  const [values, setValues] = useState({
    merchantName: merchant.merchantName,
    timeZone: merchant.timeZone,
    defaultCurrency: merchant.defaultCurrency,
    country: merchant.country ?? '',
    defaultLocale: merchant.defaultLocale,
    address: merchant.address ?? '',
    vatId: merchant.vatId ?? '',
  });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);
  const zones = useMemo(timeZones, []);
  const set = (patch: Partial<typeof values>) => setValues({ ...values, ...patch });

  const save = async (): Promise<void> => {
    const body: Record<string, unknown> = {};
    if (values.merchantName !== merchant.merchantName) body.merchantName = values.merchantName;
    if (values.timeZone !== merchant.timeZone) body.timeZone = values.timeZone;
    if (values.defaultCurrency !== merchant.defaultCurrency) body.defaultCurrency = values.defaultCurrency.toUpperCase();
    if ((values.country || null) !== merchant.country) body.country = values.country ? values.country.toUpperCase() : null;
    if (values.defaultLocale !== merchant.defaultLocale) body.defaultLocale = values.defaultLocale;
    if ((values.address.trim() || null) !== (merchant.address ?? null)) body.address = values.address.trim() || null;
    if ((values.vatId.trim() || null) !== (merchant.vatId ?? null)) body.vatId = values.vatId.trim() || null;
    if (Object.keys(body).length === 0) return;
    setSaving(true);
    setErrors(NO_ERRORS);
    try {
      const next = await api.patch<MerchantSettings>('/api/v1/settings', body);
      appStore.getState().setMerchant(next);
      toast(t('settings.saved'), 'success');
    } catch (err) {
      setErrors(errorToFormErrors(err, MERCHANT_FIELDS, {}, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('settings.merchant')}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        data-testid="merchant-form"
      >
        <Field label={t('settings.merchantName')} errors={errors.fields.merchantName} name="merchantName" hint={t('settings.merchantNameHint')}>
          {(p) => <input {...p} value={values.merchantName} onChange={(e) => set({ merchantName: e.target.value })} />}
        </Field>
        <div className="grid-2">
          <Field label={t('settings.timeZone')} errors={errors.fields.timeZone} name="timeZone">
            {(p) => (
              <>
                <input {...p} list="time-zones" value={values.timeZone} onChange={(e) => set({ timeZone: e.target.value })} />
                <datalist id="time-zones">
                  {zones.map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field label={t('settings.currency')} errors={errors.fields.defaultCurrency} name="defaultCurrency" hint={t('settings.currencyHint')}>
            {(p) => <input {...p} value={values.defaultCurrency} maxLength={3} className="upper" onChange={(e) => set({ defaultCurrency: e.target.value.toUpperCase() })} />}
          </Field>
          <Field label={t('settings.country')} errors={errors.fields.country} name="country">
            {(p) => <input {...p} value={values.country} maxLength={2} className="upper" placeholder="DE" onChange={(e) => set({ country: e.target.value.toUpperCase() })} />}
          </Field>
          <Field label={t('settings.locale')} errors={errors.fields.defaultLocale} name="defaultLocale" hint={t('settings.localeHint')}>
            {(p) => (
              <select {...p} value={values.defaultLocale} onChange={(e) => set({ defaultLocale: e.target.value })}>
                {LOCALES.map((l) => (
                  <option key={l} value={l}>
                    {t(`locales.${l}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="grid-2">
          <Field label={t('settings.address')} errors={errors.fields.address} name="address" hint={t('settings.addressHint')}>
            {(p) => <textarea {...p} rows={3} maxLength={300} value={values.address} onChange={(e) => set({ address: e.target.value })} />}
          </Field>
          <Field label={t('settings.vatId')} errors={errors.fields.vatId} name="vatId" hint={t('settings.vatIdHint')}>
            {(p) => <input {...p} maxLength={30} value={values.vatId} placeholder="DE123456789" onChange={(e) => set({ vatId: e.target.value })} />}
          </Field>
        </div>
        <ErrorBox messages={errors.general} />
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={saving} data-testid="merchant-save">
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function PinCard({ pinSet }: { pinSet: boolean }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);

  const save = async (value: string | null): Promise<void> => {
    if (value !== null && value !== confirm) {
      setErrors({ fields: { confirm: [t('settings.pinMismatch')] }, general: [] });
      return;
    }
    setSaving(true);
    setErrors(NO_ERRORS);
    try {
      const res = await api.put<{ pinSet: boolean }>('/api/v1/staff/pin', { pin: value });
      const info = appStore.getState().info;
      if (info) appStore.getState().setInfo({ ...info, pinSet: res.pinSet });
      setPin('');
      setConfirm('');
      toast(value === null ? t('settings.pinRemoved') : t('settings.pinSaved'), 'success');
      // Changing the PIN ends PIN sessions, this one included.
      if (sessionStore.getState().method === 'pin') void sessionStore.getState().check();
    } catch (err) {
      setErrors(errorToFormErrors(err, ['pin'], {}, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('settings.pin')}>
      <p className="muted">{pinSet ? t('settings.pinIsSet') : t('settings.pinNotSet')}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save(pin);
        }}
      >
        <div className="grid-2">
          <Field label={pinSet ? t('settings.newPin') : t('settings.pinLabel')} errors={errors.fields.pin} name="pin" hint={t('settings.pinHint')}>
            {(p) => <input {...p} type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} maxLength={12} />}
          </Field>
          <Field label={t('settings.confirmPin')} errors={errors.fields.confirm} name="confirm">
            {(p) => <input {...p} type="password" inputMode="numeric" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value.replace(/\D/g, ''))} maxLength={12} />}
          </Field>
        </div>
        <ErrorBox messages={errors.general} />
        <div className="form-actions">
          {pinSet && (
            <Button variant="ghost" disabled={saving} onClick={() => void save(null)}>
              {t('settings.removePin')}
            </Button>
          )}
          <Button type="submit" variant="primary" disabled={saving || pin.length === 0}>
            {pinSet ? t('settings.changePin') : t('settings.setPin')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function DisplaysCard() {
  const { t } = useTranslation();
  const [displays, setDisplays] = useState<DisplayEntry[] | null>(null);
  const [links, setLinks] = useState<Link[]>([]);

  useEffect(() => {
    api.get<{ data: DisplayEntry[] }>('/api/v1/staff/displays').then((r) => setDisplays(r.data), () => setDisplays([]));
    api.get<Page<Link>>('/api/v1/links', { status: 'enabled', limit: 200 }).then((r) => setLinks(r.data.filter((l) => l.reuse === 'multiple' && l.type === 'payment')), () => {});
  }, []);

  if (!displays) return null;
  const origin = typeof location !== 'undefined' && location.protocol !== 'file:' ? location.origin : (bridge?.serverUrl ?? '');

  return (
    <Card title={t('settings.displays')}>
      <p className="muted">{t('settings.displaysHint')}</p>
      {displays.map((d) => {
        const url = `${origin}${d.path}`;
        return (
          <div className="display-row" key={d.pointOfSaleId} data-pos={d.pointOfSaleId}>
            <div className="display-row-head">
              <strong>{d.name}</strong>
              <div className="btn-row">
                <Button size="sm" icon={<IconCopy size={16} />} onClick={() => void copyText(url).then((ok) => ok && toast(t('linkDetail.copied'), 'success'))}>
                  {t('settings.copyDisplayUrl')}
                </Button>
                {bridge?.showOnDisplay ? (
                  <Button size="sm" icon={<IconDisplay size={16} />} onClick={() => void bridge!.showOnDisplay!({ pointOfSaleId: d.pointOfSaleId, visible: true })}>
                    {t('settings.openDisplay')}
                  </Button>
                ) : (
                  <a className="btn btn-secondary btn-sm" href={d.path} target="_blank" rel="noreferrer">
                    <IconExternal size={16} />
                    <span>{t('settings.openDisplay')}</span>
                  </a>
                )}
              </div>
            </div>
            <div className="mono small break muted">{url}</div>
            <Field label={t('settings.idleLink')} name="idleLinkId" hint={t('settings.idleLinkHint')}>
              {(p) => (
                <select
                  {...p}
                  value={d.idleLinkId ?? ''}
                  onChange={(e) => {
                    const idleLinkId = e.target.value || null;
                    api.put<DisplayEntry>(`/api/v1/staff/displays/${encodeURIComponent(d.pointOfSaleId)}`, { idleLinkId }).then(
                      (entry) => {
                        setDisplays(displays.map((x) => (x.pointOfSaleId === entry.pointOfSaleId ? entry : x)));
                        toast(t('settings.saved'), 'success');
                      },
                      (err: unknown) => toast(errorText(err), 'error'),
                    );
                  }}
                >
                  <option value="">{t('settings.noIdleLink')}</option>
                  {links.map((l) => (
                    <option key={l.id} value={l.id}>
                      {l.name}
                    </option>
                  ))}
                  {d.idleLinkId && !links.some((l) => l.id === d.idleLinkId) && <option value={d.idleLinkId}>{d.idleLinkId}</option>}
                </select>
              )}
            </Field>
          </div>
        );
      })}
    </Card>
  );
}

function ApiCard({ baseUrl, apiBaseUrl, version }: { baseUrl: string; apiBaseUrl: string; version: string }) {
  const { t } = useTranslation();
  return (
    <Card title={t('settings.api')}>
      <dl className="props">
        <div className="prop">
          <dt>{t('settings.apiBaseUrl')}</dt>
          <dd className="with-action">
            <span className="mono break" data-testid="api-base-url">
              {apiBaseUrl}
            </span>
            <button type="button" className="icon-btn" aria-label={t('linkDetail.copy')} onClick={() => void copyText(apiBaseUrl).then((ok) => ok && toast(t('linkDetail.copied'), 'success'))}>
              <IconCopy size={18} />
            </button>
          </dd>
        </div>
        <div className="prop">
          <dt>{t('settings.linkBaseUrl')}</dt>
          <dd className="mono break">{baseUrl}</dd>
        </div>
        <div className="prop">
          <dt>{t('settings.docs')}</dt>
          <dd>
            <a href={`${baseUrl}/api/docs`} target="_blank" rel="noreferrer">
              {`${baseUrl}/api/docs`}
            </a>
          </dd>
        </div>
        <div className="prop">
          <dt>{t('settings.version')}</dt>
          <dd>{version}</dd>
        </div>
      </dl>
      <p className="muted small">{t('settings.apiHint')}</p>
    </Card>
  );
}

function AppCard() {
  const { t, i18n } = useTranslation();
  const sound = useStore(feedStore, (s) => s.sound);
  const mode = useStore(modeStore, (s) => s.mode);
  const { choice } = useTheme();
  const [update, setUpdate] = useState<UpdateStatus | null>(null);
  useEffect(() => bridge?.onUpdateStatus?.(setUpdate), []);
  return (
    <Card title={t('settings.app')}>
      <div className="grid-2">
        <Field label={t('mode.settingsLabel')} name="mode" hint={t('mode.settingsHint')} className="field-wide">
          {() => <Segmented<Mode> name="mode" value={mode} onChange={(m) => switchMode(m)} options={MODES.map((m) => ({ value: m, label: t(`mode.${m}`) }))} />}
        </Field>
        <Field label={t('settings.uiLanguage')} name="uiLanguage">
          {() => <Segmented name="uiLanguage" value={i18n.language as UiLanguage} onChange={(l) => setUiLanguage(l)} options={UI_LANGUAGES.map((l) => ({ value: l, label: t(`locales.${l}`) }))} />}
        </Field>
        <Field label={t('settings.sound')} name="sound">
          {() => (
            <Segmented
              name="sound"
              value={sound ? 'on' : 'off'}
              onChange={(v) => {
                unlockAudio();
                feedStore.getState().setSound(v === 'on');
              }}
              options={[
                { value: 'on', label: t('common.on') },
                { value: 'off', label: t('common.off') },
              ]}
            />
          )}
        </Field>
        <Field label={t('theme.label')} name="theme">
          {() => <Segmented name="theme" value={choice} onChange={(c) => setThemeChoice(c)} options={THEME_CHOICES.map((c) => ({ value: c, label: t(`theme.${c}`) }))} />}
        </Field>
      </div>
      {update && (
        <div className="update-row">
          <span>{t(`settings.update.${update.state}`, { version: 'version' in update ? (update.version ?? '') : '', percent: update.state === 'downloading' ? Math.round(update.percent) : 0 })}</span>
          {update.state === 'downloaded' && bridge?.installUpdate && (
            <Button variant="primary" onClick={() => void bridge!.installUpdate!()}>
              {t('settings.restartToUpdate')}
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
