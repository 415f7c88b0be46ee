import { parseRetrySchedule } from '../core/outbox/schedule';
import { parseDialogRateLimit, type DialogRateLimit } from './http/rate-limits';
import { homedir, networkInterfaces, platform } from 'node:os';
import { join } from 'node:path';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Public base of link URLs; when unset, derived from the LAN address and the bound port. */
  baseUrl: string | undefined;
  /** COUNTERLINK_API_KEY: registered as a live-mode admin key. */
  apiKey: string | undefined;
  /** COUNTERLINK_TEST_API_KEY: registered as a test-mode admin key. */
  testApiKey: string | undefined;
  lockTtlSeconds: number;
  /** COUNTERLINK_RETRY_SCHEDULE_SECONDS, for every outbox (email, SMS, webhooks). */
  retrySchedule: number[] | undefined;
  /** COUNTERLINK_SMTP_URL: smtp://user:pass@host:port or smtps://…; overrides the email settings. */
  smtpUrl: string | undefined;
  /** COUNTERLINK_MAIL_FROM: the From address ("Name <address>" or an address). */
  mailFrom: string | undefined;
  /** COUNTERLINK_SMS_URL: the HTTP SMS gateway; overrides the sms settings. */
  smsUrl: string | undefined;
  /** COUNTERLINK_SMS_AUTH: the Authorization header value sent to the gateway. */
  smsAuth: string | undefined;
  /** COUNTERLINK_DATABASE_URL: postgres://… to share one PostgreSQL between servers; unset = SQLite in dataDir. */
  databaseUrl: string | undefined;
  /**
   * COUNTERLINK_TRUST_PROXY: behind a TLS-terminating reverse proxy, which hops to trust for
   * X-Forwarded-For/-Proto (`true`, a hop count, or addresses/CIDRs). Unset: trust none.
   */
  trustProxy: boolean | number | string[] | undefined;
  /**
   * COUNTERLINK_DIALOG_RATE_LIMIT: payments the public dialog starts per minute, per address and
   * per link (`20/10`, the default; `20/10/60` names the window in seconds), or `off`.
   */
  dialogRateLimit: DialogRateLimit | false | undefined;
  /** COUNTERLINK_STRIPE_API_URL: base URL of the Stripe API (proxies, tests); default https://api.stripe.com. */
  stripeApiUrl: string | undefined;
  /**
   * COUNTERLINK_SECRETS_KEY: the data key that seals stored secrets (base64 of 32 bytes); unset:
   * `<dataDir>/secrets.key`. Servers sharing one PostgreSQL database need the same one.
   */
  secretsKey?: string | undefined;
}

/** COUNTERLINK_STRIPE_API_URL must be an http(s) URL (a proxy, or a local fake in tests). */
export function checkStripeApiUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error('COUNTERLINK_STRIPE_API_URL is not a URL; expected e.g. https://api.stripe.com or http://127.0.0.1:12111');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('COUNTERLINK_STRIPE_API_URL must start with http:// or https://');
  return value;
}

/** Checks a database URL's shape without ever echoing its password. */
export function checkDatabaseUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error('COUNTERLINK_DATABASE_URL is not a URL; expected postgres://user:password@host:5432/database');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`COUNTERLINK_DATABASE_URL must start with postgres:// (got ${u.protocol}//)`);
  }
  if (!u.hostname && !u.searchParams.get('host')) throw new Error('COUNTERLINK_DATABASE_URL names no host');
  return value;
}

function trustProxyFrom(value: string | undefined): AppConfig['trustProxy'] {
  const v = value?.trim();
  if (!v || v === 'false') return undefined;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Where Electron keeps `userData` for an app named Counterlink, so headless and desktop share data. */
export function defaultDataDir(): string {
  const home = homedir();
  switch (platform()) {
    case 'win32':
      return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Counterlink');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Counterlink');
    default:
      return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Counterlink');
  }
}

/** The first non-internal IPv4 address: what a customer's phone on the shop Wi-Fi can reach. */
export function firstLanIPv4(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return undefined;
}

function positiveInt(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name} must be an integer from 0 to ${max} (got ${JSON.stringify(value)})`);
  return n;
}

/** Reads the COUNTERLINK_* variables of API.md ("Running it"). Throws on a malformed value. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const baseUrl = env.COUNTERLINK_BASE_URL?.trim() || undefined;
  if (baseUrl !== undefined) {
    const u = new URL(baseUrl); // throws with a clear message on garbage
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('COUNTERLINK_BASE_URL must be an http(s) URL');
  }
  return {
    port: positiveInt('COUNTERLINK_PORT', env.COUNTERLINK_PORT, 4780, 65535),
    host: env.COUNTERLINK_HOST?.trim() || '0.0.0.0',
    dataDir: env.COUNTERLINK_DATA_DIR?.trim() || defaultDataDir(),
    baseUrl,
    apiKey: env.COUNTERLINK_API_KEY?.trim() || undefined,
    testApiKey: env.COUNTERLINK_TEST_API_KEY?.trim() || undefined,
    lockTtlSeconds: positiveInt('COUNTERLINK_LOCK_TTL_SECONDS', env.COUNTERLINK_LOCK_TTL_SECONDS, 900, 86_400 * 7),
    retrySchedule: env.COUNTERLINK_RETRY_SCHEDULE_SECONDS?.trim() ? parseRetrySchedule(env.COUNTERLINK_RETRY_SCHEDULE_SECONDS) : undefined,
    smtpUrl: env.COUNTERLINK_SMTP_URL?.trim() || undefined,
    mailFrom: env.COUNTERLINK_MAIL_FROM?.trim() || undefined,
    smsUrl: env.COUNTERLINK_SMS_URL?.trim() || undefined,
    smsAuth: env.COUNTERLINK_SMS_AUTH?.trim() || undefined,
    databaseUrl: env.COUNTERLINK_DATABASE_URL?.trim() ? checkDatabaseUrl(env.COUNTERLINK_DATABASE_URL.trim()) : undefined,
    trustProxy: trustProxyFrom(env.COUNTERLINK_TRUST_PROXY),
    dialogRateLimit: env.COUNTERLINK_DIALOG_RATE_LIMIT?.trim() ? parseDialogRateLimit(env.COUNTERLINK_DIALOG_RATE_LIMIT) : undefined,
    stripeApiUrl: env.COUNTERLINK_STRIPE_API_URL?.trim() ? checkStripeApiUrl(env.COUNTERLINK_STRIPE_API_URL.trim()) : undefined,
    secretsKey: env.COUNTERLINK_SECRETS_KEY?.trim() || undefined,
  };
}

export function deriveBaseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? (firstLanIPv4() ?? '127.0.0.1') : host;
  const hostPart = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `http://${hostPart}:${port}`;
}
