import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, bridge, chargeStore } from '../services';
import { currentPos } from '../stores/app';
import type { DisplayView } from '../api/types';
import { currencyExponent, digitsToDecimal, digitsToMinor, formatMoney, keyFromKeyboard, type KeypadKey } from '../lib/amount';
import { formatCountdown } from '../lib/format';
import { Button, Spinner } from '../components/ui';
import { Qr } from '../components/Qr';
import { IconBackspace, IconCheck, IconClock, IconDisplay, IconX } from '../components/icons';

const KEYS: KeypadKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '00', '0', 'backspace'];

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
}

export function ChargeScreen() {
  const { t, i18n } = useTranslation();
  const charge = useStore(chargeStore);
  const app = useStore(appStore);
  const pos = currentPos(app);
  const currency = pos?.currency ?? 'EUR';
  const locale = i18n.language;

  useEffect(() => {
    chargeStore.getState().setCurrency(currency);
  }, [currency]);

  // After a reload: the display may still show this counter's charge.
  useEffect(() => {
    if (!pos) return;
    api.get<DisplayView>('/api/v1/display', { pointOfSaleId: pos.id }).then(
      (view) => chargeStore.getState().restore(view),
      () => {},
    );
  }, [pos?.id]);

  // Keyboard-first: digits, Backspace, Escape and Enter work anywhere on this screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || !pos) return;
      const key = keyFromKeyboard(e.key);
      if (!key) return;
      const typing = isTyping(e.target);
      if (typing && key !== 'enter') {
        if (key === 'clear') (e.target as HTMLElement).blur();
        return;
      }
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      const s = chargeStore.getState();
      if (key === 'enter') void s.enter(pos.id);
      else s.press(key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pos]);

  if (!pos) return <Spinner />;
  const amountText = formatMoney(digitsToDecimal(charge.digits, currencyExponent(currency)), currency, locale);

  if (charge.phase === 'entry' || charge.phase === 'creating') {
    const zero = digitsToMinor(charge.digits) === 0;
    return (
      <div className="charge charge-entry-screen">
        <div className="charge-entry">
          <div className="charge-label">{t('charge.title')}</div>
          <div className={`amount-display ${zero ? 'is-zero' : ''}`} data-testid="amount-display" aria-live="polite">
            {amountText}
          </div>
          <input
            className="reference-input"
            value={charge.reference}
            placeholder={t('charge.referencePlaceholder')}
            aria-label={t('charge.reference')}
            maxLength={140}
            onChange={(e) => chargeStore.getState().setReference(e.target.value)}
          />
          <div className="keypad" role="group" aria-label={t('charge.keypad')}>
            {KEYS.map((k) => (
              <button
                key={k}
                type="button"
                className={`key ${k === 'backspace' ? 'key-fn' : ''}`}
                aria-label={k === 'backspace' ? t('charge.backspace') : k}
                data-key={k}
                onClick={() => chargeStore.getState().press(k)}
                onContextMenu={(e) => {
                  if (k !== 'backspace') return;
                  e.preventDefault();
                  chargeStore.getState().press('clear');
                }}
              >
                {k === 'backspace' ? <IconBackspace size={28} /> : k}
              </button>
            ))}
          </div>
          {charge.error && <div className="charge-error" role="alert">{charge.error === 'amount-required' ? t('charge.amountRequired') : charge.error}</div>}
          <div className="charge-actions">
            <Button size="xl" variant="ghost" onClick={() => chargeStore.getState().press('clear')} disabled={zero || charge.phase === 'creating'}>
              {t('charge.clear')}
            </Button>
            <Button size="xl" variant="primary" className="charge-submit" data-testid="charge-submit" disabled={zero || charge.phase === 'creating'} onClick={() => void chargeStore.getState().submit(pos.id)}>
              {charge.phase === 'creating' ? <Spinner /> : t('charge.submit', { amount: amountText })}
            </Button>
          </div>
          <div className="kbd-hint">{t('charge.keyboardHint')}</div>
        </div>
      </div>
    );
  }
  return <ChargeLive locale={locale} posId={pos.id} />;
}

function ChargeLive({ locale, posId }: { locale: string; posId: string }) {
  const { t } = useTranslation();
  const charge = useStore(chargeStore);
  const now = useNow();
  const link = charge.link!;
  const amount = formatMoney(link.amount, link.currency, locale);
  const left = link.expiresAt ? new Date(link.expiresAt).getTime() - now : null;
  const phase = charge.phase;
  const done = phase === 'paid' || phase === 'expired' || phase === 'cancelled';

  return (
    <div className={`charge charge-live phase-${phase}`} data-testid="charge-live" data-phase={phase}>
      <div className="charge-live-card">
        <div className="charge-live-main">
          {(phase === 'waiting' || phase === 'paying' || phase === 'failed') && (
            <div className={`charge-qr ${phase === 'paying' ? 'dim' : ''}`}>
              <Qr text={link.url} label={t('charge.qrLabel')} size={220} />
            </div>
          )}
          {phase === 'paid' && (
            <div className="result-icon result-ok">
              <IconCheck size={72} strokeWidth={2.4} />
            </div>
          )}
          {(phase === 'expired' || phase === 'cancelled') && (
            <div className="result-icon result-neutral">
              <IconX size={64} strokeWidth={2.2} />
            </div>
          )}
          <div className="charge-live-text">
            <div className="charge-live-amount">{amount}</div>
            <div className="phase-line" data-testid="charge-phase">
              {(phase === 'waiting' || phase === 'paying') && <span className="pulse" aria-hidden="true" />}
              {t(`charge.phase.${phase}`)}
            </div>
            {charge.notice && phase === 'waiting' && <div className="phase-note">{t(`charge.notice.${charge.notice}`)}</div>}
            {phase === 'failed' && <div className="phase-note">{t('charge.failedHint')}</div>}
            {phase === 'paid' && charge.payment && <div className="phase-note mono">{charge.payment.refId}</div>}
            {!done && left !== null && (
              <div className="time-left">
                <IconClock size={18} /> {t('charge.timeLeft', { time: formatCountdown(left) })}
              </div>
            )}
            {link.reference && <div className="phase-note">{t('charge.referenceShort', { reference: link.reference })}</div>}
          </div>
        </div>
        {charge.error && <div className="charge-error" role="alert">{charge.error}</div>}
        <div className="charge-live-actions">
          {!done && (
            <Button size="lg" variant="ghost" onClick={() => void chargeStore.getState().cancel()} data-testid="charge-cancel">
              {t('charge.cancel')}
            </Button>
          )}
          {!done && bridge?.showOnDisplay && (
            <Button size="lg" icon={<IconDisplay />} onClick={() => void bridge!.showOnDisplay!({ pointOfSaleId: posId, visible: true })}>
              {t('charge.showDisplay')}
            </Button>
          )}
          <Button size="lg" variant={done ? 'primary' : 'secondary'} onClick={() => chargeStore.getState().reset()} data-testid="charge-new" autoFocus={done}>
            {t('charge.new')}
          </Button>
        </div>
        {done && <div className="kbd-hint">{t('charge.enterForNew')}</div>}
      </div>
    </div>
  );
}
