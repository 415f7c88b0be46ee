/**
 * A small local stand-in for the Stripe API that the official `stripe` SDK talks to (SDK options
 * `host`/`port`/`protocol`, or COUNTERLINK_STRIPE_API_URL): Checkout Sessions (create, retrieve,
 * expire), refunds and the account. Every request is recorded with its form body decoded, so
 * tests check what the app really sent; it can be switched "down" (connections refused, or 500s)
 * and builds webhook events signed exactly the way Stripe signs them (the SDK's own helper).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Stripe from 'stripe';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The form body, decoded into nested objects (`metadata[paymentId]=…` -> `{metadata: {paymentId}}`). */
  body: Record<string, unknown>;
}

export interface FakeSession {
  id: string;
  object: 'checkout.session';
  url: string | null;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  payment_intent: string | null;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  livemode: boolean;
  success_url: string | null;
  cancel_url: string | null;
  expires_at: number;
  mode: string;
}

export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  payment_intent: string;
  status: 'succeeded' | 'pending' | 'failed';
  currency: string;
}

/** Decodes `a[b][0][c]=v` form fields into nested objects and arrays, the way Stripe reads them. */
export function decodeForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const parts = key.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: Record<string, unknown> | unknown[] = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const container = node as Record<string, unknown>;
      if (last) container[part] = value;
      else {
        if (container[part] === undefined) container[part] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
        node = container[part] as Record<string, unknown>;
      }
    });
  }
  return out;
}

export type FakeMode = 'up' | 'refuse' | 'error';

