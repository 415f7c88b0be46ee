import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, bridge, chargeStore, feedStore, modeStore, useCan } from '../services';
import { currentPos } from '../stores/app';
import { isTransferCharge, type ChargeOutcome, type RecentCharge } from '../stores/charge';
import type { DisplayView, Payment } from '../api/types';
import { currencyExponent, digitsToDecimal, digitsToMinor, formatMoney, type KeypadKey } from '../lib/amount';
import { formatClock, formatCountdown } from '../lib/format';
import { chargeKeyAction } from '../lib/keyboard';
import { bankQrBlock, formatIban, formatReference } from '../lib/bank';
import { toast } from '../stores/toast';
import { AppLink, Button, ConfirmDialog, Spinner, TestBadge } from '../components/ui';
import { Qr } from '../components/Qr';
import { EpcQr } from '../components/EpcQr';
import { dialogOpen } from '../components/Shell';
import { IconBackspace, IconBank, IconCheck, IconClock, IconDisplay, IconX } from '../components/icons';

const KEYS: KeypadKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '00', '0', 'backspace'];

/** How many of this counter's charges the list beside the keypad shows. */
const RECENT_SHOWN = 6;

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function ChargeScreen() {
  const { t, i18n } = useTranslation();
  const charge = useStore(chargeStore);
  const app = useStore(appStore);
  const pos = currentPos(app);
  const currency = pos?.currency ?? 'EUR';
  const locale = i18n.language;
  const mode = useStore(modeStore, (s) => s.mode);

  useEffect(() => {
    chargeStore.getState().setCurrency(currency);
  }, [currency]);

  // After a reload: the display may still show this counter's charge; the feed's history may
  // say how earlier charges ended.
  useEffect(() => {
    if (!pos) return;
    chargeStore.getState().noteEvents([...feedStore.getState().events].reverse());
    api.get<DisplayView>('/api/v1/display', { pointOfSaleId: pos.id }).then(
      (view) => chargeStore.getState().restore(view, modeStore.getState().mode),
      () => {},
    );
  }, [pos?.id]);

  // Keyboard-first, but a key belongs to the focused control (lib/keyboard.ts).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!pos) return;
      const action = chargeKeyAction(e, { dialogOpen: dialogOpen() });
      if (!action) return;
      if (action.kind === 'blur') {
        (e.target as HTMLElement).blur();
        return;
      }
      e.preventDefault();
      const s = chargeStore.getState();
      if (action.kind === 'enter') void s.enter(pos.id);
      else s.press(action.key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pos]);

  if (!pos) return <Spinner />;
  // Charges of this counter in this mode (charges from before live mode were test charges).
  const recent = charge.recent.filter((r) => r.pointOfSaleId === pos.id && (r.livemode ?? false) === (mode === 'live')).slice(0, RECENT_SHOWN);
  const entry = charge.phase === 'entry' || charge.phase === 'creating';

  return (
    <div className={`charge-layout ${entry ? 'is-entry' : 'is-live'}`}>
      <div className="charge-main">{entry ? <ChargeEntry currency={currency} locale={locale} posId={pos.id} /> : <ChargeLive locale={locale} posId={pos.id} />}</div>
      <RecentCharges charges={recent} locale={locale} currentId={charge.link?.id ?? null} label={t('charge.recent')} />
    </div>
  );
}

