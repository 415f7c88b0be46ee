import type { CoreContext, Tx } from '../context';
import { toIso } from '../clock';
import { newId } from '../ids';
import { enqueue, OutboxWorker } from '../outbox/outbox';
import { DEFAULT_WEBHOOK_RETRY_SCHEDULE } from '../outbox/schedule';
import type { DeliveryResult, OutboxHandler, OutboxMessage } from '../outbox/types';
import { matchesEvent } from './input';
import { encryptBody, signatureHeader } from './signing';
import { WEBHOOK_KIND, type WebhookEndpointRecord, type WebhookPayload } from './types';
import type { EventRecord } from '../store/types';
import { endpointView } from './view';

/** Settings key of the fan-out cursor: the id of the last event turned into outbox messages. */
export const FANOUT_CURSOR_KEY = 'webhooks.fanoutCursor';
/** Held by the fan-out transaction: two servers on one database never fan out the same events. */
export const FANOUT_LOCK = 'webhooks.fanout';
const FANOUT_BATCH = 500;
const SNIPPET_BYTES = 2048;
const SNIPPET_CHARS = 500;
/** Deliveries that end the message without touching the endpoint's health. */
export const ENDPOINT_GONE = 'endpoint deleted';
export const ENDPOINT_DISABLED = 'endpoint disabled';

export interface WebhookDispatcherOptions {
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /** Deliveries in flight at once, over all endpoints (at most one per endpoint: ordered queues). */
  concurrency?: number;
  pollMs?: number;
  userAgent?: string;
}

/**
 * Webhook delivery over the shared outbox:
 * - fan-out: every event after a persisted cursor becomes one outbox message per matching,
 *   enabled endpoint; the messages and the new cursor are written in one transaction, so each
 *   (event, endpoint) gets exactly one message, also across restarts;
 * - delivery: ordered per endpoint (queue = endpoint id), signed per Standard Webhooks, optionally
 *   encrypted, retried on the schedule; when the schedule is used up the endpoint is marked
 *   failing (`webhook_endpoint.failing`), and its next success marks it healthy again
 *   (`webhook_endpoint.recovered`).
 */
export class WebhookDispatcher {
  readonly kind = WEBHOOK_KIND;
  readonly worker: OutboxWorker<WebhookPayload>;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly pollMs: number;
  private unsubscribe: (() => void) | undefined;
  private poller: NodeJS.Timeout | undefined;
  private readonly wakeups = new Set<NodeJS.Timeout>();
  private running = false;
  /** The fan-out a kick started, while it runs (kicks meanwhile coalesce into one more). */
  private fanning: Promise<void> | undefined;
  private fanAgain = false;

