import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore } from '../services';
import { LOCALES, type Channel, type Link, type Notification } from '../api/types';
import { newIdempotencyKey } from '../api/client';
import { buildSendBody, MESSAGE_MAX, sendErrors, type SendFormValues } from '../lib/messaging';
import { NO_ERRORS, type FormErrors } from '../lib/form-errors';
import { toast } from '../stores/toast';
import { ConfirmDialog, ErrorBox, Field, Segmented } from './ui';
import { RouteNote } from './messaging';
import { IconMail, IconSms } from './icons';

/**
 * "Send" on a link: email or SMS to one customer. The server checks the address (its errors
 * show at the field) and refuses a link that cannot be paid (409) or was sent too often (429).
 */
export function SendLinkDialog({ link, open, onClose, onSent }: { link: Link; open: boolean; onClose: () => void; onSent: (n: Notification) => void }) {
  const { t } = useTranslation();
  const merchant = useStore(appStore, (s) => s.merchant);
  const [values, setValues] = useState<SendFormValues>({ channel: 'email', to: '', locale: link.locale, message: '' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  // One key per dialog opening: a double click or a retried request sends one message.
  const [key, setKey] = useState(newIdempotencyKey);

  useEffect(() => {
    if (!open) return;
    setValues({ channel: 'email', to: '', locale: link.locale, message: '' });
    setErrors(NO_ERRORS);
    setKey(newIdempotencyKey());
  }, [open, link.id]);

  const set = (patch: Partial<SendFormValues>) => {
    setValues({ ...values, ...patch });
    // A changed request needs its own key (the server refuses a reused key with another body).
    setKey(newIdempotencyKey());
  };
  const max = MESSAGE_MAX[values.channel];
  const country = link.country ?? merchant?.country ?? null;

  const send = async (): Promise<void> => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const n = await api.post<Notification>(`/api/v1/links/${encodeURIComponent(link.id)}/send`, buildSendBody(values), { idempotencyKey: key });
      toast(t('send.queued', { to: n.to }), 'success');
      onSent(n);
      onClose();
    } catch (err) {
      setErrors(sendErrors(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      open={open}
      title={t('send.title')}
      body={t('send.body', { name: link.name })}
      confirmLabel={busy ? t('send.sending') : values.channel === 'email' ? t('send.submitEmail') : t('send.submitSms')}
      cancelLabel={t('common.cancel')}
      busy={busy}
      onClose={onClose}
      onConfirm={() => void send()}
      className="dialog-wide"
      testId="send-dialog"
    >
      <Field label={t('send.channel')} name="channel" errors={errors.fields.channel}>
        {() => (
          <Segmented<Channel>
            name="channel"
            value={values.channel}
            onChange={(channel) => set({ channel, to: channel === values.channel ? values.to : '' })}
            options={[
              { value: 'email', label: <span className="seg-icon"><IconMail size={18} /> {t('channels.email')}</span> },
              { value: 'sms', label: <span className="seg-icon"><IconSms size={18} /> {t('channels.sms')}</span> },
            ]}
          />
        )}
      </Field>
      <Field
        label={values.channel === 'email' ? t('send.toEmail') : t('send.toPhone')}
        name="to"
        errors={errors.fields.to}
        hint={values.channel === 'sms' ? (country ? t('send.phoneHint', { country }) : t('send.phoneHintNoCountry')) : undefined}
      >
        {(p) => (
          <input
            {...p}
            type={values.channel === 'email' ? 'email' : 'tel'}
            inputMode={values.channel === 'email' ? 'email' : 'tel'}
            autoComplete="off"
            placeholder={values.channel === 'email' ? 'jane@example.com' : '+49 151 23456789'}
            value={values.to}
            onChange={(e) => set({ to: e.target.value })}
            autoFocus
          />
        )}
      </Field>
      <Field label={t('send.locale')} name="locale" errors={errors.fields.locale}>
        {(p) => (
          <select {...p} value={values.locale} onChange={(e) => set({ locale: e.target.value })}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(`locales.${l}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('send.message')} name="message" errors={errors.fields.message} hint={t('send.messageHint', { count: values.message.length, max })}>
        {(p) => <textarea {...p} rows={3} maxLength={max} value={values.message} onChange={(e) => set({ message: e.target.value })} placeholder={t('send.messagePlaceholder')} />}
      </Field>
      <RouteNote channel={values.channel} merchant={merchant} />
      <ErrorBox messages={errors.general} />
    </ConfirmDialog>
  );
}
