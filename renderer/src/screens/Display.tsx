import { useEffect, useState, type ReactNode } from 'react';
import type { DisplayBankTransfer, PublicDisplayState, PublicLink } from '../api/types';
import { formatIban, formatReference } from '../lib/bank';
import { formatMoney } from '../lib/amount';
import { formatCountdown } from '../lib/format';
import { displayText, type DisplayKey } from '../i18n/display';
import { Qr } from '../components/Qr';
import { IconCheck, IconX } from '../components/icons';
import { getBridge } from '../bridge';
import { navigate } from '../lib/router';
import { DISPLAY_CREDENTIAL_KEY, forgetCredential, pairDevice, readCredential, saveCredential, type PairFailure, type PairedDevice } from '../lib/pairing';
import { openDisplayStream } from '../lib/display-stream';

const bridge = getBridge();

function base(): string {
  return bridge && location.protocol === 'file:' ? bridge.serverUrl.replace(/\/+$/, '') : '';
}

const storage = typeof localStorage !== 'undefined' ? localStorage : undefined;

/** The name a tablet pairs under (the hub's devices list shows it; the owner can tell them apart by point of sale). */
export const DISPLAY_DEVICE_NAME = 'Display tablet';

/** The tablet's language before the display knows the customer's: its own, if the display speaks it. */
function tabletLocale(): string {
  const lang = (typeof navigator !== 'undefined' ? navigator.language : 'en').slice(0, 2).toLowerCase();
  return ['en', 'de', 'fr', 'nl'].includes(lang) ? lang : 'en';
}

function failureText(locale: string, failure: PairFailure): string {
  switch (failure.reason) {
    case 'invalid':
      return displayText(locale, 'pairInvalid');
    case 'rate-limited':
      return displayText(locale, 'pairRateLimited', { seconds: String(failure.retryAfterSeconds) });
    case 'unreachable':
      return displayText(locale, 'pairUnreachable');
    default:
      return displayText(locale, 'pairFailed', { status: String(failure.status) });
  }
}

/** This tablet's pairing for this point of sale, if it has one. */
function credentialFor(posId: string): PairedDevice | undefined {
  const c = readCredential(storage, DISPLAY_CREDENTIAL_KEY);
  return c && c.pointOfSaleId === posId ? c : undefined;
}

type Phase = { kind: 'pairing' } | { kind: 'pair-error'; failure: PairFailure } | { kind: 'removed' } | { kind: 'live' };

/**
 * The customer-facing counter display of one point of sale, fed by /display/{pointOfSaleId}/events
 * (the current state first, then every change). Huge type and plain colours, to be read from 1.5 m.
 *
 * Public and read-only for any browser; a tablet that arrived by the hub's pairing QR
 * (`#pair=CODE`, taken off the address in App.tsx) pairs as a display and from then on reads
 * with its device token, so the hub lists it and can remove it.
 */
