/**
 * Stripe Checkout with the merchant's own Stripe account (API.md "Stripe"), through the official
 * `stripe` SDK. The start transaction only makes the pending payment and extends its hold; the
 * Checkout Session is made after it committed (`open`: network I/O, then a short transaction
 * recording the session). Outcomes arrive as signed webhooks (core/payments/stripe-events.ts) or
 * from the result page asking Stripe (`reconcile`); cancelling and refunding go through the
 * outbox so that they survive the network being down.
 */
import Stripe from 'stripe';
import type { CoreContext, Tx } from '../../context';
import type { SettingsSection, SettingsService } from '../../settings';
import type { Checker } from '../../validate';
import { MODES, modeOf, type Mode } from '../../mode';
import { enqueue } from '../../outbox/outbox';
import type { LinkRecord } from '../../links/types';
import type { PaymentRecord } from '../types';
import type { PaymentProvider } from './port';

export const STRIPE_KEY = 'stripe';
export const STRIPE_REFUND_KIND = 'stripe.refund';
export const STRIPE_EXPIRE_KIND = 'stripe.expire';

/**
 * Stripe's minimum Checkout Session lifetime is 30 minutes (counted from when Stripe gets the
 * request): a Stripe payment holds its link at least this long, a minute more for the trip there.
 */
export const STRIPE_MIN_HOLD_MS = 31 * 60_000;
/** …and at most 24 hours, Stripe's maximum. */
export const STRIPE_MAX_HOLD_MS = 24 * 3_600_000;
/**
 * The payment holds its link this much longer than its session lives: Stripe settles (paid, or
 * `checkout.session.expired`) before our own timeout could call a paid payment abandoned.
 */
export const STRIPE_HOLD_GRACE_MS = 5 * 60_000;

export interface StripeModeSettings {
  secretKey: string | null;
  webhookSecret: string | null;
}
export type StripeSettings = Record<Mode, StripeModeSettings>;

const EMPTY: StripeModeSettings = { secretKey: null, webhookSecret: null };

export async function stripeSettings(settings: SettingsService, t: Tx): Promise<StripeSettings> {
  const stored = (await settings.stored<Partial<StripeSettings>>(t, STRIPE_KEY)) ?? {};
  return { test: { ...EMPTY, ...stored.test }, live: { ...EMPTY, ...stored.live } };
}

/** Why a secret key cannot be used in `mode`, as a field-error code; null when it fits. */
export function secretKeyProblem(key: string, mode: Mode): { code: string; message: string } | null {
  const m = /^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/.exec(key);
  if (!m) return { code: 'stripe-key-format', message: 'must be a Stripe secret key (sk_test_…, sk_live_…) or restricted key (rk_…)' };
  if (m[2] !== mode) return { code: 'stripe-key-mode', message: `is a ${m[2]}-mode key; the ${mode} slot takes ${mode === 'live' ? 'sk_live_/rk_live_' : 'sk_test_/rk_test_'} keys` };
  return null;
}

export function webhookSecretProblem(secret: string): { code: string; message: string } | null {
  return /^whsec_[A-Za-z0-9+/=]{8,}$/.test(secret) ? null : { code: 'stripe-webhook-secret-format', message: 'must be the endpoint’s signing secret (whsec_…)' };
}

/** The amount Stripe is asked for and what it is for (pure: unit-tested). */
export function checkoutSessionParams(payment: PaymentRecord, link: LinkRecord, baseUrl: string, locale: string, expiresAtMs: number): Stripe.Checkout.SessionCreateParams {
  const currency = payment.currency.toLowerCase();
  const items = link.lineItems ?? [];
  const itemsTotal = items.reduce((sum, li) => sum + li.unitAmount * li.quantity, 0);
  const lineItems: Stripe.Checkout.SessionCreateParams.LineItem[] =
    items.length > 0 && itemsTotal === payment.amount
      ? items.map((li) => ({ quantity: li.quantity, price_data: { currency, unit_amount: li.unitAmount, product_data: { name: li.name } } }))
      : [{ quantity: 1, price_data: { currency, unit_amount: payment.amount, product_data: { name: link.name, ...(link.description ? { description: link.description } : {}) } } }];
  const result = `${baseUrl}/${locale}/pay-by-link/${encodeURIComponent(link.id)}/result/${encodeURIComponent(payment.id)}`;
  return {
    mode: 'payment',
    line_items: lineItems,
    client_reference_id: payment.id,
    metadata: { paymentId: payment.id, linkId: link.id, refId: payment.refId },
    payment_intent_data: { metadata: { paymentId: payment.id, linkId: link.id, refId: payment.refId } },
    success_url: result,
    cancel_url: result,
    expires_at: Math.ceil(expiresAtMs / 1000),
    ...(payment.payerEmail ? { customer_email: payment.payerEmail } : {}),
  };
}