export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  readonly sessions = new Map<string, FakeSession>();
  readonly refunds = new Map<string, FakeRefund>();
  /** `refuse`: every connection is cut at once; `error`: every request gets a 500. */
  mode: FakeMode = 'up';
  account = { id: 'acct_1Fake', object: 'account', business_profile: { name: 'Fake Shop' }, email: 'owner@fake.example', country: 'DE' };
  private readonly byIdempotencyKey = new Map<string, string>();
  private readonly sockets = new Set<Socket>();
  private seq = 0;
  /** The SDK, only for its webhook signing helper (no requests are made with it). */
  private readonly sdk = new Stripe('sk_test_fake_signing_only');

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeStripe> {
    const holder: { fake?: FakeStripe } = {};
    const server = createServer((req, res) => holder.fake!.handle(req, res));
    const fake = new FakeStripe(server);
    holder.fake = fake;
    server.on('connection', (socket) => {
      if (fake.mode === 'refuse') {
        socket.destroy();
        return;
      }
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** What COUNTERLINK_STRIPE_API_URL is set to for the app under test. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Switch the fake down (`refuse`: connection cut; `error`: 500) or back `up`. */
  setMode(mode: FakeMode): void {
    this.mode = mode;
    if (mode === 'refuse') for (const s of this.sockets) s.destroy();
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  session(id: string): FakeSession {
    const s = this.sessions.get(id);
    if (!s) throw new Error(`no fake session ${id}`);
    return s;
  }

  /** The customer paid by card: complete and paid. */
  markPaid(id: string): FakeSession {
    return Object.assign(this.session(id), { status: 'complete', payment_status: 'paid' } as const);
  }

  /** The customer chose a delayed method (SEPA debit…): complete, but not yet paid. */
  markAsyncPending(id: string): FakeSession {
    return Object.assign(this.session(id), { status: 'complete', payment_status: 'unpaid' } as const);
  }

  markAsyncSucceeded(id: string): FakeSession {
    return Object.assign(this.session(id), { status: 'complete', payment_status: 'paid' } as const);
  }

  markAsyncFailed(id: string): FakeSession {
    return Object.assign(this.session(id), { status: 'complete', payment_status: 'unpaid' } as const);
  }

  markExpired(id: string): FakeSession {
    return Object.assign(this.session(id), { status: 'expired', url: null } as const);
  }

  /**
   * A Stripe event about a session, as Stripe sends it: the JSON body and its `Stripe-Signature`
   * header, signed with `secret` at `timestamp` (seconds; default now) by the SDK's own helper.
   */
  event(type: string, sessionId: string, secret: string, options: { id?: string; timestamp?: number; livemode?: boolean } = {}): { payload: string; signature: string; id: string } {
    const session = this.session(sessionId);
    const id = options.id ?? `evt_${++this.seq}${Math.random().toString(36).slice(2, 10)}`;
    const created = options.timestamp ?? Math.floor(Date.now() / 1000);
    const payload = JSON.stringify({
      id,
      object: 'event',
      api_version: '2026-10-28.endive',
      created,
      type,
      livemode: options.livemode ?? session.livemode,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: { ...session } },
    });
    const signature = this.sdk.webhooks.generateTestHeaderString({ payload, secret, ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}) });
    return { payload, signature, id };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const body = decodeForm(req.method === 'GET' ? url.search.slice(1) : raw);
      this.requests.push({ method: req.method ?? 'GET', path: url.pathname, headers, body });
      const send = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++this.seq}` });
        res.end(JSON.stringify(data));
      };
      if (this.mode === 'error') return send(500, { error: { type: 'api_error', message: 'The fake is down.' } });
      const key = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!/^(sk|rk)_(test|live)_/.test(key)) return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } });
      const livemode = /_live_/.test(key);
      this.route(req.method ?? 'GET', url.pathname, body, headers, livemode, send);
    });
  }

  private route(method: string, path: string, body: Record<string, unknown>, headers: Record<string, string>, livemode: boolean, send: (status: number, data: unknown) => void): void {
    let m: RegExpExecArray | null;
    if (method === 'GET' && (path === '/v1/account' || path === '/v1/balance')) {
      return send(200, path === '/v1/account' ? this.account : { object: 'balance', livemode, available: [], pending: [] });
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const idem = headers['idempotency-key'];
      if (idem && this.byIdempotencyKey.has(idem)) return send(200, this.sessions.get(this.byIdempotencyKey.get(idem)!));
      const lineItems = (body.line_items as { price_data: { unit_amount: string }; quantity: string }[] | undefined) ?? [];
      const amount = lineItems.reduce((sum, li) => sum + Number(li.price_data.unit_amount) * Number(li.quantity ?? 1), 0);
      const currency = String(lineItems[0] && (lineItems[0].price_data as unknown as { currency: string }).currency);
      const id = `cs_${livemode ? 'live' : 'test'}_${++this.seq}${Math.random().toString(36).slice(2, 12)}`;
      const session: FakeSession = {
        id,
        object: 'checkout.session',
        url: `https://checkout.stripe.com/c/pay/${id}`,
        status: 'open',
        payment_status: 'unpaid',
        payment_intent: `pi_${Math.random().toString(36).slice(2, 14)}`,
        amount_total: amount,
        currency,
        client_reference_id: (body.client_reference_id as string) ?? null,
        metadata: (body.metadata as Record<string, string>) ?? {},
        livemode,
        success_url: (body.success_url as string) ?? null,
        cancel_url: (body.cancel_url as string) ?? null,
        expires_at: Number(body.expires_at ?? 0),
        mode: String(body.mode),
      };
      this.sessions.set(id, session);
      if (idem) this.byIdempotencyKey.set(idem, id);
      return send(200, session);
    }
    if ((m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path)) && method === 'GET') {
      const s = this.sessions.get(m[1]!);
      return s ? send(200, s) : send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such checkout.session: '${m[1]}'` } });
    }
    if ((m = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path)) && method === 'POST') {
      const s = this.sessions.get(m[1]!);
      if (!s) return send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such checkout.session' } });
      if (s.status !== 'open') return send(400, { error: { type: 'invalid_request_error', message: `Only Checkout Sessions with a status in ["open"] can be expired.` } });
      return send(200, this.markExpired(s.id));
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const idem = headers['idempotency-key'];
      if (idem && this.byIdempotencyKey.has(idem)) return send(200, this.refunds.get(this.byIdempotencyKey.get(idem)!));
      const pi = String(body.payment_intent ?? '');
      const session = [...this.sessions.values()].find((s) => s.payment_intent === pi && s.payment_status === 'paid');
      if (!session) return send(400, { error: { type: 'invalid_request_error', message: `No such payment_intent: '${pi}'` } });
      const refund: FakeRefund = { id: `re_${++this.seq}${Math.random().toString(36).slice(2, 10)}`, object: 'refund', amount: Number(body.amount ?? session.amount_total), payment_intent: pi, status: 'succeeded', currency: session.currency };
      this.refunds.set(refund.id, refund);
      if (idem) this.byIdempotencyKey.set(idem, refund.id);
      return send(200, refund);
    }
    send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` } });
  }
}
