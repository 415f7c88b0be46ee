import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, connectivityStore, feedStore, isDevice, modeStore, sessionStore, switchMode, useCan } from '../services';
import type { Action } from '../api/types';
import { currentPos } from '../stores/app';
import { unlockAudio } from '../lib/beep';
import { setUiLanguage, UI_LANGUAGES, type UiLanguage } from '../i18n';
import { globalShortcut } from '../lib/keyboard';
import { navigate } from '../lib/router';
import { setThemeChoice, useTheme } from '../lib/theme';
import { AppLink } from './ui';
import { ShortcutsDialog } from './Shortcuts';
import { IconBank, IconReport, IconCharge, IconFeed, IconFlask, IconKeyboard, IconLink, IconLogout, IconMail, IconMoon, IconMute, IconPayments, IconSettings, IconSound, IconSun, IconWebhook } from './icons';

const NAV = [
  { to: '/', key: 'charge', icon: IconCharge, match: (p: string) => p === '/' || p.startsWith('/charge') },
  { to: '/links', key: 'links', icon: IconLink, match: (p: string) => p.startsWith('/links') },
  { to: '/payments', key: 'payments', icon: IconPayments, match: (p: string) => p.startsWith('/payments') },
  { to: '/reports', key: 'dayReport', icon: IconReport, match: (p: string) => p.startsWith('/reports') || p.startsWith('/receipts') },
  { to: '/bank', key: 'bank', icon: IconBank, match: (p: string) => p.startsWith('/bank') },
  { to: '/messages', key: 'messages', icon: IconMail, match: (p: string) => p.startsWith('/messages') },
  { to: '/feed', key: 'feed', icon: IconFeed, match: (p: string) => p.startsWith('/feed') },
  { to: '/settings', key: 'settings', icon: IconSettings, match: (p: string) => p.startsWith('/settings') },
] as const;

/** What a role must be allowed to see a screen in the navigation (the rest every staff role sees). */
const NAV_ACTION: Partial<Record<string, Action>> = { bank: 'bank.manage', dayReport: 'reports.read', messages: 'notifications.manage', settings: 'shop.manage', webhooks: 'shop.manage' };

/** A paired counter (a second till) offers only these; links, bank, messages, settings are the hub's. */
const DEVICE_NAV: ReadonlySet<string> = new Set(['charge', 'payments', 'feed']);

/** The screens Alt+1…6 reach, in this order (the Bank and Day report screens have no shortcut of their own). */
const SHORTCUT_NAV = NAV.filter((n) => n.key !== 'bank' && n.key !== 'dayReport');

/** For the shop's developers: below the main items on a desk screen; from Settings on a phone. */
const DEV_NAV = [{ to: '/webhooks', key: 'webhooks', icon: IconWebhook, match: (p: string) => p.startsWith('/webhooks') }] as const;

/** Whether a modal dialog is open (shortcuts wait until it is closed). */
export function dialogOpen(): boolean {
  return typeof document !== 'undefined' && document.querySelector('dialog[open]') !== null;
}

/**
 * Sidebar on a desk screen, a bottom tab bar on a small touch screen. Owns the app-wide
 * shortcuts (Alt+1…6 to the main screens, "/" to the search field, "?" for help) and moves
 * the focus to the page after a navigation, so the keyboard carries on where the eyes go.
 */
