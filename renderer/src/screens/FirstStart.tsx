import '../i18n';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FirstStartBridge, FirstStartInfo, FoundHubInfo, JoinFailure } from '../bridge';
import { Button, ErrorBox, Field, Spinner } from '../components/ui';
import { canJoin, codeInput, failureField, failureWords, joinRequest, pickedHub, type JoinForm } from '../lib/first-start';

/**
 * The desktop app's first start on a new computer (issue #11): run the shop's hub here, or join
 * a hub found on the LAN (or typed) with the pairing code the hub shows. Only in the first-start
 * window, whose bridge has nothing but these calls (electron/main/first-start.ts).
 */
export default function FirstStartScreen({ bridge }: { bridge: FirstStartBridge }) {
  const { t } = useTranslation();
  const [info, setInfo] = useState<FirstStartInfo | null>(null);
  const [step, setStep] = useState<'choose' | 'join'>('choose');
  const [hubs, setHubs] = useState<FoundHubInfo[]>([]);
  const [form, setForm] = useState<JoinForm>({ address: '', code: '', name: '' });
  const [busy, setBusy] = useState<'join' | 'hub' | null>(null);
  const [failure, setFailure] = useState<{ reason: JoinFailure; retryAfterSeconds?: number } | null>(null);
  const [joined, setJoined] = useState(false);

  useEffect(() => {
    void bridge.info().then((i) => {
      setInfo(i);
      setForm((f) => (f.name ? f : { ...f, name: i.defaultName }));
    });
    return bridge.onHubs(setHubs);
  }, [bridge]);

  // The only hub on the network is the one meant: picked for the staff, who can still change it.
  useEffect(() => {
    if (hubs.length === 1 && form.address === '') setForm((f) => ({ ...f, address: hubs[0]!.origin }));
  }, [hubs, form.address]);

  const set = (field: keyof JoinForm, value: string): void => {
    setForm((f) => ({ ...f, [field]: field === 'code' ? codeInput(value) : value }));
    if (failure && failureField(failure.reason) === field) setFailure(null);
  };

  const join = async (): Promise<void> => {
    if (!canJoin(form) || busy) return;
    setBusy('join');
    setFailure(null);
    try {
      const result = await bridge.join(joinRequest(form));
      if (result.ok) setJoined(true);
      else setFailure({ reason: result.reason, ...(result.retryAfterSeconds !== undefined ? { retryAfterSeconds: result.retryAfterSeconds } : {}) });
    } catch {
      setFailure({ reason: 'unreachable' });
    } finally {
      setBusy(null);
    }
  };

  const hubHere = async (): Promise<void> => {
    setBusy('hub');
    await bridge.runHubHere().catch(() => setBusy(null));
  };

  if (!info) return <div className="full-center" aria-busy="true" />;
  const picked = pickedHub(hubs, form.address);
  const words = failure ? failureWords(failure.reason, failure.retryAfterSeconds) : undefined;
  const message = words ? t(words.key, words.values) : undefined;
  const field = failure ? failureField(failure.reason) : undefined;
  const errorsFor = (f: keyof JoinForm): string[] | undefined => (message && field === f ? [message] : undefined);

  return (
    <main className="login first-start" data-testid="first-start" data-step={step}>
      <div className="login-card first-start-card">
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Counterlink</span>
        </div>
        <h1>{t('firstStart.title')}</h1>
        {info.why === 'not-paired' && (
          <p className="notice" role="status" data-testid="not-paired">
            {t('firstStart.notPaired')}
          </p>
        )}
        {joined ? (
          <p role="status" data-testid="joined">
            <Spinner /> {t('firstStart.joined')}
          </p>
        ) : step === 'choose' ? (
          <div className="first-start-choices">
            <button type="button" className="first-start-choice" data-testid="choose-hub" disabled={busy !== null} onClick={() => void hubHere()}>
              <strong>{t('firstStart.hubHere')}</strong>
              <span>{t('firstStart.hubHereHint')}</span>
            </button>
            <button type="button" className="first-start-choice" data-testid="choose-join" disabled={busy !== null} onClick={() => setStep('join')}>
              <strong>{t('firstStart.join')}</strong>
              <span>{t('firstStart.joinHint')}</span>
            </button>
            {busy === 'hub' && (
              <p role="status">
                <Spinner /> {t('firstStart.startingHub')}
              </p>
            )}
          </div>
        ) : (
          <form
            className="first-start-join"
            onSubmit={(e) => {
              e.preventDefault();
              void join();
            }}
          >
            <h2>{t('firstStart.join')}</h2>
            <fieldset className="found-hubs" data-testid="found-hubs">
              <legend>{t('firstStart.found')}</legend>
              {hubs.length === 0 ? (
                <p className="muted">
                  <Spinner /> {t('firstStart.searching')}
                </p>
              ) : (
                <ul>
                  {hubs.map((h) => (
                    <li key={h.id}>
                      <button
                        type="button"
                        className={`found-hub ${picked?.id === h.id ? 'picked' : ''}`}
                        aria-pressed={picked?.id === h.id}
                        data-origin={h.origin}
                        onClick={() => set('address', h.origin)}
                      >
                        <strong>{h.shopName}</strong>
                        <span className="muted">{h.origin.replace(/^http:\/\//, '')}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </fieldset>
            <Field label={t('firstStart.address')} hint={t('firstStart.addressHint')} errors={errorsFor('address')} name="address">
              {(p) => <input {...p} value={form.address} onChange={(e) => set('address', e.target.value)} autoComplete="off" spellCheck={false} maxLength={300} placeholder="192.168.1.20:4780" />}
            </Field>
            <Field label={t('firstStart.code')} hint={t('firstStart.codeHint')} errors={errorsFor('code')} name="code">
              {(p) => (
                <input {...p} className="pairing-code-input" value={form.code} onChange={(e) => set('code', e.target.value)} autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={12} />
              )}
            </Field>
            <Field label={t('firstStart.name')} hint={t('firstStart.nameHint')} errors={errorsFor('name')} name="name">
              {(p) => <input {...p} value={form.name} onChange={(e) => set('name', e.target.value)} maxLength={120} />}
            </Field>
            <ErrorBox messages={message && field === undefined ? [message] : []} />
            <div className="first-start-actions">
              <Button
                onClick={() => {
                  setStep('choose');
                  setFailure(null);
                }}
                disabled={busy !== null}
              >
                {t('common.back')}
              </Button>
              <Button type="submit" variant="primary" disabled={!canJoin(form) || busy !== null} data-testid="join-submit">
                {busy === 'join' ? t('firstStart.joining') : t('firstStart.joinSubmit')}
              </Button>
            </div>
          </form>
        )}
      </div>
    </main>
  );
}