export function DisplayScreen({ posId, pairCode = null }: { posId: string; pairCode?: string | null }) {
  const [phase, setPhase] = useState<Phase>(pairCode ? { kind: 'pairing' } : { kind: 'live' });
  const [credential, setCredential] = useState<PairedDevice | undefined>(() => (pairCode ? undefined : credentialFor(posId)));
  const [state, setState] = useState<PublicDisplayState | null>(null);
  const [offset, setOffset] = useState(0);
  const [connected, setConnected] = useState(true);
  const [missing, setMissing] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    document.documentElement.classList.add('display-root');
    return () => document.documentElement.classList.remove('display-root');
  }, []);

  const paired = (device: PairedDevice): void => {
    saveCredential(storage, DISPLAY_CREDENTIAL_KEY, device);
    if (device.pointOfSaleId !== posId) {
      // The code was made for another point of sale: show that one's display.
      navigate(`/display/${encodeURIComponent(device.pointOfSaleId)}`, { replace: true });
      return;
    }
    setCredential(device);
    setPhase({ kind: 'live' });
  };

  useEffect(() => {
    if (!pairCode) return;
    let cancelled = false;
    void pairDevice(pairCode, DISPLAY_DEVICE_NAME, base()).then((result) => {
      if (cancelled) return;
      if (result.ok) paired(result);
      else setPhase({ kind: 'pair-error', failure: result });
    });
    return () => {
      cancelled = true;
    };
  }, [pairCode]);

  const apply = (s: PublicDisplayState): void => {
    setOffset(new Date(s.serverTime).getTime() - Date.now());
    setState(s);
    setMissing(false);
  };

  // A paired tablet: its token in the Authorization header; a 401 means the shop removed it.
  const token = phase.kind === 'live' ? credential?.token : undefined;
  useEffect(() => {
    if (!token) return;
    return openDisplayStream<PublicDisplayState>(`${base()}/display/${encodeURIComponent(posId)}/events`, token, {
      onState: (s) => {
        apply(s);
        setConnected(true);
      },
      onConnected: setConnected,
      onMissing: () => setMissing(true),
      onRevoked: () => {
        forgetCredential(storage, DISPLAY_CREDENTIAL_KEY);
        setCredential(undefined);
        setState(null);
        setPhase({ kind: 'removed' });
      },
    });
  }, [posId, token]);

  useEffect(() => {
    // Public: an unpaired browser reads the display as before (EventSource, no credential).
    if (phase.kind !== 'live' || credential) return;
    let closed = false;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = (): void => {
      source = new EventSource(`${base()}/display/${encodeURIComponent(posId)}/events`);
      source.onopen = () => setConnected(true);
      source.onmessage = (m) => {
        try {
          apply(JSON.parse(m.data as string) as PublicDisplayState);
          setConnected(true);
        } catch {
          // ignore a malformed message
        }
      };
      source.onerror = () => {
        setConnected(false);
        // EventSource retries by itself after a dropped connection; once it gives up (the
        // server answered with an error, e.g. while restarting) we start over.
        if (source?.readyState === EventSource.CLOSED && !closed) {
          retry = setTimeout(() => {
            fetch(`${base()}/display/${encodeURIComponent(posId)}/state`)
              .then((r) => {
                if (r.status === 404) setMissing(true);
                return r.ok ? (r.json() as Promise<PublicDisplayState>) : undefined;
              })
              .then((s) => s && apply(s))
              .catch(() => {})
              .finally(() => !closed && connect());
          }, 2000);
        }
      };
    };
    connect();
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [posId, phase.kind, credential]);

  // Screen readers and hyphenation: the page speaks the customer's language.
  useEffect(() => {
    if (state?.locale) document.documentElement.lang = state.locale;
  }, [state?.locale]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);

  if (phase.kind !== 'live') {
    const locale = tabletLocale();
    if (phase.kind === 'pairing')
      return (
        <main className="display display-idle" data-mode="pairing" aria-busy="true">
          <div className="display-center">
            <div className="paying-spinner" aria-hidden="true" />
            <div className="display-welcome">{displayText(locale, 'pairing')}</div>
          </div>
        </main>
      );
    const title = phase.kind === 'removed' ? displayText(locale, 'removed') : displayText(locale, 'pairFailedTitle');
    const detail = phase.kind === 'removed' ? displayText(locale, 'removedHint') : failureText(locale, phase.failure);
    return (
      <main className="display display-idle display-pair" data-mode={phase.kind}>
        <div className="display-center">
          <h1 className="display-pair-title" data-testid="display-pair-title">
            {title}
          </h1>
          <p className="display-pair-detail" data-testid="display-pair-detail" role={phase.kind === 'pair-error' ? 'alert' : undefined}>
            {detail}
          </p>
          <PairForm locale={locale} onPaired={paired} />
        </div>
      </main>
    );
  }

  if (missing)
    return (
      <main className="display display-idle">
        <div className="display-center">
          <h1 className="display-merchant">{displayText('en', 'notFound')}</h1>
        </div>
      </main>
    );
  if (!state) return <main className="display display-loading" aria-busy="true" />;

  const locale = state.locale;
  const tx = (key: DisplayKey, vars?: Record<string, string>) => displayText(locale, key, vars);
  const money = (amount: string | null, currency: string) => formatMoney(amount, currency, locale);
  const status = !connected && <div className="display-offline">{tx('reconnecting')}</div>;

  if (state.mode === 'result' && state.result) {
    const ok = state.result.status === 'succeeded' || state.result.status === 'partially_refunded' || state.result.status === 'refunded';
    const failed = state.result.status === 'failed';
    return (
      <main className={`display display-result ${ok ? 'result-paid' : failed ? 'result-failed' : 'result-cancelled'}`} data-mode="result" data-result={state.result.status}>
        <div className="display-center">
          <div className="result-badge">{ok ? <IconCheck size={160} strokeWidth={2.6} /> : <IconX size={150} strokeWidth={2.6} />}</div>
          <h1 className="result-title">{tx(ok ? 'paid' : failed ? 'failed' : 'cancelled')}</h1>
          <div className="result-amount">{money(state.result.amount, state.result.currency)}</div>
          <div className="result-sub">{ok ? tx('thanks') : failed ? tx('failedHint') : ''}</div>
        </div>
        {status}
      </main>
    );
  }

  const testMark = state.livemode === false || (state.link as (PublicLink & { livemode?: boolean }) | null)?.livemode === false ? <div className="display-test" data-testid="display-test">TEST</div> : null;

  // A charge paid by bank transfer: the EPC QR itself, for the customer's banking app.
  if ((state.mode === 'link' || state.mode === 'paying') && state.bankTransfer) {
    return <DisplayBankTransferView merchantName={state.merchantName} bank={state.bankTransfer} tx={tx} money={money} status={status} testMark={testMark} />;
  }

  if ((state.mode === 'link' || state.mode === 'paying') && state.link) {
    const link = state.link;
    const left = link.expiresAt ? new Date(link.expiresAt).getTime() - (now + offset) : null;
    if (state.mode === 'paying') {
      return (
        <main className="display display-paying" data-mode="paying">
          <h1 className="display-merchant-bar">{state.merchantName}</h1>
          <div className="display-center">
            <div className="paying-spinner" aria-hidden="true" />
            <div className="paying-title">{tx('paying')}</div>
            <div className="paying-amount">{money(link.amount, link.currency)}</div>
            <div className="paying-sub">{tx('payingHint')}</div>
          </div>
          {status}
        </main>
      );
    }
    return (
      <main className="display display-link" data-mode="link">
        <h1 className="display-merchant-bar">{state.merchantName}</h1>
        <div className="display-split">
          <div className="display-qr-card" data-testid="display-qr">
            <Qr text={link.url} label={tx('scanToPay')} className="display-qr" />
          </div>
          <div className="display-info">
            <div className="display-amount" data-testid="display-amount">
              {link.amount ? money(link.amount, link.currency) : tx('anyAmount')}
            </div>
            {(link.reference || link.description) && <div className="display-desc">{link.reference ?? link.description}</div>}
            <div className="display-scan">{tx('scanToPay')}</div>
            <div className="display-hint">{tx('scanHint')}</div>
            {left !== null && left > 0 && <div className="display-time">{tx('timeLeft', { time: formatCountdown(left) })}</div>}
          </div>
        </div>
        {testMark}
        {status}
      </main>
    );
  }

  return <DisplayIdle state={state} idle={state.idleLink} status={status} tx={tx} money={money} />;
}

