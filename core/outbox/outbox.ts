import type { CoreContext, Tx } from '../context';
import { newId } from '../ids';
import type { DeliveryResult, OutboxHandler, OutboxMessage } from './types';
import { nextAttemptAt } from './schedule';

export interface EnqueueOptions {
  /** Messages of one ordered queue go strictly one after another (a webhook endpoint). */
  queue?: string;
  ordered?: boolean;
  id?: string;
  /** Not before this time (default: now). */
  notBefore?: number;
}

/** Puts a message in the outbox, in the transaction that makes it necessary. */
export async function enqueue<P>(ctx: CoreContext, t: Tx, kind: string, payload: P, options: EnqueueOptions = {}): Promise<OutboxMessage<P>> {
  const id = options.id ?? newId('msg');
  const now = ctx.clock.now();
  await t.outbox.insert({
    id,
    kind,
    queue: options.queue ?? id,
    ordered: options.ordered ?? false,
    payload,
    nextAttemptAt: options.notBefore ?? now,
    createdAt: now,
  });
  return (await t.outbox.get<P>(id))!;
}

export interface OutboxWorkerOptions {
  /** Seconds to wait after the 1st, 2nd… failure; when used up the message fails. */
  retrySchedule: readonly number[];
  /** Deliveries in flight at once for this kind. */
  concurrency?: number;
  /** How long a claim holds; must exceed the transport's own timeout. */
  leaseMs?: number;
  /** How often to look for due messages when nothing wakes the worker. */
  pollMs?: number;
}

/**
 * Delivers one kind of outbox message. Claims each message with a conditional UPDATE (so two
 * workers, even in two processes, never send one message at once), does the I/O outside any
 * transaction, then records the attempt and the outcome — with the handler's domain changes —
 * in one transaction. A crash mid-delivery leaves a lapsed lease: the message is sent again
 * (at least once).
 */
export class OutboxWorker<P = unknown> {
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly ctx: CoreContext,
    private readonly handler: OutboxHandler<P>,
    private readonly options: OutboxWorkerOptions,
  ) {
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1_000;
  }

  get kind(): string {
    return this.handler.kind;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Waits for a scan under way and the deliveries in flight; claims nothing new. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    // A scan may be claiming a message right now: its delivery joins inFlight when it ends.
    await this.ticking;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Look for due messages now (after an enqueue, a "retry now", or the network coming back). */
  kick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true; // a kick during a scan: scan once more when it ends
      return;
    }
    this.ticking = this.claimDue()
      .catch(() => undefined) // the database is away: the poll timer tries again
      .finally(() => {
        this.ticking = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** For tests and shutdown: resolves when nothing is due or in flight. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      this.kick();
      const due = (await this.ctx.store.read((t) => t.outbox.due(this.handler.kind, this.ctx.clock.now(), 1))).length;
      if (this.inFlight.size === 0 && due === 0) return;
      if (Date.now() > until) throw new Error(`outbox ${this.handler.kind} not idle after ${timeoutMs} ms`);
      await Promise.race([...this.inFlight.values(), new Promise((r) => setTimeout(r, 10))]);
      await this.ticking;
    }
  }

  private async claimDue(): Promise<void> {
    const { store, clock } = this.ctx;
    const room = this.concurrency - this.inFlight.size;
    if (room <= 0) return;
    const now = clock.now();
    // Ask for more than there is room for: some due messages may already be in flight here.
    const candidates = await store.read((t) => t.outbox.due<P>(this.handler.kind, now, room + this.inFlight.size));
    for (const candidate of candidates) {
      if (this.inFlight.size >= this.concurrency || this.stopped) break;
      if (this.inFlight.has(candidate.id)) continue;
      const claimed = await store.tx(async (t) => {
        if (!(await t.outbox.claim(candidate.id, now, now + this.leaseMs))) return undefined;
        const message = (await t.outbox.get<P>(candidate.id))!;
        await this.handler.onAttemptStarted?.(t, message);
        return message;
      });
      if (!claimed) continue;
      const run = this.deliver(claimed)
        // Recording failed (the database went away): the lease lapses and the message is sent again.
        .catch(() => undefined)
        .finally(() => {
          this.inFlight.delete(claimed.id);
          setImmediate(() => this.kick());
        });
      this.inFlight.set(claimed.id, run);
    }
  }

  private async deliver(message: OutboxMessage<P>): Promise<void> {
    const startedAt = this.ctx.clock.now();
    const t0 = performance.now();
    let result: DeliveryResult;
    try {
      result = await this.handler.deliver(message);
    } catch (err) {
      result = { ok: false, retryable: true, error: err instanceof Error ? err.message : String(err) };
    }
    const durationMs = Math.round(performance.now() - t0);
    await this.record(message, result, startedAt, durationMs);
  }

  private async record(message: OutboxMessage<P>, result: DeliveryResult, startedAt: number, durationMs: number): Promise<void> {
    const { store, clock } = this.ctx;
    const error = result.ok ? null : (result.error ?? 'delivery failed').slice(0, 1000);
    await store.tx(async (t) => {
      const now = clock.now();
      await t.outbox.recordAttempt({
        messageId: message.id,
        attempt: message.attempts,
        startedAt,
        durationMs,
        ok: result.ok,
        statusCode: result.statusCode ?? null,
        error,
        responseSnippet: result.responseSnippet?.slice(0, 500) ?? null,
      });
      if (result.ok) {
        await t.outbox.settle(message.id, 'succeeded', now, null, null);
        await this.handler.onSucceeded?.(t, message, result);
        return;
      }
      const next = result.retryable === false ? null : nextAttemptAt(this.options.retrySchedule, message.attempts, now);
      await t.outbox.settle(message.id, next === null ? 'failed' : 'queued', now, next, error);
      await this.handler.onFailed?.(t, message, result, next === null, next);
    });
  }
}
