import './i18n';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { appStore, bridge, feedStore, isDevice, isPairedBrowser, modeStore, sessionStore, useCan } from './services';
import { COUNTER_CREDENTIAL_KEY, DISPLAY_CREDENTIAL_KEY, forgetCredential, pairDevice, saveCredential, type PairFailure, type PairedDevice } from './lib/pairing';
import { matchPath, navigate } from './lib/router';
import { Shell } from './components/Shell';
import { Button, ErrorBox, Field, Spinner, Toaster } from './components/ui';
import { BankScreen } from './screens/Bank';
import { DayReportScreen } from './screens/DayReport';
import { VerifyReceiptScreen } from './screens/VerifyReceipt';
import { ChargeScreen } from './screens/Charge';
import { FeedScreen } from './screens/Feed';
import { LinkDetailScreen } from './screens/LinkDetail';
import { LinkFormScreen } from './screens/LinkForm';
import { LinksScreen } from './screens/Links';
import { LoginScreen } from './screens/Login';
import { MessageDetailScreen } from './screens/MessageDetail';
import { MessagesScreen } from './screens/Messages';
import { PaymentDetailScreen, PaymentsScreen } from './screens/Payments';
import { PrintPosterScreen } from './screens/PrintPoster';
import { SettingsScreen } from './screens/Settings';
import { StaffDevicesScreen } from './screens/StaffDevices';
import { WebhookDetailScreen } from './screens/WebhookDetail';
import { WebhookFormScreen } from './screens/WebhookForm';
import { WebhooksScreen } from './screens/Webhooks';

/**
 * Everything behind the login: its own chunk (App.tsx loads it on demand), so the counter
 * display — a cheap tablet showing a QR code — never downloads the staff screens.
 */
export default function StaffRoot({ path, pairCode = null }: { path: string; pairCode?: string | null }) {
  // Arrived by a till's pairing QR (`/#pair=CODE`): pair first (the desktop app pairs its own way).
  if (pairCode && !(bridge && !isPairedBrowser)) return <TillPairing code={pairCode} />;
  return (
    <>
      <StaffApp path={path} />
      <Toaster />
    </>
  );
}

function StaffApp({ path }: { path: string }) {
  const status = useStore(sessionStore, (s) => s.status);
  const loaded = useStore(appStore, (s) => s.loaded);
  const loadError = useStore(appStore, (s) => s.error);
  const mode = useStore(modeStore, (s) => s.mode);

  useEffect(() => {
    void sessionStore.getState().check();
  }, []);

  useEffect(() => {
    if (status !== 'authenticated') {
      feedStore.getState().stop();
      return;
    }
    void appStore.getState().load();
    void feedStore.getState().start();
    if (path.startsWith('/login')) navigate('/', { replace: true });
  }, [status]);

  if (status === 'loading') return <FullPageSpinner />;
  if (status === 'anonymous') return isDevice ? <DeviceSignedOut /> : <LoginScreen />;
  if (!loaded) return <FullPageSpinner />;
  if (loadError && !appStore.getState().merchant) return <ErrorBox messages={[loadError]} />;

  const poster = matchPath('/print/links/:id', path);
  if (poster) return <PrintPosterScreen id={poster.id!} />;
  return (
    <Shell path={path}>
      {/* Keyed by mode: switching live <-> test mounts every screen afresh, so each reads its data again. */}
      <Routes key={mode} path={path} />
    </Shell>
  );
}

function Routes({ path }: { path: string }) {
  const { t } = useTranslation();
  const can = useCan();
  let m: Record<string, string> | null;
  // A screen the role may not use is not offered (Shell); typed in by hand, it says so.
  const refused = (needs: Parameters<typeof can>[0]) => !can(needs) && <ErrorBox messages={[t('staff.notAllowed')]} />;
  // A paired counter: its charge screen, its payments and its feed; the rest is done on the hub.
  if (isDevice && !DEVICE_PATHS.some((p) => matchPath(p, path))) return <ErrorBox messages={[t('staff.deviceNotAllowed')]} />;
  if (matchPath('/', path) || matchPath('/charge', path) || matchPath('/login', path)) return <ChargeScreen />;
  if (matchPath('/links', path)) return <LinksScreen />;
  if (matchPath('/links/new', path)) return refused('links.manage') || <LinkFormScreen />;
  if ((m = matchPath('/links/:id/edit', path))) return refused('links.manage') || <LinkFormScreen key={m.id} id={m.id!} />;
  if ((m = matchPath('/links/:id', path))) return <LinkDetailScreen key={m.id} id={m.id!} />;
  if (matchPath('/payments', path)) return <PaymentsScreen />;
  if ((m = matchPath('/payments/:id', path))) return <PaymentDetailScreen key={m.id} id={m.id!} />;
  if (matchPath('/bank', path)) return refused('bank.manage') || <BankScreen />;
  if (matchPath('/reports', path)) return refused('reports.read') || <DayReportScreen />;
  if (matchPath('/receipts/verify', path)) return refused('payments.read') || <VerifyReceiptScreen />;
  if (matchPath('/messages', path)) return refused('notifications.manage') || <MessagesScreen />;
  if ((m = matchPath('/messages/:id', path))) return <MessageDetailScreen key={m.id} id={m.id!} />;
  if (matchPath('/webhooks', path)) return refused('shop.manage') || <WebhooksScreen />;
  if (matchPath('/webhooks/new', path)) return <WebhookFormScreen />;
  if ((m = matchPath('/webhooks/:id/edit', path))) return <WebhookFormScreen key={m.id} id={m.id!} />;
  if ((m = matchPath('/webhooks/:id', path))) return <WebhookDetailScreen key={m.id} id={m.id!} />;
  if (matchPath('/feed', path)) return <FeedScreen />;
  if (matchPath('/settings', path)) return refused('shop.manage') || <SettingsScreen />;
  if (matchPath('/settings/staff', path)) return refused('shop.manage') || <StaffDevicesScreen />;
  return <ErrorBox messages={[t('common.notFound')]} />;
}