export function Shell({ path, children }: { path: string; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { theme } = useTheme();
  const [help, setHelp] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(true);
  const unread = useStore(feedStore, (s) => s.unread);
  const status = useStore(feedStore, (s) => s.status);
  const sound = useStore(feedStore, (s) => s.sound);
  const app = useStore(appStore);
  const method = useStore(sessionStore, (s) => s.method);
  const user = useStore(sessionStore, (s) => s.user);
  const can = useCan();
  const shown = (key: string): boolean => {
    if (isDevice && !DEVICE_NAV.has(key)) return false;
    const needs = NAV_ACTION[key];
    return needs === undefined || can(needs);
  };
  const mode = useStore(modeStore, (s) => s.mode);
  const test = mode === 'test';
  const pos = currentPos(app);
  const clean = path.split('?')[0]!;

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = globalShortcut(e, { dialogOpen: dialogOpen() });
      if (!action) return;
      if (action.kind === 'nav') {
        e.preventDefault();
        const target = SHORTCUT_NAV[action.index]!;
        if (shown(target.key)) navigate(target.to);
      } else if (action.kind === 'help') {
        e.preventDefault();
        setHelp(true);
      } else {
        const search = mainRef.current?.querySelector<HTMLInputElement>('input[type="search"]');
        if (!search) return;
        e.preventDefault();
        search.focus();
        search.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // After a navigation, the focus goes to the new page unless the page put it somewhere itself
  // (a form's first field): Enter on a menu link lands in the page, not back on the menu.
  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('.sidebar')) mainRef.current?.focus({ preventScroll: true });
  }, [clean]);

  return (
    <div className={`shell ${test ? 'mode-test' : 'mode-live'}`} data-mode={mode}>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        mainRef.current?.focus();
      }}>
        {t('nav.skip')}
      </a>
      <nav className="sidebar" aria-label={t('nav.label')}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Counterlink</span>
        </div>
        <div className="merchant-name" title={app.merchant?.merchantName}>
          {app.merchant?.merchantName}
        </div>
        <ModeSwitch />
        <ul className="nav-list">
          {NAV.filter((item) => shown(item.key)).map((item) => {
            const Icon = item.icon;
            const active = item.match(clean);
            return (
              <li key={item.key}>
                <AppLink to={item.to} className={`nav-item nav-item-${item.key} ${active ? 'active' : ''}`} aria-label={t(`nav.${item.key}`)}>
                  <Icon size={22} />
                  <span className="nav-text">{t(`nav.${item.key}`)}</span>
                  {item.key === 'feed' && unread > 0 && (
                    <span className="badge" data-testid="unread-badge">
                      {unread > 99 ? '99+' : unread}
                    </span>
                  )}
                </AppLink>
              </li>
            );
          })}
        </ul>
        {DEV_NAV.some((item) => shown(item.key)) && (
          <div className="nav-group" aria-hidden="true">
            {t('nav.developers')}
          </div>
        )}
        <ul className="nav-list nav-list-secondary">
          {DEV_NAV.filter((item) => shown(item.key)).map((item) => {
            const Icon = item.icon;
            return (
              <li key={item.key}>
                <AppLink to={item.to} className={`nav-item ${item.match(clean) ? 'active' : ''}`} aria-label={t(`nav.${item.key}`)}>
                  <Icon size={22} />
                  <span className="nav-text">{t(`nav.${item.key}`)}</span>
                </AppLink>
              </li>
            );
          })}
        </ul>
        <div className="sidebar-footer">
          {app.pointsOfSale.length > 1 ? (
            <label className="pos-select">
              <span>{t('nav.pointOfSale')}</span>
              <select value={pos?.id ?? ''} onChange={(e) => appStore.getState().selectPos(e.target.value)}>
                {app.pointsOfSale.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} · {p.currency}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            pos && <div className="pos-name">{pos.name}</div>
          )}
          {user && (
            <div className="signed-in-user" data-testid="signed-in-user">
              {user.name} · {t(`staff.roles.${user.role}`)}
            </div>
          )}
          <div className="footer-row footer-status">
            <span className={`live-dot live-${status}`} title={t(`stream.${status}`)} data-testid="stream-status" data-status={status}>
              {t(`stream.${status}`)}
            </span>
            <select className="lang-select" aria-label={t('settings.uiLanguage')} value={i18n.language} onChange={(e) => setUiLanguage(e.target.value as UiLanguage)}>
              {UI_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {l.toUpperCase()}
                </option>
              ))}
            </select>
          </div>
          <div className="footer-row footer-buttons">
            <button
              type="button"
              className="icon-btn"
              aria-pressed={sound}
              aria-label={sound ? t('feed.soundOn') : t('feed.soundOff')}
              title={sound ? t('feed.soundOn') : t('feed.soundOff')}
              onClick={() => {
                unlockAudio();
                feedStore.getState().setSound(!sound);
              }}
            >
              {sound ? <IconSound /> : <IconMute />}
            </button>
            <button
              type="button"
              className="icon-btn"
              aria-pressed={theme === 'dark'}
              aria-label={t('theme.useDark')}
              title={t('theme.useDark')}
              data-testid="theme-toggle"
              onClick={() => setThemeChoice(theme === 'dark' ? 'light' : 'dark')}
            >
              {theme === 'dark' ? <IconSun /> : <IconMoon />}
            </button>
            <button type="button" className="icon-btn" aria-label={t('shortcuts.open')} title={t('shortcuts.open')} onClick={() => setHelp(true)} data-testid="shortcuts-open">
              <IconKeyboard />
            </button>
            {method !== 'bearer' && method !== 'device' && (
              <button type="button" className="icon-btn" aria-label={t('nav.logout')} title={t('nav.logout')} onClick={() => void sessionStore.getState().logout()}>
                <IconLogout />
              </button>
            )}
          </div>
        </div>
      </nav>
      <div className="content-col">
        <UnreachableBand />
        {test && <TestBand />}
        <main className="content" id="main" ref={mainRef} tabIndex={-1}>
          {children}
        </main>
      </div>
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} screens={SHORTCUT_NAV.map((n) => ({ key: n.key, label: t(`nav.${n.key}`) }))} />
    </div>
  );
}

