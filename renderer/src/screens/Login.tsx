import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { sessionStore } from '../services';
import { Button, Field, Segmented } from '../components/ui';
import { IconBackspace } from '../components/icons';
import { chargeKeyAction } from '../lib/keyboard';

const PIN_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'backspace'] as const;

/** Browser mode's door: the staff PIN (a pad, for the touch screen) or an API key. */
export function LoginScreen() {
  const { t } = useTranslation();
  const session = useStore(sessionStore);
  const hasUsers = session.users.length > 0;
  const [method, setMethod] = useState<'pin' | 'apiKey'>(session.pinSet || hasUsers ? 'pin' : 'apiKey');
  /** Who signs in: a staff user's id, or null for the shop's single PIN. */
  const [userId, setUserId] = useState<string | null>(null);
  const userRef = useRef(userId);
  userRef.current = userId;
  const [pin, setPin] = useState('');
  const pinRef = useRef(pin);
  pinRef.current = pin;
  const [apiKey, setApiKey] = useState('');

  useEffect(() => {
    setMethod(session.pinSet || hasUsers ? 'pin' : 'apiKey');
    // No shop PIN to fall back on: someone has to be picked, so the first one is.
    if (!session.pinSet && hasUsers && userRef.current === null) setUserId(session.users[0]!.id);
  }, [session.pinSet, hasUsers]);

  const submitPin = async (value: string): Promise<void> => {
    if (value.length < 4) return;
    const ok = await sessionStore.getState().loginWithPin(value, userRef.current ?? undefined);
    if (!ok) setPin('');
  };

  useEffect(() => {
    if (method !== 'pin') return;
    // As on the charge screen: digits, Backspace, Escape and Enter, unless a control has the focus.
    const onKey = (e: KeyboardEvent): void => {
      const action = chargeKeyAction(e, { dialogOpen: false });
      if (!action || action.kind === 'blur') return;
      e.preventDefault();
      if (action.kind === 'enter') void submitPin(pinRef.current);
      else if (action.key === 'clear') setPin('');
      else if (action.key === 'backspace') setPin((p) => p.slice(0, -1));
      else setPin((p) => (p + action.key).slice(0, 12));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [method]);

  const error = session.retryAfter ? t('login.tooMany', { seconds: session.retryAfter }) : session.error;

  return (
    <main className="login">
      <div className="login-card">
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Counterlink</span>
        </div>
        <h1>{t('login.title')}</h1>
        <Segmented
          name="login-method"
          value={method}
          onChange={(m) => setMethod(m)}
          options={[
            { value: 'pin', label: t('login.pin') },
            { value: 'apiKey', label: t('login.apiKey') },
          ]}
        />
        {method === 'pin' ? (
          <div className="pin-login">
            {hasUsers && (
              <div className="login-users" role="radiogroup" aria-label={t('login.who')} data-testid="login-users">
                {session.users.map((u) => (
                  <Button key={u.id} role="radio" aria-checked={userId === u.id} variant={userId === u.id ? 'primary' : 'secondary'} onMouseDown={(e) => e.preventDefault()} onClick={() => setUserId(u.id)} data-user={u.id}>
                    {u.name}
                  </Button>
                ))}
                {session.pinSet && (
                  <Button role="radio" aria-checked={userId === null} variant={userId === null ? 'primary' : 'secondary'} onMouseDown={(e) => e.preventDefault()} onClick={() => setUserId(null)}>
                    {t('login.shopPin')}
                  </Button>
                )}
              </div>
            )}
            {!session.pinSet && !hasUsers && <p className="muted">{t('login.noPin')}</p>}
            <div className="pin-dots" role="img" aria-label={t('login.pinEntered', { count: pin.length })} data-testid="pin-dots">
              {Array.from({ length: Math.max(4, pin.length) }, (_, i) => (
                <span key={i} className={i < pin.length ? 'filled' : ''} />
              ))}
            </div>
            <div className="keypad keypad-pin">
              {PIN_KEYS.map((k) => (
                <button
                  key={k}
                  type="button"
                  className={`key ${k === 'clear' || k === 'backspace' ? 'key-fn' : ''}`}
                  aria-label={k === 'backspace' ? t('charge.backspace') : k === 'clear' ? t('charge.clear') : k}
                  data-charge-key="keypad"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => setPin((p) => (k === 'clear' ? '' : k === 'backspace' ? p.slice(0, -1) : p.length < 12 ? p + k : p))}
                >
                  {k === 'backspace' ? <IconBackspace size={26} /> : k === 'clear' ? 'C' : k}
                </button>
              ))}
            </div>
            <Button variant="primary" size="xl" className="full" disabled={pin.length < 4 || session.busy || (hasUsers && userId === null && !session.pinSet)} onClick={() => void submitPin(pin)}>
              {t('login.submit')}
            </Button>
          </div>
        ) : (
          <form
            className="key-login"
            onSubmit={(e) => {
              e.preventDefault();
              void sessionStore.getState().loginWithKey(apiKey.trim());
            }}
          >
            <Field label={t('login.apiKey')} hint={t('login.apiKeyHint')} name="apiKey">
              {(p) => <input {...p} type="password" autoComplete="current-password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder="clk_…" autoFocus />}
            </Field>
            <Button type="submit" variant="primary" size="xl" className="full" disabled={apiKey.trim().length === 0 || session.busy}>
              {t('login.submit')}
            </Button>
          </form>
        )}
        {error && (
          <div className="error-box" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
      </div>
    </main>
  );
}