function DisplayIdle({
  state,
  idle,
  status,
  tx,
  money,
}: {
  state: PublicDisplayState;
  idle: PublicLink | null;
  status: ReactNode;
  tx: (key: DisplayKey, vars?: Record<string, string>) => string;
  money: (amount: string | null, currency: string) => string;
}) {
  if (!idle) {
    return (
      <main className="display display-idle" data-mode="idle">
        <div className="display-center">
          <div className="display-welcome">{tx('welcome')}</div>
          <h1 className="display-merchant" data-testid="display-merchant">{state.merchantName}</h1>
        </div>
        {status}
      </main>
    );
  }
  return (
    <main className="display display-idle display-idle-link" data-mode="idle">
      <h1 className="display-merchant-bar">{state.merchantName}</h1>
      <div className="display-split">
        <div className="display-qr-card" data-testid="display-qr">
          <Qr text={idle.url} label={tx('scanToPay')} className="display-qr" />
        </div>
        <div className="display-info">
          <div className="display-scan">{tx('scanToPay')}</div>
          <div className="display-idle-name">{idle.name}</div>
          <div className="display-amount display-amount-sm">{idle.amount ? money(idle.amount, idle.currency) : tx('anyAmount')}</div>
          <div className="display-hint">{tx('scanHint')}</div>
        </div>
      </div>
      {status}
    </main>
  );
}