/** The live/test switch (Stripe-style): on means test mode, and the whole UI turns orange-marked. */
export function ModeSwitch({ className }: { className?: string }) {
  const { t } = useTranslation();
  const mode = useStore(modeStore, (s) => s.mode);
  const test = mode === 'test';
  return (
    <button
      type="button"
      role="switch"
      aria-checked={test}
      className={`mode-switch ${test ? 'is-test' : 'is-live'} ${className ?? ''}`}
      onClick={() => switchMode(test ? 'live' : 'test')}
      data-testid="mode-switch"
      title={test ? t('mode.nowTest') : t('mode.nowLive')}
    >
      <span className="mode-switch-track" aria-hidden="true">
        <span className="mode-switch-thumb" />
      </span>
      <span className="mode-switch-label">{t('mode.switchLabel')}</span>
    </button>
  );
}

/** How often the band asks whether the server is back. */
const RECONNECT_MS = 3_000;

/**
 * Across the top while the app server does not answer (it stopped, or this device left the shop
 * network): says so in the staff's language instead of "Failed to fetch", asks again every few
 * seconds by itself, and offers "Try again" at once. Any answer of the server clears it.
 */
function UnreachableBand() {
  const { t } = useTranslation();
  const reachable = useStore(connectivityStore, (s) => s.reachable);
  const [trying, setTrying] = useState(false);
  const probe = async (): Promise<void> => {
    setTrying(true);
    try {
      await api.fetch('/readyz'); // reaching the server at all is the answer, whatever its status
    } catch {
      // still away: the band stays
    } finally {
      setTrying(false);
    }
  };
  useEffect(() => {
    if (reachable) return;
    const timer = setInterval(() => void probe(), RECONNECT_MS);
    return () => clearInterval(timer);
  }, [reachable]);
  if (reachable) return null;
  return (
    <div className="unreachable-band" role="alert" data-testid="unreachable-band">
      <strong className="unreachable-band-title">{t('connectivity.title')}</strong>
      <span className="unreachable-band-body">
        {t('problems.server-unreachable')} {t('connectivity.retrying')}
      </span>
      <button type="button" className="unreachable-band-action" disabled={trying} onClick={() => void probe()} data-testid="unreachable-retry">
        {t('connectivity.retry')}
      </button>
    </div>
  );
}

/** Across the top of every screen while in test mode. */
function TestBand() {
  const { t } = useTranslation();
  return (
    <div className="test-band" role="note" data-testid="test-band">
      <IconFlask size={18} />
      <strong className="test-band-title">{t('mode.bandTitle')}</strong>
      <span className="test-band-body">{t('mode.bandBody')}</span>
      <button type="button" className="test-band-action" onClick={() => switchMode('live')} data-testid="test-band-live">
        {t('mode.toLive')}
      </button>
    </div>
  );
}
