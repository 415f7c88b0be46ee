import type { SettingsService, SettingsSection } from '../settings';
import type { Store, Tx } from '../store/port';
import type { Checker } from '../validate';
import { exponentOf, formatAmount, parseAmount, type Minor } from '../money';
import { isCurrency } from '../currencies';
import { ValidationError } from '../errors';
import { normaliseEmail, parseMailbox } from './addresses';

/**
 * Messaging configuration: the `email`, `sms` and `billing` settings sections, and the
 * environment overrides for headless use (COUNTERLINK_SMTP_URL, COUNTERLINK_MAIL_FROM,
 * COUNTERLINK_SMS_URL, COUNTERLINK_SMS_AUTH). Secrets (the SMTP password, the gateway's
 * Authorization value) are write-only: `read()` says only whether one is set.
 */

export interface MessagingEnv {
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  smsUrl?: string | undefined;
  smsAuth?: string | undefined;
}

export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;
/** starttls: plain connect, then STARTTLS required (587); tls: TLS from the start (465); none: no TLS (a LAN relay). */
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

export interface EmailSettings {
  host: string | null;
  port: number | null;
  security: SmtpSecurity;
  user: string | null;
  password: string | null;
  from: string | null;
}

export interface SmsSettings {
  gatewayUrl: string | null;
  auth: string | null;
  sender: string | null;
  /** Public base URL the gateway can reach for delivery reports; default: the app's base URL. */
  callbackBaseUrl: string | null;
}

export interface BillingSettings {
  emailPrice: Minor;
  smsPrice: Minor;
  currency: string;
}

/** What the SMTP transport needs. `security: 'auto'` (an smtp:// URL) uses STARTTLS when the server offers it. */
export interface SmtpConfig {
  host: string;
  port: number;
  security: SmtpSecurity | 'auto';
  user: string | null;
  password: string | null;
  from: string | null;
}

export interface SmsGatewayConfig {
  url: string;
  auth: string | null;
  sender: string | null;
  /** Base of the delivery-report URL: the sms.callbackBaseUrl setting, else the app's base URL. */
  callbackBaseUrl: string;
}

const EMAIL_DEFAULTS: EmailSettings = { host: null, port: null, security: 'starttls', user: null, password: null, from: null };
const SMS_DEFAULTS: SmsSettings = { gatewayUrl: null, auth: null, sender: null, callbackBaseUrl: null };

/** smtp://user:pass@host:port or smtps://… -> SMTP config. Throws with a message that never repeats the password. */
export function parseSmtpUrl(text: string): Omit<SmtpConfig, 'from'> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('COUNTERLINK_SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('COUNTERLINK_SMTP_URL must start with smtp:// or smtps://');
  if (!url.hostname) throw new Error('COUNTERLINK_SMTP_URL has no host');
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    security: secure ? 'tls' : 'auto',
    user: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : null,
  };
}

/** An http(s) URL without credentials in it (they belong in the Authorization value). */
export function checkGatewayUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not contain credentials: put them in the Authorization value';
  return undefined;
}

/** A price may be zero; otherwise the usual money rules in the billing currency. */
export function parsePrice(value: unknown, currency: string, path: string): Minor {
  if (value === 0 || (typeof value === 'string' && /^0+(\.0+)?$/.test(value.trim()))) {
    const decimals = typeof value === 'string' ? (value.split('.')[1]?.length ?? 0) : 0;
    if (decimals > exponentOf(currency)) throw ValidationError.field(path, `${currency} allows at most ${exponentOf(currency)} decimals`);
    return 0;
  }
  return parseAmount(value, currency, path);
}

function optionalString(c: Checker, value: unknown, path: string, max: number): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') return c.fail(path, 'must be a string or null');
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (trimmed.length > max) return c.fail(path, `must be at most ${max} characters`);
  if (/[\r\n\0]/.test(trimmed)) return c.fail(path, 'must be one line');
  return trimmed;
}

/**
 * The getters read in the caller's transaction when given one (`config.email(t)`), else in a
 * read of their own (`await config.email()`): never call them without `t` inside a transaction.
 */