function ChargeEntry({ currency, locale, posId }: { currency: string; locale: string; posId: string }) {
  const can = useCan();
  const { t } = useTranslation();
  const charge = useStore(chargeStore);
  const merchant = useStore(appStore, (s) => s.merchant);
  const methods = useStore(appStore, (s) => s.methods);
  const amountText = formatMoney(digitsToDecimal(charge.digits, currencyExponent(currency)), currency, locale);
  const zero = digitsToMinor(charge.digits) === 0;
  // Bank QR: EUR counters only; offered (greyed, with the way to set it up) until it can be used.
  const bankBlock = bankQrBlock(currency, merchant, methods);
  // A Bank QR charge ends with staff confirming the transfer: not offered to who may not (a paired counter).
  const showBank = bankBlock !== 'currency' && can('payments.confirm');
  return (
    <div className="charge charge-entry-screen">
      <div className="charge-entry">
        <h1 className="charge-label">{t('charge.title')}</h1>
        <div className={`amount-display ${zero ? 'is-zero' : ''}`} data-testid="amount-display" aria-live="polite">
          {amountText}
        </div>
        <input
          className="reference-input"
          value={charge.reference}
          placeholder={t('charge.referencePlaceholder')}
          aria-label={t('charge.reference')}
          maxLength={140}
          data-charge-key="reference"
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
              data-charge-key="keypad"
              // A tap or click keeps the focus where it was: Enter on the keyboard still charges.
              onMouseDown={(e) => e.preventDefault()}
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
        {charge.error && (
          <div className="charge-error" role="alert">
            {charge.error === 'amount-required' ? t('charge.amountRequired') : charge.error}
          </div>
        )}
        <div className={`charge-actions ${showBank ? 'with-bank' : ''}`}>
          <Button size="xl" variant="ghost" onClick={() => chargeStore.getState().press('clear')} disabled={zero || charge.phase === 'creating'}>
            {t('charge.clear')}
          </Button>
          <Button size="xl" variant="primary" className="charge-submit" data-testid="charge-submit" disabled={zero || charge.phase === 'creating'} onClick={() => void chargeStore.getState().submit(posId)}>
            {charge.phase === 'creating' ? <Spinner /> : t('charge.submit', { amount: amountText })}
          </Button>
          {showBank && (
            <Button
              size="lg"
              variant="secondary"
              className="charge-bank"
              icon={<IconBank size={22} />}
              data-testid="charge-bank-qr"
              title={bankBlock ? t(`bankQr.${bankBlock === 'not-configured' ? 'notConfigured' : 'unavailable'}`) : t('bankQr.title')}
              disabled={zero || charge.phase === 'creating' || bankBlock !== null}
              onClick={() => void chargeStore.getState().submit(posId, 'sepa_transfer')}
            >
              {zero ? t('bankQr.action') : t('bankQr.actionLong', { amount: amountText })}
            </Button>
          )}
        </div>
        {showBank && bankBlock === 'not-configured' && can('shop.manage') && (
          <div className="bank-setup-hint" data-testid="bank-setup-hint">
            {t('bankQr.notConfigured')} · <AppLink to="/settings#bank-transfer">{t('bankQr.setup')}</AppLink>
          </div>
        )}
        <div className="kbd-hint">{t('charge.keyboardHint')}</div>
      </div>
    </div>
  );
}