/** Relative public URLs (the EPC QR) resolve against the app server, also under file://. */
function publicUrl(url: string): string {
  return /^https?:/i.test(url) ? url : `${base()}${url.startsWith('/') ? '' : '/'}${url}`;
}

function DisplayBankTransferView({
  merchantName,
  bank,
  tx,
  money,
  status,
  testMark,
}: {
  merchantName: string;
  bank: DisplayBankTransfer;
  tx: (key: DisplayKey, vars?: Record<string, string>) => string;
  money: (amount: string | null, currency: string) => string;
  status: ReactNode;
  testMark: ReactNode;
}) {
  const [failed, setFailed] = useState(false);
  return (
    <main className="display display-link display-bank" data-mode="bank_transfer">
      <h1 className="display-merchant-bar">{merchantName}</h1>
      <div className="display-split">
        <div className="display-qr-card" data-testid="display-epc-qr">
          {!failed && <img className="display-qr display-epc-img" src={publicUrl(bank.epcQrUrl)} alt={tx('bankScan')} draggable={false} onError={() => setFailed(true)} />}
        </div>
        <div className="display-info">
          <div className="display-amount" data-testid="display-amount">
            {money(bank.amount, bank.currency)}
          </div>
          <div className="display-scan">{tx('bankScan')}</div>
          <div className="display-hint">{tx('bankHint')}</div>
          <dl className="display-bank-facts" data-testid="display-bank-facts">
            <div>
              <dt>{tx('bankPayee')}</dt>
              <dd>{bank.accountHolder}</dd>
            </div>
            <div>
              <dt>{tx('bankIban')}</dt>
              <dd className="mono">{formatIban(bank.iban)}</dd>
            </div>
            <div>
              <dt>{tx('bankReference')}</dt>
              <dd className="mono">{formatReference(bank.creditorReference)}</dd>
            </div>
          </dl>
        </div>
      </div>
      {testMark}
      {status}
    </main>
  );
}

/** Pair again by typing the code the hub shows (the QR is the quick way; this is the fallback). */
function PairForm({ locale, onPaired }: { locale: string; onPaired: (device: PairedDevice) => void }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<PairFailure | null>(null);
  return (
    <form
      className="display-pair-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!code.trim() || busy) return;
        setBusy(true);
        setFailure(null);
        void pairDevice(code, DISPLAY_DEVICE_NAME, base()).then((result) => {
          setBusy(false);
          if (result.ok) onPaired(result);
          else setFailure(result);
        });
      }}
    >
      <label>
        <span>{displayText(locale, 'pairCode')}</span>
        <input
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={20}
          inputMode="text"
          data-testid="display-pair-code"
        />
      </label>
      <button type="submit" disabled={busy || !code.trim()}>
        {displayText(locale, 'pairButton')}
      </button>
      {failure && (
        <p className="display-pair-error" role="alert">
          {failureText(locale, failure)}
        </p>
      )}
    </form>
  );
}
