import './i18n';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { appStore, feedStore, isDevice, modeStore, sessionStore, useCan } from './services';
import { matchPath, navigate } from './lib/router';
import { Shell } from './components/Shell';
import { ErrorBox, Spinner, Toaster } from './components/ui';
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
export default function StaffRoot({ path }: { path: string }) {
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
      <ErrorBox messages={[t('staff.deviceSignedOut')]} />
    </div>
  );
}

function FullPageSpinner() {
  return (
    <div className="full-center">
      <Spinner />
    </div>
  );
}