/** The screens a paired counter offers (Shell shows only these). */
const DEVICE_PATHS = ['/', '/charge', '/login', '/payments', '/payments/:id', '/feed'];

function DeviceSignedOut() {
  const { t } = useTranslation();
  return (
    <div className="full-center">
      <div className="till-pairing" data-testid="till-signed-out">
        <ErrorBox messages={[t('staff.deviceSignedOut')]} />
        {isPairedBrowser && <PairTillForm />}
      </div>
    </div>
  );
}

const storage = typeof localStorage !== 'undefined' ? localStorage : undefined;

/**
 * Paired: keep the token and start over, so the services pick it up as the UI's credential and
 * the till lands on Charge for its point of sale. A display's code (opened at `/` by mistake)
 * makes this browser that display.
 */
function usePaired(): (device: PairedDevice) => void {
  return (device) => {
    if (device.role === 'display') {
      saveCredential(storage, DISPLAY_CREDENTIAL_KEY, device);
      location.replace(`/display/${encodeURIComponent(device.pointOfSaleId)}`);
      return;
    }
    saveCredential(storage, COUNTER_CREDENTIAL_KEY, device);
    location.replace('/');
  };
}

function useFailureText(): (failure: PairFailure) => string {
  const { t } = useTranslation();
  return (failure) =>
    failure.reason === 'invalid'
      ? t('staff.tillPairInvalid')
      : failure.reason === 'rate-limited'
        ? t('staff.tillPairRateLimited', { seconds: failure.retryAfterSeconds })
        : failure.reason === 'unreachable'
          ? t('staff.tillPairUnreachable')
          : t('staff.tillPairFailed', { status: failure.status });
}

/** `/#pair=CODE`: this browser becomes a till of the hub (a counter device), or says why not. */
function TillPairing({ code }: { code: string }) {
  const { t } = useTranslation();
  const paired = usePaired();
  const failureText = useFailureText();
  const [failure, setFailure] = useState<PairFailure | null>(null);
  useEffect(() => {
    let cancelled = false;
    void pairDevice(code, t('staff.tillDeviceName')).then((result) => {
      if (cancelled) return;
      if (result.ok) paired(result);
      else setFailure(result);
    });
    return () => {
      cancelled = true;
    };
  }, [code]);
  if (!failure)
    return (
      <div className="full-center" aria-busy="true" data-testid="till-pairing">
        <Spinner />
        <p>{t('staff.tillPairing')}</p>
      </div>
    );
  return (
    <div className="full-center">
      <div className="till-pairing" data-testid="till-pair-failed">
        <h1>{t('staff.tillPairFailedTitle')}</h1>
        <ErrorBox messages={[failureText(failure)]} />
        <PairTillForm />
      </div>
    </div>
  );
}

/** Pair again by typing the hub's code, or give up the pairing and sign in with a PIN. */
function PairTillForm() {
  const { t } = useTranslation();
  const paired = usePaired();
  const failureText = useFailureText();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<PairFailure | null>(null);
  return (
    <form
      className="till-pair-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!code.trim() || busy) return;
        setBusy(true);
        setFailure(null);
        void pairDevice(code, t('staff.tillDeviceName')).then((result) => {
          setBusy(false);
          if (result.ok) paired(result);
          else setFailure(result);
        });
      }}
    >
      <p>{t('staff.tillPairAgainHint')}</p>
      <Field label={t('staff.tillPairCode')} errors={failure ? [failureText(failure)] : undefined} name="code">
        {(props) => <input {...props} className="input mono" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={20} />}
      </Field>
      <div className="till-pair-actions">
        <Button type="submit" variant="primary" disabled={busy || !code.trim()}>
          {t('staff.tillPairButton')}
        </Button>
        <Button
          variant="ghost"
          onClick={() => {
            forgetCredential(storage, COUNTER_CREDENTIAL_KEY);
            location.replace('/');
          }}
        >
          {t('staff.tillSignInInstead')}
        </Button>
      </div>
    </form>
  );
}

function FullPageSpinner() {
  return (
    <div className="full-center">
      <Spinner />
    </div>
  );
}