/** What a Checkout Session says about its payment (pure: unit-tested). */
export function sessionOutcome(session: Pick<Stripe.Checkout.Session, 'status' | 'payment_status'>): 'succeeded' | 'abandoned' | null {
  if (session.status === 'complete' && (session.payment_status === 'paid' || session.payment_status === 'no_payment_required')) return 'succeeded';
  if (session.status === 'expired') return 'abandoned';
  return null; // open, or complete and waiting for a delayed payment method
}

/** True for failures that retrying can fix (the network, Stripe's own 5xx, rate limits, keys). */
export function retryable(err: unknown): boolean {
  const status = (err as { statusCode?: number }).statusCode;
  return status === undefined || status >= 500 || status === 429 || status === 401 || status === 409;
}

/** A Stripe error in words for staff and logs: never a stack trace, never a key. */
export function stripeErrorText(err: unknown): string {
  const e = err as { type?: string; message?: string; statusCode?: number };
  const message = (e.message ?? String(err)).replace(/\b(sk|rk)_(test|live)_[A-Za-z0-9]+/g, '$1_$2_…');
  return `${e.type ?? 'error'}${e.statusCode ? ` (HTTP ${e.statusCode})` : ''}: ${message}`.slice(0, 500);
}

interface ModeStatus {
  /** The key this status is about: a changed key is unchecked again. */
  key: string;
  ok: boolean;
  account: { id: string; name: string | null } | null;
  error: string | null;
  checkedAt: number;
}

export interface StripeGatewayOptions {
  /** COUNTERLINK_STRIPE_API_URL: base URL of the Stripe API (proxies, tests). */
  apiUrl?: string | undefined;
  /** How often each configured mode's key is checked in the background. */
  checkIntervalMs?: number;
}

/**
 * The SDK clients (one per key) and what the background check learned: whether each mode's
 * Stripe account answers, and which account it is. Never asked on a customer's request path.
 */
export class StripeGateway {
  private readonly clients = new Map<string, Stripe>();
  private readonly status = new Map<Mode, ModeStatus>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  readonly kind = 'stripe-availability';
  private readonly api: { host: string; port: string; protocol: 'http' | 'https' } | undefined;
  private readonly intervalMs: number;

  constructor(
    private readonly ctx: CoreContext,
    options: StripeGatewayOptions = {},
  ) {
    this.intervalMs = options.checkIntervalMs ?? 60_000;
    if (options.apiUrl) {
      const u = new URL(options.apiUrl);
      const protocol = u.protocol === 'http:' ? 'http' : 'https';
      this.api = { host: u.hostname, port: u.port || (protocol === 'http' ? '80' : '443'), protocol };
    }
  }

  /** The SDK for a secret key; `timeoutMs` bounds each request (the result page waits at most that). */
  client(secretKey: string, timeoutMs = 10_000, retries = 1): Stripe {
    const id = `${timeoutMs}/${retries}/${secretKey}`;
    let c = this.clients.get(id);
    if (!c) {
      c = new Stripe(secretKey, { ...(this.api ?? {}), timeout: timeoutMs, maxNetworkRetries: retries, appInfo: { name: 'Counterlink' } });
      this.clients.set(id, c);
    }
    return c;
  }

  /** 'offline' while the last check of this key failed; null when it answered (or is not checked yet). */
  offline(mode: Mode, key: string): boolean {
    const s = this.status.get(mode);
    return s !== undefined && s.key === key && !s.ok;
  }

  /** The connected account, as the last check saw it. */
  accountOf(mode: Mode, key: string | null): { account: ModeStatus['account']; status: 'connected' | 'offline' | 'unchecked'; error: string | null } {
    const s = this.status.get(mode);
    if (!key || !s || s.key !== key) return { account: null, status: 'unchecked', error: null };
    return { account: s.account, status: s.ok ? 'connected' : 'offline', error: s.error };
  }