function ChargeLive({ locale, posId }: { locale: string; posId: string }) {
  const { t } = useTranslation();
  const charge = useStore(chargeStore);
  const now = useNow();
  const [confirmNew, setConfirmNew] = useState(false);
  const [busy, setBusy] = useState(false);
  const newRef = useRef<HTMLButtonElement>(null);
  const [confirmReceived, setConfirmReceived] = useState(false);
  const link = charge.link!;
  const amount = formatMoney(link.amount, link.currency, locale);
  const left = link.expiresAt ? new Date(link.expiresAt).getTime() - now : null;
  const phase = charge.phase;
  const done = phase === 'paid' || phase === 'expired' || phase === 'cancelled';
  // Paid by bank transfer: the EPC QR is on the display, the money is on its way to the account.
  const transfer = phase === 'paying' && isTransferCharge(charge) ? charge.payment! : null;
  const bank = transfer?.bankTransfer ?? null;

  // Picked up after a reload, the payment may come without its transfer details: read them.
  const missingDetails = transfer !== null && !transfer.bankTransfer ? transfer.id : null;
  useEffect(() => {
    if (!missingDetails) return;
    let live = true;
    api.get<Payment>(`/api/v1/payments/${encodeURIComponent(missingDetails)}`).then(
      (p) => {
        const current = chargeStore.getState().payment;
        if (live && current?.id === p.id) chargeStore.setState({ payment: { ...current, ...p } });
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [missingDetails]);

  const received = async (): Promise<void> => {
    setBusy(true);
    const ok = await chargeStore.getState().confirmTransfer();
    setBusy(false);
    setConfirmReceived(false);
    if (ok) toast(t('bankQr.receivedToast', { amount }), 'success');
  };

  // Once it is over, "New charge" has the focus (Enter starts the next one), unless staff are
  // somewhere else already (a menu link: theirs).
  useEffect(() => {
    if (!done) return;
    const active = document.activeElement;
    if (!active || active === document.body || active.id === 'main' || active.closest('.charge-live')) newRef.current?.focus();
  }, [done]);

  const startNew = (): void => {
    if (done) chargeStore.getState().reset();
    else setConfirmNew(true);
  };

  const replace = async (): Promise<void> => {
    setBusy(true);
    const ok = await chargeStore.getState().replace();
    setBusy(false);
    setConfirmNew(false);
    if (!ok) newRef.current?.focus();
  };

  return (
    <div className={`charge charge-live phase-${phase} ${transfer ? 'is-transfer' : ''}`} data-testid="charge-live" data-phase={phase} data-method={transfer ? 'sepa_transfer' : 'link'}>
      <div className="charge-live-card">
        <h1 className="sr-only">{t('nav.charge')}</h1>
        <div className="phase-banner" role="status" aria-label={t('charge.status')} data-testid="charge-phase">
          {(phase === 'waiting' || phase === 'paying') && <span className="pulse" aria-hidden="true" />}
          {phase === 'paid' && <IconCheck size={40} strokeWidth={2.6} />}
          {(phase === 'expired' || phase === 'cancelled' || phase === 'failed') && <IconX size={36} strokeWidth={2.6} />}
          <span className="phase-text">{transfer ? t('bankQr.waiting') : t(`charge.phase.${phase}`)}</span>
        </div>
        <div className="charge-live-main">
          {transfer && (
            <div className="charge-qr">
              <EpcQr paymentId={transfer.id} label={t('bankQr.qrLabel')} errorLabel={t('bankQr.qrError')} size={240} />
            </div>
          )}
          {!transfer && (phase === 'waiting' || phase === 'paying' || phase === 'failed') && (
            <div className={`charge-qr ${phase === 'paying' ? 'dim' : ''}`}>
              <Qr text={link.url} label={t('charge.qrLabel')} size={240} />
            </div>
          )}
          {phase === 'paid' && (
            <div className="result-icon result-ok" aria-hidden="true">
              <IconCheck size={72} strokeWidth={2.4} />
            </div>
          )}
          {(phase === 'expired' || phase === 'cancelled') && (
            <div className="result-icon result-neutral" aria-hidden="true">
              <IconX size={64} strokeWidth={2.2} />
            </div>
          )}
          <div className="charge-live-text">
            <div className="charge-live-amount">{amount}</div>
            {link.livemode === false && (
              <div>
                <TestBadge livemode={link.livemode} />
              </div>
            )}
            {charge.notice && phase === 'waiting' && <div className="phase-note">{t(`charge.notice.${charge.notice}`)}</div>}
            {phase === 'failed' && <div className="phase-note">{t('charge.failedHint')}</div>}
            {phase === 'paid' && charge.payment && <div className="phase-note mono">{charge.payment.refId}</div>}
            {transfer && (
              <>
                <dl className="transfer-facts" data-testid="transfer-facts">
                  {bank && (
                    <div>
                      <dt>{t('bankQr.payee')}</dt>
                      <dd>
                        {bank.accountHolder}
                        <span className="mono muted small block">{formatIban(bank.iban)}</span>
                      </dd>
                    </div>
                  )}
                  {bank && (
                    <div>
                      <dt>{t('bankQr.reference')}</dt>
                      <dd className="mono">{formatReference(bank.creditorReference)}</dd>
                    </div>
                  )}
                </dl>
                <div className="phase-note">{t('bankQr.hint')}</div>
              </>
            )}
            {!done && !transfer && left !== null && (
              <div className="time-left">
                <IconClock size={18} /> {t('charge.timeLeft', { time: formatCountdown(left) })}
              </div>
            )}
            {link.reference && <div className="phase-note">{t('charge.referenceShort', { reference: link.reference })}</div>}
          </div>
        </div>
        {charge.error && (
          <div className="charge-error" role="alert">
            {charge.error}
          </div>
        )}
        <div className="charge-live-actions">
          {transfer && (
            <Button size="lg" variant="success" icon={<IconCheck />} onClick={() => setConfirmReceived(true)} data-testid="charge-received">
              {t('bankQr.received')}
            </Button>
          )}
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
          <Button ref={newRef} size="lg" variant={done ? 'primary' : 'secondary'} onClick={startNew} data-testid="charge-new" autoFocus={done}>
            {t('charge.new')}
          </Button>
        </div>
        {done && <div className="kbd-hint">{t('charge.enterForNew')}</div>}
      </div>
      <ConfirmDialog
        open={confirmNew}
        title={t('charge.replaceTitle')}
        body={t('charge.replaceBody', { amount })}
        confirmLabel={t('charge.replaceConfirm')}
        cancelLabel={t('charge.keep')}
        variant="danger"
        busy={busy}
        onClose={() => setConfirmNew(false)}
        onConfirm={() => void replace()}
        testId="charge-replace"
      />
      <ConfirmDialog
        open={confirmReceived}
        title={t('bankQr.receivedTitle', { amount })}
        body={t('bankQr.receivedBody')}
        confirmLabel={t('bankQr.receivedConfirm', { amount })}
        cancelLabel={t('common.back')}
        variant="success"
        busy={busy}
        onClose={() => setConfirmReceived(false)}
        onConfirm={() => void received()}
        testId="charge-received-dialog"
      />
    </div>
  );
}

const OUTCOME_TONE: Record<ChargeOutcome, string> = {
  waiting: 'blue',
  paying: 'blue',
  paid: 'green',
  failed: 'red',
  expired: 'amber',
  cancelled: 'gray',
};

/** This counter's last charges and how they ended, beside the keypad. */
function RecentCharges({ charges, locale, currentId, label }: { charges: RecentCharge[]; locale: string; currentId: string | null; label: string }) {
  const { t } = useTranslation();
  return (
    <section className="recent-charges" aria-labelledby="recent-charges-title" data-testid="recent-charges">
      <h2 id="recent-charges-title">{label}</h2>
      {charges.length === 0 ? (
        <p className="muted small">{t('charge.recentEmpty')}</p>
      ) : (
        <ol>
          {charges.map((c) => (
            <li key={c.linkId} className={`recent-charge outcome-${c.outcome} ${c.linkId === currentId ? 'is-current' : ''}`} data-link-id={c.linkId} data-outcome={c.outcome}>
              <AppLink to={`/links/${c.linkId}`} className="recent-main">
                <span className="recent-amount">
                  {formatMoney(c.amount, c.currency, locale)}
                  {c.method === 'sepa_transfer' && <span className="recent-tag">{t('bankQr.tag')}</span>}
                </span>
                <span className="recent-sub">
                  <time dateTime={c.createdAt}>{formatClock(c.createdAt, locale)}</time>
                  {c.reference && <span> · {c.reference}</span>}
                </span>
              </AppLink>
              <span className={`chip chip-${OUTCOME_TONE[c.outcome]}`}>{t(`charge.outcome.${c.outcome}`)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