export class MessagingConfig {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly env: MessagingEnv,
    private readonly defaultCallbackBase: () => string,
  ) {
    // Fail at start, not at the first send, on a malformed override.
    if (env.smtpUrl) parseSmtpUrl(env.smtpUrl);
    if (env.smsUrl) {
      const problem = checkGatewayUrl(env.smsUrl);
      if (problem) throw new Error(`COUNTERLINK_SMS_URL ${problem}`);
    }
    if (env.mailFrom && !parseMailbox(env.mailFrom)) throw new Error('COUNTERLINK_MAIL_FROM must be an email address, optionally as "Name <address>"');
  }

  /** Runs `fn` in the caller's transaction, or in a read of its own. */
  private in<T>(t: Tx | undefined, fn: (t: Tx) => Promise<T>): Promise<T> {
    return t ? fn(t) : this.store.read(fn);
  }

  email(t?: Tx): Promise<EmailSettings> {
    return this.in(t, async (t) => ({ ...EMAIL_DEFAULTS, ...(await this.settings.stored<Partial<EmailSettings>>(t, 'email')) }));
  }

  sms(t?: Tx): Promise<SmsSettings> {
    return this.in(t, async (t) => ({ ...SMS_DEFAULTS, ...(await this.settings.stored<Partial<SmsSettings>>(t, 'sms')) }));
  }

  billing(t?: Tx): Promise<BillingSettings> {
    return this.in(t, async (t) => {
      const stored = await this.settings.stored<Partial<BillingSettings>>(t, 'billing');
      const currency = stored?.currency ?? (await this.settings.merchant(t)).defaultCurrency;
      return { emailPrice: stored?.emailPrice ?? 0, smsPrice: stored?.smsPrice ?? 0, currency };
    });
  }

  /** The SMTP server to use now, or null: messages then go to the local outbox folder. */
  smtp(t?: Tx): Promise<SmtpConfig | null> {
    return this.in(t, async (t) => this.smtpOf(await this.email(t)));
  }

  private smtpOf(s: EmailSettings): SmtpConfig | null {
    if (this.env.smtpUrl) return { ...parseSmtpUrl(this.env.smtpUrl), from: this.env.mailFrom ?? s.from };
    if (!s.host) return null;
    const port = s.port ?? (s.security === 'tls' ? 465 : s.security === 'none' ? 25 : 587);
    return { host: s.host, port, security: s.security, user: s.user, password: s.password, from: this.env.mailFrom ?? s.from };
  }

  /** The From address for every email (local outbox too). */
  mailFrom(t?: Tx): Promise<string | null> {
    return this.in(t, async (t) => {
      const s = await this.email(t);
      const smtp = this.smtpOf(s);
      // Many providers only accept mail from the account's own address: use the login when it is one.
      const login = smtp?.user && normaliseEmail(smtp.user) ? smtp.user : null;
      return smtp?.from ?? this.env.mailFrom ?? s.from ?? login;
    });
  }

  /** The SMS gateway to use now, or null: messages then go to the local outbox folder. */
  smsGateway(t?: Tx): Promise<SmsGatewayConfig | null> {
    return this.in(t, async (t) => this.gatewayOf(await this.sms(t)));
  }

  private gatewayOf(s: SmsSettings): SmsGatewayConfig | null {
    const url = this.env.smsUrl ?? s.gatewayUrl;
    if (!url) return null;
    return { url, auth: this.env.smsAuth ?? s.auth, sender: s.sender, callbackBaseUrl: s.callbackBaseUrl ?? this.defaultCallbackBase() };
  }

  /** The three settings sections, for SettingsService.register. */
  sections(): SettingsSection[] {
    return [this.emailSection(), this.smsSection(), this.billingSection()];
  }

  private emailSection(): SettingsSection {
    return {
      key: 'email',
      read: async (t) => {
        const s = await this.email(t);
        return {
          host: s.host,
          port: s.port,
          security: s.security,
          user: s.user,
          passwordSet: s.password !== null,
          from: s.from,
          transport: this.smtpOf(s) ? 'smtp' : 'local-outbox',
          overriddenByEnvironment: Boolean(this.env.smtpUrl || this.env.mailFrom),
        };
      },
      update: async (t, patch, c) => {
        if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
          c.fail('email', 'must be an object');
          return;
        }
        const p = patch as Record<string, unknown>;
        const next = await this.email(t);
        const before = c.errors.length;
        for (const key of Object.keys(p)) {
          if (!['host', 'port', 'security', 'user', 'password', 'from'].includes(key)) c.fail(`email.${key}`, 'is not a known field');
        }
        const host = optionalString(c, p.host, 'email.host', 253);
        if (host !== undefined) {
          if (host !== null && !/^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/.test(host)) c.fail('email.host', 'must be a host name or IP address');
          else next.host = host;
        }
        if (p.port !== undefined) {
          if (p.port === null) next.port = null;
          else next.port = c.integer(p.port, 'email.port', { min: 1, max: 65535 }) ?? next.port;
        }
        if (p.security !== undefined) {
          if (SMTP_SECURITY.includes(p.security as SmtpSecurity)) next.security = p.security as SmtpSecurity;
          else c.fail('email.security', `must be one of ${SMTP_SECURITY.join(', ')}`);
        }
        const user = optionalString(c, p.user, 'email.user', 254);
        if (user !== undefined) next.user = user;
        if (p.password !== undefined) {
          // Never echo the value back in a message.
          if (p.password === null || p.password === '') next.password = null;
          else if (typeof p.password !== 'string' || p.password.length > 1024 || /[\r\n\0]/.test(p.password)) c.fail('email.password', 'must be a string of at most 1024 characters on one line');
          else next.password = p.password;
        }
        const from = optionalString(c, p.from, 'email.from', 320);
        if (from !== undefined) {
          if (from !== null && !parseMailbox(from)) c.fail('email.from', 'must be an email address, optionally as "Name <address>"');
          else next.from = from;
        }
        if (c.errors.length === before) await this.settings.save(t, 'email', next);
      },
    };
  }

  private smsSection(): SettingsSection {
    return {
      key: 'sms',
      read: async (t) => {
        const s = await this.sms(t);
        return {
          gatewayUrl: s.gatewayUrl,
          authSet: s.auth !== null,
          sender: s.sender,
          callbackBaseUrl: s.callbackBaseUrl,
          transport: this.gatewayOf(s) ? 'sms-gateway' : 'local-outbox',
          overriddenByEnvironment: Boolean(this.env.smsUrl || this.env.smsAuth),
        };
      },
      update: async (t, patch, c) => {
        if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
          c.fail('sms', 'must be an object');
          return;
        }
        const p = patch as Record<string, unknown>;
        const next = await this.sms(t);
        const before = c.errors.length;
        for (const key of Object.keys(p)) {
          if (!['gatewayUrl', 'auth', 'sender', 'callbackBaseUrl'].includes(key)) c.fail(`sms.${key}`, 'is not a known field');
        }
        const gatewayUrl = optionalString(c, p.gatewayUrl, 'sms.gatewayUrl', 2000);
        if (gatewayUrl !== undefined) {
          const problem = gatewayUrl === null ? undefined : checkGatewayUrl(gatewayUrl);
          if (problem) c.fail('sms.gatewayUrl', problem);
          else next.gatewayUrl = gatewayUrl;
        }
        if (p.auth !== undefined) {
          if (p.auth === null || p.auth === '') next.auth = null;
          else if (typeof p.auth !== 'string' || p.auth.length > 4096 || /[\r\n\0]/.test(p.auth)) c.fail('sms.auth', 'must be a string of at most 4096 characters on one line');
          else next.auth = p.auth;
        }
        const sender = optionalString(c, p.sender, 'sms.sender', 20);
        if (sender !== undefined) {
          if (sender !== null && !/^\+?[0-9]{3,15}$/.test(sender) && !/^[A-Za-z0-9 .&-]{1,11}$/.test(sender)) {
            c.fail('sms.sender', 'must be a phone number or 1-11 letters, digits, spaces, dots, & or -');
          } else next.sender = sender;
        }
        const callbackBaseUrl = optionalString(c, p.callbackBaseUrl, 'sms.callbackBaseUrl', 500);
        if (callbackBaseUrl !== undefined) {
          const problem = callbackBaseUrl === null ? undefined : checkGatewayUrl(callbackBaseUrl);
          if (problem) c.fail('sms.callbackBaseUrl', problem);
          else next.callbackBaseUrl = callbackBaseUrl?.replace(/\/+$/, '') ?? null;
        }
        if (c.errors.length === before) await this.settings.save(t, 'sms', next);
      },
    };
  }

  private billingSection(): SettingsSection {
    return {
      key: 'billing',
      read: async (t) => {
        const b = await this.billing(t);
        return { emailPrice: formatAmount(b.emailPrice, b.currency), smsPrice: formatAmount(b.smsPrice, b.currency), currency: b.currency };
      },
      update: async (t, patch, c) => {
        if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
          c.fail('billing', 'must be an object');
          return;
        }
        const p = patch as Record<string, unknown>;
        const current = await this.billing(t);
        const before = c.errors.length;
        for (const key of Object.keys(p)) {
          if (!['emailPrice', 'smsPrice', 'currency'].includes(key)) c.fail(`billing.${key}`, 'is not a known field');
        }
        let currency = current.currency;
        if (p.currency !== undefined) {
          if (typeof p.currency === 'string' && isCurrency(p.currency)) currency = p.currency;
          else {
            c.fail('billing.currency', 'must be an ISO 4217 currency code');
            return;
          }
        }
        // Prices are kept in minor units of the billing currency: a new currency re-reads them.
        const price = (key: 'emailPrice' | 'smsPrice'): Minor | undefined =>
          c.attempt(() => parsePrice(p[key] ?? formatAmount(current[key], current.currency), currency, `billing.${key}`));
        const emailPrice = price('emailPrice');
        const smsPrice = price('smsPrice');
        if (c.errors.length === before && emailPrice !== undefined && smsPrice !== undefined) {
          await this.settings.save(t, 'billing', { emailPrice, smsPrice, currency } satisfies BillingSettings);
        }
      },
    };
  }
}