  /** What a request to Stripe just showed (a session made, or a connection refused). */
  report(mode: Mode, key: string, ok: boolean, error: string | null = null): void {
    const s = this.status.get(mode);
    this.status.set(mode, { key, ok, account: s?.key === key ? s.account : null, error, checkedAt: this.ctx.clock.now() });
  }

  /** Checks every configured mode's key now (`GET /v1/account`). */
  checkNow(): Promise<void> {
    this.checking ??= this.check().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async check(): Promise<void> {
    const settings = await this.ctx.store.read((t) => stripeSettings(this.ctx.settings, t));
    await Promise.all(
      MODES.map(async (mode) => {
        const key = settings[mode].secretKey;
        if (!key) {
          this.status.delete(mode);
          return;
        }
        try {
          const account = await this.client(key, 5_000, 0).accounts.retrieveCurrent();
          const name = account.business_profile?.name ?? account.settings?.dashboard?.display_name ?? account.email ?? null;
          this.status.set(mode, { key, ok: true, account: { id: account.id, name }, error: null, checkedAt: this.ctx.clock.now() });
        } catch (err) {
          const before = this.status.get(mode);
          this.status.set(mode, { key, ok: false, account: before?.key === key ? before.account : null, error: stripeErrorText(err), checkedAt: this.ctx.clock.now() });
        }
      }),
    );
  }

  // The app starts and stops it with the outbox workers.
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.checking?.catch(() => undefined);
  }

  kick(): void {
    void this.checkNow().catch(() => undefined);
  }
}

/** settings.stripe: `{test: {secretKey, webhookSecret}, live: {…}}`, secrets write-only. */
export function stripeSection(settings: SettingsService, gateway: StripeGateway): SettingsSection {
  return {
    key: STRIPE_KEY,
    async read(t) {
      const s = await stripeSettings(settings, t);
      const out: Record<string, unknown> = {};
      for (const mode of MODES) {
        const { account, status, error } = gateway.accountOf(mode, s[mode].secretKey);
        out[mode] = {
          configured: s[mode].secretKey !== null && s[mode].webhookSecret !== null,
          secretKeySet: s[mode].secretKey !== null,
          webhookSecretSet: s[mode].webhookSecret !== null,
          account,
          status: s[mode].secretKey === null ? 'not-configured' : status,
          error,
        };
      }
      return out;
    },
    async update(t, patch: unknown, c: Checker) {
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
        c.fail(STRIPE_KEY, 'must be an object {test, live}', 'type', { expected: 'object' });
        return;
      }
      const next = await stripeSettings(settings, t);
      const before = c.errors.length;
      for (const [mode, value] of Object.entries(patch as Record<string, unknown>)) {
        if (mode !== 'test' && mode !== 'live') {
          c.fail(`${STRIPE_KEY}.${mode}`, 'is not a mode (test, live)', 'unknown-field');
          continue;
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          c.fail(`${STRIPE_KEY}.${mode}`, 'must be an object {secretKey, webhookSecret}', 'type', { expected: 'object' });
          continue;
        }
        for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
          const path = `${STRIPE_KEY}.${mode}.${field}`;
          if (field !== 'secretKey' && field !== 'webhookSecret') {
            c.fail(path, 'is not a stripe field', 'unknown-field');
            continue;
          }
          if (v === null) {
            next[mode][field] = null;
            continue;
          }
          if (typeof v !== 'string') {
            c.fail(path, 'must be a string', 'type', { expected: 'string' });
            continue;
          }
          const trimmed = v.trim();
          const problem = field === 'secretKey' ? secretKeyProblem(trimmed, mode) : webhookSecretProblem(trimmed);
          if (problem) c.fail(path, problem.message, problem.code, { mode });
          else next[mode][field] = trimmed;
        }
      }
      if (c.errors.length === before) await settings.save(t, STRIPE_KEY, next);
    },
    afterCommit: () => gateway.kick(),
  };
}

