import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, appStore } from '../services';
import type { MerchantSettings } from '../api/types';
import { bankSettingsOf, checkBankForm, formatIban, HOLD_DAYS_MAX, HOLD_DAYS_MIN, HOLDER_MAX, normaliseBic, normaliseIban, validateIban, type BankFormCheck, type BankFormValues } from '../lib/bank';
import { clearFieldErrors, errorToFormErrors, NO_ERRORS, type FormErrors } from '../lib/form-errors';
import { toast } from '../stores/toast';
import { AppLink, Button, Card, ErrorBox, Field } from '../components/ui';
import { IconAlert, IconBank, IconCheck } from '../components/icons';

const FIELDS: (keyof BankFormValues)[] = ['accountHolder', 'iban', 'bic', 'holdDays'];

/** The API's paths for this section, folded onto the form's fields. */
const ALIASES: Record<string, string> = {
  'bankTransfer.accountHolder': 'accountHolder',
  'bankTransfer.iban': 'iban',
  'bankTransfer.bic': 'bic',
  'bankTransfer.holdDays': 'holdDays',
};

function toValues(merchant: MerchantSettings): BankFormValues {
  const s = bankSettingsOf(merchant);
  return { accountHolder: s.accountHolder ?? '', iban: s.iban ? formatIban(s.iban) : '', bic: s.bic ?? '', holdDays: String(s.holdDays) };
}

/**
 * Settings → Bank transfer: the account customers pay into by SEPA transfer (EPC QR). The IBAN is
 * checked as it is typed (the same rules as the server's), shown in groups of four, and the
 * holder's name comes with the warning that matters most: payers' banks check it.
 */
export function BankTransferCard({ merchant }: { merchant: MerchantSettings }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<BankFormValues>(() => toValues(merchant));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [touched, setTouched] = useState<Partial<Record<keyof BankFormValues, boolean>>>({});
  const [saving, setSaving] = useState(false);
  const saved = bankSettingsOf(merchant);
  const ready = Boolean(saved.accountHolder && saved.iban);

  const check = checkBankForm(values);
  const localMessage = (f: keyof BankFormValues, c: BankFormCheck): string[] | undefined => {
    const e = c[f];
    return e ? [t(`bankSettings.check.${e.code}`, { ...(e.params ?? {}), defaultValue: t('errors.invalid') })] : undefined;
  };
  // Server errors first (they are the truth); the local check once a field was left.
  const fieldErrors = (f: keyof BankFormValues): string[] | undefined => errors.fields[f] ?? (touched[f] ? localMessage(f, check) : undefined);

  const set = (patch: Partial<BankFormValues>): void => {
    setValues({ ...values, ...patch });
    setErrors(clearFieldErrors(errors, Object.keys(patch)));
  };

  const ibanResult = values.iban.trim() ? validateIban(values.iban) : null;

  const save = async (): Promise<void> => {
    const c = checkBankForm(values);
    if (Object.keys(c).length > 0) {
      setTouched({ accountHolder: true, iban: true, bic: true, holdDays: true });
      setErrors(NO_ERRORS);
      return;
    }
    const body = {
      bankTransfer: {
        accountHolder: values.accountHolder.trim(),
        iban: normaliseIban(values.iban),
        bic: values.bic.trim() ? normaliseBic(values.bic) : null,
        holdDays: Number(values.holdDays),
      },
    };
    setSaving(true);
    setErrors(NO_ERRORS);
    try {
      const next = await api.patch<MerchantSettings>('/api/v1/settings', body);
      if (next && typeof next === 'object' && 'merchantName' in next) {
        appStore.getState().setMerchant(next);
        setValues(toValues(next));
      }
      void appStore.getState().loadMethods();
      setTouched({});
      toast(t('bankSettings.saved'), 'success');
    } catch (err) {
      setErrors(errorToFormErrors(err, FIELDS, ALIASES, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('bankSettings.title')} className="bank-settings">
      <p className="muted">{t('bankSettings.hint')}</p>
      <p className={`bank-ready ${ready ? 'is-ready' : ''}`} data-testid="bank-ready" data-ready={ready}>
        {ready ? <IconCheck size={18} /> : <IconAlert size={18} />}
        <span>{ready ? t('bankSettings.ready') : t('bankSettings.notReady')}</span>
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        data-testid="bank-form"
      >
        <Field label={t('bankSettings.accountHolder')} errors={fieldErrors('accountHolder')} name="accountHolder">
          {(p) => (
            <>
              <input
                {...p}
                value={values.accountHolder}
                maxLength={HOLDER_MAX + 10}
                autoComplete="organization"
                spellCheck={false}
                aria-describedby={[p['aria-describedby'], 'holder-warning'].filter(Boolean).join(' ')}
                onChange={(e) => set({ accountHolder: e.target.value })}
                onBlur={() => setTouched({ ...touched, accountHolder: true })}
              />
              <div className="holder-warning" id="holder-warning" data-testid="holder-warning">
                <IconAlert size={18} />
                <span>{t('bankSettings.holderWarning')}</span>
              </div>
            </>
          )}
        </Field>
        <div className="grid-2">
          <Field
            label={t('bankSettings.iban')}
            errors={fieldErrors('iban')}
            name="iban"
            hint={ibanResult?.ok ? <span className="ok-hint">{t('bankSettings.ibanOk', { country: ibanResult.country })}</span> : t('bankSettings.ibanHint')}
          >
            {(p) => (
              <input
                {...p}
                className="mono upper iban-input"
                value={values.iban}
                inputMode="text"
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                maxLength={42}
                placeholder="DE89 3704 0044 0532 0130 00"
                onChange={(e) => set({ iban: e.target.value.toUpperCase() })}
                onBlur={() => {
                  setTouched({ ...touched, iban: true });
                  // Shown the way banks print it: groups of four.
                  if (values.iban.trim()) setValues((v) => ({ ...v, iban: formatIban(v.iban) }));
                }}
              />
            )}
          </Field>
          <Field label={t('bankSettings.bic')} errors={fieldErrors('bic')} name="bic" hint={t('bankSettings.bicHint')}>
            {(p) => (
              <input
                {...p}
                className="mono upper"
                value={values.bic}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                maxLength={14}
                placeholder={t('common.optional')}
                onChange={(e) => set({ bic: e.target.value.toUpperCase() })}
                onBlur={() => setTouched({ ...touched, bic: true })}
              />
            )}
          </Field>
          <Field label={t('bankSettings.holdDays')} errors={fieldErrors('holdDays')} name="holdDays" hint={t('bankSettings.holdDaysHint')}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={HOLD_DAYS_MIN}
                max={HOLD_DAYS_MAX}
                step={1}
                value={values.holdDays}
                onChange={(e) => set({ holdDays: e.target.value })}
                onBlur={() => setTouched({ ...touched, holdDays: true })}
              />
            )}
          </Field>
        </div>
        <ErrorBox messages={errors.general} />
        <div className="form-actions">
          <AppLink to="/bank" className="btn btn-ghost btn-md">
            <IconBank size={18} />
            <span>{t('bankSettings.statements')}</span>
          </AppLink>
          <Button type="submit" variant="primary" disabled={saving} data-testid="bank-save">
            {t('bankSettings.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