  constructor(
    private readonly ctx: CoreContext,
    options: WebhookDispatcherOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.userAgent = options.userAgent ?? 'Counterlink-Webhooks/1';
    this.pollMs = options.pollMs ?? 1_000;
    const handler: OutboxHandler<WebhookPayload> = {
      kind: WEBHOOK_KIND,
      deliver: (m) => this.deliver(m),
      onSucceeded: (t, m) => this.onSucceeded(t, m),
      onFailed: (t, m, result, final, next) => this.onFailed(t, m, result, final, next),
    };
    this.worker = new OutboxWorker(ctx, handler, {
      retrySchedule: ctx.config.retrySchedule ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE,
      concurrency: options.concurrency ?? 16,
      // A claim must outlive the attempt's own timeout.
      leaseMs: Math.max(60_000, this.timeoutMs * 3),
      pollMs: this.pollMs,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.ctx.events.onAppended(() => this.kick());
    // Also on a timer: a fan-out that failed (a busy database) is simply tried again.
    this.poller = setInterval(() => this.kick(), this.pollMs);
    this.poller.unref();
    this.worker.start();
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.poller) clearInterval(this.poller);
    for (const t of this.wakeups) clearTimeout(t);
    this.wakeups.clear();
    await this.fanning;
    await this.worker.stop();
  }

  /**
   * Fans out new events, then, if that made deliveries, has the worker look for due ones. (A
   * fan-out that made none leaves the worker to its own timer: every commit kicks a fan-out, and a
   * shop without webhooks would otherwise query the outbox after every commit for nothing.)
   */
  kick(): void {
    if (!this.running) return;
    if (this.fanning) {
      this.fanAgain = true; // a kick during a fan-out: fan out once more when it ends
      return;
    }
    this.fanning = this.fanOut()
      .catch(() => 0) // left for the next kick: the cursor did not move, nothing is lost
      .then((made) => {
        this.fanning = undefined;
        if (made > 0) this.worker.kick();
        if (this.fanAgain) {
          this.fanAgain = false;
          this.kick();
        }
      });
  }

  /** For tests: fan-out done and nothing due or in flight. */
  async idle(timeoutMs = 10_000): Promise<void> {
    await this.fanOut();
    await this.worker.idle(timeoutMs);
  }

  /**
   * Turns events after the cursor into outbox messages. Returns how many messages it made.
   * Each batch is one transaction under FANOUT_LOCK that re-reads the cursor, so concurrent
   * fan-outs (here or on another server) take turns and never enqueue one event twice.
   */
  async fanOut(): Promise<number> {
    const { store, settings } = this.ctx;
    // Cheap check first, without the lock and without writing: most kicks find nobody listening or
    // nothing new (with several servers every commit anywhere kicks every server).
    const behind = await store.read(async (t) => {
      const endpoints = await t.webhooks.active();
      if (endpoints.length === 0) return false;
      return fanOutFrom((await settings.stored<number>(t, FANOUT_CURSOR_KEY)) ?? 0, endpoints) < (await t.eventLog.lastId());
    });
    if (!behind) return 0;
    let made = 0;
    for (;;) {
      const { count, more } = await store.tx((t) => this.fanOutBatch(t));
      made += count;
      if (!more) return made;
    }
  }

  private async fanOutBatch(t: Tx): Promise<{ count: number; more: boolean }> {
    const { settings } = this.ctx;
    await t.lock(FANOUT_LOCK);
    const stored = (await settings.stored<number>(t, FANOUT_CURSOR_KEY)) ?? 0;
    // The log's end before the endpoints: every event up to `last` committed before an endpoint
    // that `active()` does not see yet, so none of them is for it (on PostgreSQL one may commit
    // between two reads; events after `last` wait for the next batch, which will see it).
    const last = await t.eventLog.lastId();
    const endpoints = await t.webhooks.active();
    // Nobody listens: nothing to do and nothing to write (no fsync per event for a shop without webhooks).
    if (endpoints.length === 0) return { count: 0, more: false };
    const cursor = fanOutFrom(stored, endpoints);
    if (last <= cursor) return { count: 0, more: false };
    const batch = (await t.eventLog.after(cursor, FANOUT_BATCH)).filter((e) => e.id <= last);
    if (batch.length === 0) return { count: 0, more: false };
    let count = 0;
    for (const event of batch) {
      const targets = endpoints.filter((e) => isFor(e, event));
      if (targets.length === 0) continue;
      const messageId = newId('msg');
      for (const endpoint of targets) {
        const payload: WebhookPayload = { endpointId: endpoint.id, messageId, type: event.type, eventId: event.id, occurredAt: event.createdAt };
        await enqueue(this.ctx, t, WEBHOOK_KIND, payload, { id: newId('whd'), queue: endpoint.id, ordered: true });
        count++;
      }
    }
    const through = batch[batch.length - 1]!.id;
    await settings.save(t, FANOUT_CURSOR_KEY, through);
    return { count, more: through < last };
  }

  /** The JSON body of a message: {type, timestamp, data}, as in the event log. */
  async bodyOf(p: WebhookPayload): Promise<string | undefined> {
    return this.ctx.store.read((t) => this.bodyIn(t, p));
  }

  private async bodyIn(t: Tx, p: WebhookPayload): Promise<string | undefined> {
    let data = p.data;
    if (p.eventId !== null) {
      const event = (await t.eventLog.after(p.eventId - 1, 1))[0];
      if (!event || event.id !== p.eventId) return undefined;
      data = event.data;
    }
    return JSON.stringify({ type: p.type, timestamp: toIso(p.occurredAt), data: data ?? null });
  }

  /** Secrets that sign now: the current one, and a rotated-out one for its 24 h overlap. */
  signingSecrets(e: WebhookEndpointRecord, now: number): string[] {
    const out = [e.secret];
    if (e.previousSecret !== null && e.previousSecretExpiresAt !== null && now < e.previousSecretExpiresAt) out.push(e.previousSecret);
    return out;
  }

  private async deliver(m: OutboxMessage<WebhookPayload>): Promise<DeliveryResult> {
    const { store, clock } = this.ctx;
    // Everything the attempt needs, read before the network I/O (which holds no transaction).
    const { endpoint, body } = await store.read(async (t) => {
      const e = await t.webhooks.get(m.payload.endpointId);
      return { endpoint: e, body: e?.enabled ? await this.bodyIn(t, m.payload) : undefined };
    });
    if (!endpoint) return { ok: false, retryable: false, error: ENDPOINT_GONE };
    if (!endpoint.enabled) return { ok: false, retryable: false, error: ENDPOINT_DISABLED };
    if (body === undefined) return { ok: false, retryable: false, error: `event ${m.payload.eventId} is not in the log` };
    const sent = endpoint.encryption === 'aes-256-cbc' && endpoint.encryptionKey ? encryptBody(body, endpoint.encryptionKey) : body;
    const now = clock.now();
    const timestamp = Math.floor(now / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': this.userAgent,
      'webhook-id': m.payload.messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(this.signingSecrets(endpoint, now), m.payload.messageId, timestamp, sent),
    };
    let response: Response;
    try {
      response = await fetch(endpoint.url, { method: 'POST', headers, body: sent, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      return { ok: false, error: this.describeError(err) };
    }
    let snippet: string | null = null;
    try {
      snippet = await readSnippet(response);
    } catch (err) {
      // A body that stalls past the timeout: the status still counts, but say so.
      snippet = `(response body unreadable: ${this.describeError(err)})`;
    }
    const status = response.status;
    if (status >= 200 && status < 300) return { ok: true, statusCode: status, responseSnippet: snippet };
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      return { ok: false, statusCode: status, responseSnippet: snippet, error: `HTTP ${status}: redirects are not followed${location ? ` (Location: ${location.slice(0, 300)})` : ''}` };
    }
    return { ok: false, statusCode: status, responseSnippet: snippet, error: `HTTP ${status}` };
  }

  private describeError(err: unknown): string {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `timed out after ${this.timeoutMs / 1000} s`;
    const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
    if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
    return err instanceof Error ? err.message : String(err);
  }

  private async onSucceeded(t: Tx, m: OutboxMessage<WebhookPayload>): Promise<void> {
    const { clock, events } = this.ctx;
    const endpoint = await t.webhooks.get(m.payload.endpointId);
    if (!endpoint) return;
    const now = clock.now();
    const recovered = endpoint.health === 'failing';
    const next: WebhookEndpointRecord = { ...endpoint, lastSuccessAt: now, updatedAt: recovered ? now : endpoint.updatedAt };
    if (recovered) Object.assign(next, { health: 'healthy', failingSince: null, lastError: null });
    await t.webhooks.update(next);
    if (recovered) events.append(t, 'webhook_endpoint.recovered', endpointView(next, now));
  }

  private async onFailed(t: Tx, m: OutboxMessage<WebhookPayload>, result: DeliveryResult, final: boolean, nextAttemptAt: number | null): Promise<void> {
    const { clock, events } = this.ctx;
    if (result.error === ENDPOINT_GONE || result.error === ENDPOINT_DISABLED) return;
    const endpoint = await t.webhooks.get(m.payload.endpointId);
    if (!endpoint) return;
    const now = clock.now();
    const becameFailing = final && endpoint.health === 'healthy';
    const next: WebhookEndpointRecord = { ...endpoint, lastFailureAt: now, lastError: result.error ?? 'delivery failed' };
    if (becameFailing) Object.assign(next, { health: 'failing', failingSince: now, updatedAt: now });
    await t.webhooks.update(next);
    if (becameFailing) {
      // The feed's alert: staff see that the merchant's system stopped taking webhooks.
      events.append(t, 'webhook_endpoint.failing', { ...endpointView(next, now), deliveryId: m.id, messageId: m.payload.messageId });
    }
    if (nextAttemptAt !== null) t.afterCommit(() => this.wakeAt(nextAttemptAt));
  }

  /** Kicks the worker when a retry falls due sooner than the next poll would notice. */
  private wakeAt(at: number): void {
    const delay = Math.max(0, at - this.ctx.clock.now());
    if (!this.running || delay >= this.pollMs) return;
    const t = setTimeout(() => {
      this.wakeups.delete(t);
      this.worker.kick();
    }, delay + 5);
    t.unref();
    this.wakeups.add(t);
  }
}

/**
 * Whether an event goes to an endpoint: one it listens for, committed after the endpoint was
 * made (`afterEventId`: the log's last id when its creation began). Its own creation event is
 * committed with it, so it is left out here.
 */
/**
 * Where the fan-out resumes: its cursor, or later when every endpoint came after it (an endpoint
 * never gets events up to its `afterEventId`), so a cursor left behind while nobody listened is
 * not walked through event by event.
 */
function fanOutFrom(cursor: number, endpoints: WebhookEndpointRecord[]): number {
  return Math.max(cursor, Math.min(...endpoints.map((e) => e.afterEventId)));
}

function isFor(e: WebhookEndpointRecord, event: EventRecord): boolean {
  if (event.id <= e.afterEventId || !matchesEvent(e.events, event.type)) return false;
  // Live endpoints hear live events, test endpoints test events; both hear what the modes share.
  if (event.livemode !== null && event.livemode !== e.livemode) return false;
  return !(event.type === 'webhook_endpoint.created' && (event.data as { id?: unknown } | null)?.id === e.id);
}

/** The first bytes of a response body, as text, for the delivery log; the rest is discarded. */
async function readSnippet(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8');
  return text === '' ? null : text.slice(0, SNIPPET_CHARS);
}
