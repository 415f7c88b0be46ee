import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../services';
import { Button, Card, ErrorBox, Field, PageHeader } from '../components/ui';
import { formatDateTime } from '../lib/format';
import { errorText } from '../lib/error-text';

interface Check {
  valid: boolean;
  reason: null | 'format' | 'signature' | 'other-key';
  facts: Record<string, string>;
}

const FACTS: [string, string][] = [
  ['m', 'verify.merchant'],
  ['v', 'verify.vatId'],
  ['r', 'verify.refId'],
  ['p', 'verify.payment'],
  ['d', 'verify.date'],
  ['a', 'verify.amount'],
  ['t', 'verify.tip'],
  ['x', 'verify.refunded'],
  ['k', 'verify.method'],
  ['f', 'verify.fingerprint'],
];

/** Paste what a phone read from a receipt's QR code: is it this shop's, unaltered? */
export function VerifyReceiptScreen() {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const [check, setCheck] = useState<Check | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [key, setKey] = useState<{ publicKey: string; fingerprint: string } | null>(null);

  useEffect(() => {
    api.get<{ publicKey: string; fingerprint: string }>('/api/v1/receipts/public-key').then(setKey, () => setKey(null));
  }, []);

  const shown = (k: string, v: string): string => {
    if (k === 'd') return formatDateTime(v, i18n.language) || v;
    if (k === 'f') return v.replace(/(.{4})(?=.)/g, '$1 ');
    return v;
  };

  const verify = async (): Promise<void> => {
    setError(null);
    try {
      setCheck(await api.post<Check>('/api/v1/receipts/verify', { text }));
    } catch (err) {
      setCheck(null);
      setError(errorText(err));
    }
  };

  return (
    <div className="page page-narrow">
      <PageHeader title={t('verify.title')} subtitle={t('verify.subtitle')} back={{ to: '/reports', label: t('nav.dayReport') }} />
      <Card>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void verify();
          }}
        >
          <Field label={t('verify.paste')} name="receipt-text" hint={t('verify.pasteHint')}>
            {(p) => <textarea {...p} rows={8} className="mono" value={text} onChange={(e) => setText(e.target.value)} data-testid="verify-text" />}
          </Field>
          {error ? <ErrorBox messages={[error]} /> : null}
          <div className="form-actions">
            <Button type="submit" variant="primary" disabled={text.trim() === ''} data-testid="verify-submit">
              {t('verify.check')}
            </Button>
          </div>
        </form>
      </Card>
      {check ? (
        <Card>
          <p className={`verify-result ${check.valid ? 'verify-ok' : 'verify-bad'}`} role="status" data-testid="verify-result">
            {check.valid ? t('verify.valid') : t(`verify.invalid_${check.reason ?? 'signature'}`)}
          </p>
          {Object.keys(check.facts).length > 0 ? (
            <dl className="props">
              {FACTS.filter(([k]) => check.facts[k] !== undefined).map(([k, label]) => (
                <div key={k} className="prop">
                  <dt>{t(label)}</dt>
                  <dd className={k === 'p' || k === 'f' ? 'mono' : undefined}>{shown(k, check.facts[k]!)}</dd>
                </div>
              ))}
            </dl>
          ) : null}
        </Card>
      ) : null}
      {key ? (
        <Card title={t('verify.keyTitle')}>
          <p className="muted">{t('verify.keyHint')}</p>
          <dl className="props">
            <div className="prop">
            <dt>{t('verify.fingerprint')}</dt>
            <dd className="mono" data-testid="verify-fingerprint">
              {key.fingerprint}
            </dd>
            </div>
            <div className="prop">
            <dt>{t('verify.publicKey')}</dt>
            <dd className="mono break">{key.publicKey}</dd>
            </div>
          </dl>
        </Card>
      ) : null}
    </div>
  );
}
