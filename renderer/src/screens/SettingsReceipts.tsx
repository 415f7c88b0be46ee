import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore } from '../services';
import type { MerchantSettings, PointOfSale } from '../api/types';
import { errorToFormErrors, NO_ERRORS, type FormErrors } from '../lib/form-errors';
import { toast } from '../stores/toast';
import { AppLink, Button, Card, ErrorBox, Field } from '../components/ui';
import { errorText } from '../lib/error-text';

interface ReceiptSettings {
  onResultPage: boolean;
  /** Email the receipt to a payer who left an address (default true). */
  email: boolean;
  publicKey: string | null;
  fingerprint: string | null;
}

/** Signed receipts: offer them on the payer's result page; the key's fingerprint; the check. */
export function ReceiptsCard({ merchant }: { merchant: MerchantSettings }) {
  const { t } = useTranslation();
  const receipts = merchant.receipts as ReceiptSettings | undefined;
  const [saving, setSaving] = useState(false);
  if (!receipts) return null;
  const toggle = async (patch: Partial<Pick<ReceiptSettings, 'onResultPage' | 'email'>>): Promise<void> => {
    setSaving(true);
    try {
      appStore.getState().setMerchant(await api.patch<MerchantSettings>('/api/v1/settings', { receipts: patch }));
      toast(t('settings.saved'), 'success');
    } catch (err) {
      toast(errorText(err), 'error');
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card title={t('receiptSettings.title')}>
      <Field label={t('receiptSettings.onResultPage')} name="receipts-result-page">
        {(p) => (
          <label className="check">
            <input {...p} type="checkbox" checked={receipts.onResultPage} disabled={saving} onChange={(e) => void toggle({ onResultPage: e.target.checked })} data-testid="receipts-result-page" />
            <span>{t('receiptSettings.onResultPageHint')}</span>
          </label>
        )}
      </Field>
      <Field label={t('receiptSettings.email')} name="receipts-email">
        {(p) => (
          <label className="check">
            <input {...p} type="checkbox" checked={receipts.email !== false} disabled={saving} onChange={(e) => void toggle({ email: e.target.checked })} data-testid="receipts-email" />
            <span>{t('receiptSettings.emailHint')}</span>
          </label>
        )}
      </Field>
      <dl className="props">
        <div className="prop">
          <dt>{t('verify.fingerprint')}</dt>
          <dd className="mono">{receipts.fingerprint}</dd>
        </div>
      </dl>
      <p className="muted">{t('receiptSettings.keyHint')}</p>
      <p className="link-row">
        <AppLink to="/receipts/verify">{t('verify.title')}</AppLink>
        <AppLink to="/reports">{t('nav.dayReport')}</AppLink>
      </p>
    </Card>
  );
}

/** Tips per counter: on or off, up to three percentages offered on the payment page. */
export function TipsCard() {
  const { t } = useTranslation();
  const pointsOfSale = useStore(appStore, (s) => s.pointsOfSale);
  return (
    <Card title={t('tipSettings.title')}>
      <p className="muted">{t('tipSettings.hint')}</p>
      {pointsOfSale.map((pos) => (
        <TipsRow key={pos.id} pos={pos} />
      ))}
    </Card>
  );
}

function TipsRow({ pos }: { pos: PointOfSale }) {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useState(pos.tips?.enabled ?? false);
  const [presets, setPresets] = useState((pos.tips?.presets ?? [5, 10, 15]).join(', '));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);
  const save = async (): Promise<void> => {
    const list = presets
      .split(/[;,\s]+/)
      .map((s) => s.replace(/%$/, '').replace(',', '.'))
      .filter(Boolean)
      .map(Number);
    setSaving(true);
    setErrors(NO_ERRORS);
    try {
      await api.patch(`/api/v1/points-of-sale/${encodeURIComponent(pos.id)}`, { tips: { enabled, presets: list } });
      await appStore.getState().load();
      toast(t('settings.saved'), 'success');
    } catch (err) {
      setErrors(errorToFormErrors(err, ['tips'], {}, t));
    } finally {
      setSaving(false);
    }
  };
  const fieldErrors = Object.entries(errors.fields)
    .filter(([k]) => k.startsWith('tips'))
    .flatMap(([, v]) => v);
  return (
    <form
      className="tips-row"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      data-testid={`tips-${pos.id}`}
    >
      <div className="grid-2">
        <Field label={pos.name} name={`tips-on-${pos.id}`}>
          {(p) => (
            <label className="check">
              <input {...p} type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
              <span>{t('tipSettings.enabled')}</span>
            </label>
          )}
        </Field>
        <Field label={t('tipSettings.presets')} name={`tips-presets-${pos.id}`} hint={t('tipSettings.presetsHint')} errors={fieldErrors}>
          {(p) => <input {...p} value={presets} disabled={!enabled} onChange={(e) => setPresets(e.target.value)} placeholder="5, 10, 15" />}
        </Field>
      </div>
      <ErrorBox messages={errors.general} />
      <div className="form-actions">
        <Button type="submit" disabled={saving}>
          {t('common.save')}
        </Button>
      </div>
    </form>
  );
}
