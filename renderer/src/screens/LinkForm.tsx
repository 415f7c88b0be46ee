import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore } from '../services';
import { currentPos } from '../stores/app';
import { LOCALES, type Link } from '../api/types';
import { clearFieldErrors, errorToFormErrors, NO_ERRORS, type FormErrors } from '../lib/form-errors';
import { buildCreateBody, buildPatchBody, emptyLinkForm, fieldOfValue, LINK_FORM_ALIASES, LINK_FORM_FIELDS, linkToForm, validateLinkForm, type LinkFormValues } from '../lib/link-form';
import { navigate } from '../lib/router';
import { Button, Card, ErrorBox, Field, PageHeader, Segmented, Spinner } from '../components/ui';
import { IconPlus, IconX } from '../components/icons';
import { toast } from '../stores/toast';
import { errorText } from '../lib/error-text';

const COMMON_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'JPY'];

/** Create or edit a link: every field of API.md, the server's validation errors next to each field. */
export function LinkFormScreen({ id }: { id?: string }) {
  const { t } = useTranslation();
  const app = useStore(appStore);
  const pos = currentPos(app);
  const [link, setLink] = useState<Link | null>(null);
  const [values, setValues] = useState<LinkFormValues | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** Bumped on every failed submit: the first error then gets the focus. */
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const editing = id !== undefined;

  // All errors are on screen at once; bring the first into view and put the focus on its field.
  useEffect(() => {
    if (attempt === 0) return;
    const form = formRef.current;
    const first = form?.querySelector<HTMLElement>('.field-invalid, .error-box');
    if (!first) return;
    const target =
      first.querySelector<HTMLElement>('[aria-invalid="true"], input:not([type="hidden"]), select, textarea, button[aria-checked="true"], button') ??
      (first.classList.contains('error-box') ? first : null);
    first.scrollIntoView({ block: 'center' });
    if (target) {
      if (target === first) target.tabIndex = -1;
      target.focus({ preventScroll: true });
    }
  }, [attempt]);

  useEffect(() => {
    if (id) {
      api.get<Link>(`/api/v1/links/${encodeURIComponent(id)}`).then(
        (l) => {
          setLink(l);
          setValues(linkToForm(l));
        },
        (err: unknown) => setLoadError(errorText(err)),
      );
    } else if (!values && app.loaded) {
      setValues(emptyLinkForm({ currency: pos?.currency ?? app.merchant?.defaultCurrency ?? 'EUR', locale: app.merchant?.defaultLocale ?? 'en', pointOfSaleId: pos?.id ?? '' }));
    }
  }, [id, app.loaded]); // values/pos only seed the form once

  if (loadError) return <ErrorBox messages={[loadError]} />;
  if (!values) return <Spinner />;

  const v = values;
  const set = (patch: Partial<LinkFormValues>) => {
    setValues({ ...v, ...patch });
    // A field's message goes once it is edited; the others stay until the next submit.
    const touched = (Object.keys(patch) as (keyof LinkFormValues)[]).map(fieldOfValue);
    if (touched.some((f) => f in errors.fields)) setErrors(clearFieldErrors(errors, touched));
  };
  const err = (field: string) => errors.fields[field];
  // The methods of this mode a link may name (the simulator only in test mode), and why one cannot take payments now.
  const offered = (app.methods ?? []).filter((m) => m.reason !== 'test-only');
  const isPayment = v.type === 'payment';

  const submit = async (): Promise<void> => {
    const local = validateLinkForm(v, t, editing && link ? { original: link } : {});
    if (Object.keys(local).length > 0) {
      setErrors({ fields: local, general: [] });
      setAttempt((n) => n + 1);
      return;
    }
    setSaving(true);
    setErrors(NO_ERRORS);
    try {
      let saved: Link;
      if (editing && link) {
        const body = buildPatchBody(v, link);
        saved = Object.keys(body).length === 0 ? link : await api.patch<Link>(`/api/v1/links/${encodeURIComponent(link.id)}`, body);
      } else {
        saved = await api.post<Link>('/api/v1/links', buildCreateBody(v));
      }
      toast(editing ? t('linkForm.saved') : t('linkForm.created'), 'success');
      navigate(`/links/${saved.id}`, { replace: !editing });
    } catch (e) {
      const mapped = errorToFormErrors(e, LINK_FORM_FIELDS, LINK_FORM_ALIASES, t);
      setErrors(mapped);
      setSaving(false);
      setAttempt((n) => n + 1);
    }
  };

  const amountInput = (field: keyof LinkFormValues, label: ReactNode, hint?: ReactNode) => (
    <Field label={label} hint={hint} errors={err(field)} name={field}>
      {(p) => (
        <div className="input-affix">
          <input {...p} inputMode="decimal" autoComplete="off" value={v[field] as string} onChange={(e) => set({ [field]: e.target.value } as Partial<LinkFormValues>)} />
          <span className="affix">{v.currency.toUpperCase()}</span>
        </div>
      )}
    </Field>
  );

  return (
    <div className="page page-narrow">
      <PageHeader
        back={editing && link ? { to: `/links/${link.id}`, label: link.name } : { to: '/links', label: t('nav.links') }}
        title={editing ? t('linkForm.editTitle') : t('linkForm.newTitle')}
      />
      <form
        ref={formRef}
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        data-testid="link-form"
      >
        <Card title={t('linkForm.basics')}>
          <Field label={t('linkForm.name')} errors={err('name')} name="name" hint={t('linkForm.nameHint')}>
            {(p) => <input {...p} value={v.name} maxLength={200} onChange={(e) => set({ name: e.target.value })} autoFocus={!editing} />}
          </Field>
          <Field label={t('linkForm.description')} errors={err('description')} name="description" hint={t('common.optional')}>
            {(p) => <textarea {...p} rows={2} value={v.description} onChange={(e) => set({ description: e.target.value })} />}
          </Field>
          {!editing && (
            <Field label={t('linkForm.type')} errors={err('type')} name="type">
              {() => (
                <Segmented
                  name="type"
                  value={v.type}
                  onChange={(type) => set({ type })}
                  options={[
                    { value: 'payment', label: t('linkForm.typePayment') },
                    { value: 'accountInfo', label: t('linkForm.typeAccountInfo') },
                  ]}
                />
              )}
            </Field>
          )}
        </Card>

        {isPayment && (
          <Card title={t('linkForm.amountSection')}>
            <Field label={t('linkForm.amountMode')} name="amountMode">
              {() => (
                <Segmented
                  name="amountMode"
                  value={v.amountMode}
                  onChange={(amountMode) => set({ amountMode })}
                  options={[
                    { value: 'fixed', label: t('linkForm.fixed') },
                    { value: 'open', label: t('linkForm.open') },
                  ]}
                />
              )}
            </Field>
            <div className="grid-2">
              {v.amountMode === 'fixed' ? amountInput('amount', t('linkForm.amount')) : amountInput('minAmount', t('linkForm.minAmount'), t('common.optional'))}
              <Field label={t('linkForm.currency')} errors={err('currency')} name="currency">
                {(p) => (
                  <>
                    <input {...p} list="currencies" value={v.currency} maxLength={3} className="upper" onChange={(e) => set({ currency: e.target.value.toUpperCase() })} />
                    <datalist id="currencies">
                      {COMMON_CURRENCIES.map((c) => (
                        <option key={c} value={c} />
                      ))}
                    </datalist>
                  </>
                )}
              </Field>
            </div>
            {amountInput('perPaymentAmountLimit', t('linkForm.perPaymentLimit'), t('linkForm.perPaymentLimitHint'))}
            <Field label={t('linkForm.methods')} errors={err('methods')} name="methods" hint={t('linkForm.methodsHint')}>
              {(p) => (
                <div className="method-choices" data-testid="link-methods">
                  <label className="check">
                    <input {...p} type="checkbox" checked={v.methods === null} onChange={(e) => set({ methods: e.target.checked ? null : offered.map((m) => m.id) })} />
                    <span>{t('linkForm.methodsAll')}</span>
                  </label>
                  {v.methods !== null &&
                    offered.map((m) => (
                      <label className="check method-choice" key={m.id}>
                        <input
                          type="checkbox"
                          name={`method-${m.id}`}
                          checked={v.methods!.includes(m.id)}
                          onChange={(e) => {
                            const next = e.target.checked ? [...v.methods!, m.id] : v.methods!.filter((x) => x !== m.id);
                            set({ methods: offered.map((o) => o.id).filter((id) => next.includes(id)) });
                          }}
                        />
                        <span>
                          {t(`methods.${m.id}`, { defaultValue: m.id })}
                          {!m.available && m.reason ? <span className="muted small"> · {t(`linkForm.methodReason.${m.reason}`, { defaultValue: m.reason })}</span> : null}
                        </span>
                      </label>
                    ))}
                </div>
              )}
            </Field>
          </Card>
        )}

        <Card title={t('linkForm.usage')}>
          {!editing && (
            <Field label={t('linkForm.reuse')} errors={err('reuse')} name="reuse">
              {() => (
                <Segmented
                  name="reuse"
                  value={v.reuse}
                  onChange={(reuse) => set({ reuse })}
                  options={[
                    { value: 'single', label: t('linkForm.single') },
                    { value: 'multiple', label: t('linkForm.multiple') },
                  ]}
                />
              )}
            </Field>
          )}
          {v.reuse === 'multiple' ? (
            <div className="grid-2">
              <Field label={t('linkForm.maxUses')} errors={err('maxUses')} name="maxUses" hint={t('linkForm.unlimited')}>
                {(p) => <input {...p} inputMode="numeric" value={v.maxUses} onChange={(e) => set({ maxUses: e.target.value })} />}
              </Field>
              {isPayment && amountInput('totalAmountLimit', t('linkForm.totalLimit'), t('linkForm.unlimited'))}
            </div>
          ) : (
            <p className="muted small">{t('linkForm.singleHint')}</p>
          )}
        </Card>

        <Card title={t('linkForm.expiry')}>
          <Field label={t('linkForm.expires')} errors={err('expiry')} name="expiry">
            {(p) => (
              <div className="expiry">
                <Segmented
                  name="expiryMode"
                  value={v.expiryMode}
                  onChange={(expiryMode) => set({ expiryMode })}
                  options={[
                    { value: 'never', label: t('linkForm.never') },
                    { value: 'minutes', label: t('linkForm.inMinutes') },
                    { value: 'day', label: t('linkForm.onDay') },
                    { value: 'at', label: t('linkForm.atTime') },
                  ]}
                />
                {v.expiryMode === 'minutes' && (
                  <div className="input-affix">
                    <input {...p} inputMode="numeric" value={v.expiresInMinutes} onChange={(e) => set({ expiresInMinutes: e.target.value })} aria-label={t('linkForm.inMinutes')} />
                    <span className="affix">{t('linkForm.minutes')}</span>
                  </div>
                )}
                {v.expiryMode === 'day' && <input {...p} type="date" value={v.expiresOn} onChange={(e) => set({ expiresOn: e.target.value })} aria-label={t('linkForm.onDay')} />}
                {v.expiryMode === 'at' && <input {...p} type="datetime-local" value={v.expiresAt} onChange={(e) => set({ expiresAt: e.target.value })} aria-label={t('linkForm.atTime')} />}
              </div>
            )}
          </Field>
        </Card>

        <Card title={t('linkForm.customer')}>
          <div className="grid-2">
            <Field label={t('linkForm.locale')} errors={err('locale')} name="locale">
              {(p) => (
                <select {...p} value={v.locale} onChange={(e) => set({ locale: e.target.value })}>
                  {LOCALES.map((l) => (
                    <option key={l} value={l}>
                      {t(`locales.${l}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('linkForm.country')} errors={err('country')} name="country" hint={t('linkForm.countryHint')}>
              {(p) => <input {...p} value={v.country} maxLength={2} className="upper" onChange={(e) => set({ country: e.target.value.toUpperCase() })} />}
            </Field>
          </div>
          <Field label={t('linkForm.reference')} errors={err('reference')} name="reference" hint={t('linkForm.referenceHint')}>
            {(p) => <input {...p} value={v.reference} onChange={(e) => set({ reference: e.target.value })} />}
          </Field>
          <Field label={t('linkForm.callbackUrl')} errors={err('callbackUrl')} name="callbackUrl" hint={t('linkForm.callbackHint')}>
            {(p) => <input {...p} type="url" value={v.callbackUrl} placeholder="https://" onChange={(e) => set({ callbackUrl: e.target.value })} />}
          </Field>
          <Field label={t('linkForm.cancellable')} errors={err('cancellable')} name="cancellable">
            {(p) => (
              <label className="check">
                <input {...p} type="checkbox" checked={v.cancellable} onChange={(e) => set({ cancellable: e.target.checked })} />
                <span>{t('linkForm.cancellableHint')}</span>
              </label>
            )}
          </Field>
        </Card>

        <Card title={t('linkForm.advanced')}>
          {!editing && (
            <div className="grid-2">
              <Field label={t('linkForm.pointOfSale')} errors={err('pointOfSaleId')} name="pointOfSaleId">
                {(p) => (
                  <select {...p} value={v.pointOfSaleId} onChange={(e) => set({ pointOfSaleId: e.target.value })}>
                    {app.pointsOfSale.map((pos) => (
                      <option key={pos.id} value={pos.id}>
                        {pos.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t('linkForm.refIdBase')} errors={err('refIdBase')} name="refIdBase" hint={t('linkForm.refIdBaseHint')}>
                {(p) => <input {...p} value={v.refIdBase} maxLength={20} className="mono" onChange={(e) => set({ refIdBase: e.target.value })} />}
              </Field>
            </div>
          )}
          <Field label={t('linkForm.metadata')} errors={err('metadata')} name="metadata" hint={t('linkForm.metadataHint')}>
            {() => (
              <div className="kv-list">
                {v.metadata.map((row, i) => (
                  <div className="kv-row" key={i}>
                    <input
                      value={row.key}
                      placeholder={t('linkForm.key')}
                      aria-label={t('linkForm.key')}
                      onChange={(e) => set({ metadata: v.metadata.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)) })}
                    />
                    <input
                      value={row.value}
                      placeholder={t('linkForm.value')}
                      aria-label={t('linkForm.value')}
                      onChange={(e) => set({ metadata: v.metadata.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)) })}
                    />
                    <button type="button" className="icon-btn" aria-label={t('common.remove')} onClick={() => set({ metadata: v.metadata.filter((_, j) => j !== i) })}>
                      <IconX />
                    </button>
                  </div>
                ))}
                <Button size="sm" variant="ghost" icon={<IconPlus size={16} />} onClick={() => set({ metadata: [...v.metadata, { key: '', value: '' }] })}>
                  {t('linkForm.addMetadata')}
                </Button>
              </div>
            )}
          </Field>
        </Card>

        <ErrorBox messages={errors.general} />
        {Object.keys(errors.fields).length > 0 && (
          <p className="form-summary" data-testid="form-summary">
            {t('errors.fixFields', { count: Object.keys(errors.fields).length })}
          </p>
        )}
        <div className="form-actions form-end">
          <Button size="lg" variant="ghost" onClick={() => navigate(editing && link ? `/links/${link.id}` : '/links')}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" size="lg" variant="primary" disabled={saving} data-testid="link-save">
            {saving ? <Spinner /> : editing ? t('linkForm.save') : t('linkForm.create')}
          </Button>
        </div>
      </form>
    </div>
  );
}