/** Stripe Checkout behind the provider port. */
export function stripeProvider(ctx: CoreContext, gateway: StripeGateway): PaymentProvider {
  const keyOf = async (t: Tx, mode: Mode) => (await stripeSettings(ctx.settings, t))[mode];
  return {
    id: 'stripe',
    modes: ['live', 'test'],
    currencies: 'any',
    needsInternet: true,
    async available(t, mode) {
      const s = await keyOf(t, mode);
      if (!s.secretKey || !s.webhookSecret) return 'not-configured';
      return gateway.offline(mode, s.secretKey) ? 'offline' : null;
    },
    async start(t, payment) {
      // Stripe keeps a session open at least 30 minutes: the payment holds its link as long.
      const session = Math.min(Math.max(payment.lockExpiresAt, payment.createdAt + STRIPE_MIN_HOLD_MS), payment.createdAt + STRIPE_MAX_HOLD_MS);
      await t.payments.setHold(payment.id, session + STRIPE_HOLD_GRACE_MS);
    },
    async next(t, payment, link, locale) {
      const session = await t.stripe.session(payment.id);
      if (session?.url) return { type: 'redirect', url: session.url };
      // Not at Stripe yet (a charge started in one transaction): the dialog's next step makes it.
      return { type: 'redirect', url: `${ctx.config.baseUrl}/${locale}/pay-by-link/${encodeURIComponent(link.id)}/next/${encodeURIComponent(payment.id)}` };
    },
    async open(payment, link, locale) {
      const mode = modeOf(payment.livemode);
      const state = await ctx.store.read(async (t) => ({ session: await t.stripe.session(payment.id), keys: await keyOf(t, mode), fresh: await t.payments.get(payment.id) }));
      if (state.session) return;
      if (!state.keys.secretKey) throw new Error('Stripe is not set up for this mode');
      // The session lives at least Stripe's minimum from now; the payment holds its link as long.
      const now = ctx.clock.now();
      const expiresAt = Math.max((state.fresh?.lockExpiresAt ?? now) - STRIPE_HOLD_GRACE_MS, now + STRIPE_MIN_HOLD_MS);
      let session: Stripe.Checkout.Session;
      try {
        session = await gateway
          .client(state.keys.secretKey)
          .checkout.sessions.create(checkoutSessionParams(payment, link, ctx.config.baseUrl, locale, expiresAt), { idempotencyKey: payment.id });
        gateway.report(mode, state.keys.secretKey, true);
      } catch (err) {
        if ((err as { type?: string }).type === 'StripeConnectionError') gateway.report(mode, state.keys.secretKey, false, stripeErrorText(err));
        throw new Error(stripeErrorText(err));
      }
      await ctx.store.tx(async (t) => {
        await t.stripe.insertSession({
          paymentId: payment.id,
          sessionId: session.id,
          url: session.url,
          paymentIntent: typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null),
          livemode: payment.livemode,
          createdAt: now,
        });
        await t.payments.setProviderReference(payment.id, session.id);
        const current = await t.payments.get(payment.id);
        if (current && current.lockExpiresAt < expiresAt + STRIPE_HOLD_GRACE_MS) await t.payments.setHold(payment.id, expiresAt + STRIPE_HOLD_GRACE_MS);
      });
    },
    async reconcile(payment) {
      const state = await ctx.store.read(async (t) => ({ session: await t.stripe.session(payment.id), keys: await keyOf(t, modeOf(payment.livemode)) }));
      if (!state.session || !state.keys.secretKey) return null;
      // Bounded: the result page waits at most this long, then shows "pending".
      const session = await gateway.client(state.keys.secretKey, 3_000, 0).checkout.sessions.retrieve(state.session.sessionId);
      const pi = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
      if (pi && !state.session.paymentIntent) await ctx.store.tx((t) => t.stripe.setPaymentIntent(payment.id, pi));
      return sessionOutcome(session);
    },
    async cancel(t, payment) {
      if (!(await t.stripe.session(payment.id))) return;
      await enqueue(ctx, t, STRIPE_EXPIRE_KIND, { paymentId: payment.id });
    },
    async refund(t, payment, amount, refundId) {
      const now = ctx.clock.now();
      // The refund's one id: the same in the refund ledger (day reports, exports) and at Stripe.
      const id = refundId;
      await t.stripe.insertRefund({ id, paymentId: payment.id, amount, status: 'pending', providerReference: null, error: null, createdAt: now, updatedAt: now });
      await enqueue(ctx, t, STRIPE_REFUND_KIND, { refundId: id });
    },
  };
}
