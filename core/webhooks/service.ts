import type { CoreContext, Tx } from '../context';
import { DomainError, notFound } from '../errors';
import { isLive, visibleIn, type Mode } from '../mode';
import { newId } from '../ids';
import { enqueue } from '../outbox/outbox';
import type { OutboxMessage } from '../outbox/types';
import type { Page, PageQuery } from '../store/types';
import { Checker } from '../validate';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './dispatcher';
import { checkEncryption, checkEndpointUrl, checkEventPatterns } from './input';
import { newEncryptionKey, newWebhookSecret } from './signing';
import {
  WEBHOOK_KIND,
  type WebhookDeliveryFilter,
  type WebhookDeliveryView,
  type WebhookEndpointRecord,
  type WebhookEndpointView,
  type WebhookPayload,
} from './types';
import { deliveryView, endpointView } from './view';
import { LIMITS } from '../limits';

/** How long a rotated-out secret keeps signing beside the new one. */
export const SECRET_OVERLAP_MS = 24 * 3600_000;

/**
 * The merchant's webhook endpoints and their delivery log. Every change is one transaction with
 * its event (`webhook_endpoint.*`); deliveries go through the shared outbox (see dispatcher.ts).
 * Secrets are stored so they can sign, and leave this service only in the response that made
 * them (create, rotate, switching encryption on).
 */
export class WebhooksService {
  readonly dispatcher: WebhookDispatcher;

  constructor(
    private readonly ctx: CoreContext,
    options: WebhookDispatcherOptions = {},
  ) {
    this.dispatcher = new WebhookDispatcher(ctx, options);
  }

  /** A live endpoint of `mode` (any mode when undefined); another mode's is not found. */
  private async record(t: Tx, id: string, mode?: Mode): Promise<WebhookEndpointRecord> {
    const e = await t.webhooks.get(id);
    if (!e || !visibleIn(e.livemode, mode)) throw notFound('webhook endpoint', id);
    return e;
  }

  private view(e: WebhookEndpointRecord): WebhookEndpointView {
    return endpointView(e, this.ctx.clock.now());
  }

  async get(id: string, mode?: Mode): Promise<WebhookEndpointView> {
    return this.view(await this.ctx.store.read((t) => this.record(t, id, mode)));
  }

  async list(page: PageQuery, mode?: Mode): Promise<Page<WebhookEndpointView>> {
    const result = await this.ctx.store.read((t) => t.webhooks.list(page, mode === undefined ? undefined : isLive(mode)));
    return { data: result.data.map((e) => this.view(e)), nextCursor: result.nextCursor };
  }

  create(input: Record<string, unknown>, mode: Mode = 'test'): Promise<WebhookEndpointView> {
    return this.ctx.store.tx((t) => this.createIn(t, input, mode));
  }

  /** Creates an endpoint in the caller's transaction (the API's idempotent POST). */
  async createIn(t: Tx, input: Record<string, unknown>, mode: Mode = 'test'): Promise<WebhookEndpointView> {
    const { clock, events } = this.ctx;
    const c = new Checker();
    const url = checkEndpointUrl(c, input.url);
    const description = c.optionalText(input.description, 'description', LIMITS.description) ?? null;
    const patterns = input.events === undefined ? ['*'] : checkEventPatterns(c, input.events);
    let enabled = true;
    if (input.enabled !== undefined) {
      if (typeof input.enabled === 'boolean') enabled = input.enabled;
      else c.fail('enabled', 'must be true or false');
    }
    const encryption = input.encryption === undefined ? 'none' : checkEncryption(c, input.encryption);
    c.throwIfAny();
    const now = clock.now();
    const endpoint: Omit<WebhookEndpointRecord, 'seq'> = {
      id: newId('we'),
      livemode: isLive(mode),
      url: url!,
      description,
      events: patterns!,
      enabled,
      encryption: encryption!,
      secret: newWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      encryptionKey: encryption === 'aes-256-cbc' ? newEncryptionKey() : null,
      health: 'healthy',
      failingSince: null,
      lastSuccessAt: null,
      lastFailureAt: null,
      lastError: null,
      afterEventId: 0,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    // Events committed before the endpoint existed are not for it. Its own creation event
    // (written at commit, id unknown here) is left out by the fan-out (see dispatcher.ts).
    endpoint.afterEventId = await t.eventLog.lastId();
    await t.webhooks.insert(endpoint);
    const view = this.view({ ...endpoint, seq: 0 });
    events.append(t, 'webhook_endpoint.created', view);
    return { ...view, secret: endpoint.secret, ...(endpoint.encryptionKey ? { encryptionKey: endpoint.encryptionKey } : {}) };
  }

  async update(id: string, patch: Record<string, unknown>, mode?: Mode): Promise<WebhookEndpointView> {
    const { store, clock, events } = this.ctx;
    return store.tx(async (t) => {
      const current = await this.record(t, id, mode);
      const next: WebhookEndpointRecord = { ...current };
      const c = new Checker();
      for (const key of Object.keys(patch)) {
        if (patch[key] !== undefined && !['url', 'description', 'events', 'enabled', 'encryption'].includes(key)) c.fail(key, 'cannot be changed');
      }
      if (patch.url !== undefined) next.url = checkEndpointUrl(c, patch.url) ?? next.url;
      const description = c.optionalText(patch.description, 'description', LIMITS.description);
      if (description !== undefined) next.description = description;
      if (patch.events !== undefined) next.events = checkEventPatterns(c, patch.events) ?? next.events;
      if (patch.enabled !== undefined) {
        if (typeof patch.enabled === 'boolean') next.enabled = patch.enabled;
        else c.fail('enabled', 'must be true or false');
      }
      if (patch.encryption !== undefined) next.encryption = checkEncryption(c, patch.encryption) ?? next.encryption;
      c.throwIfAny();
      const now = clock.now();
      let newKey: string | undefined;
      if (next.encryption === 'aes-256-cbc' && current.encryption !== 'aes-256-cbc') next.encryptionKey = newKey = newEncryptionKey();
      if (next.encryption === 'none') next.encryptionKey = null;
      next.updatedAt = now;
      await t.webhooks.update(next);
      // A disabled endpoint receives nothing: what waits for it ends here (staff may redeliver later).
      if (current.enabled && !next.enabled) await t.webhooks.failQueued(id, 'endpoint disabled', now);
      const view = this.view(next);
      events.append(t, 'webhook_endpoint.updated', view);
      return newKey ? { ...view, encryptionKey: newKey } : view;
    });
  }

  /** Deletes the endpoint (its delivery log stays readable); deliveries not yet sent are dropped. */
  async delete(id: string, mode?: Mode): Promise<void> {
    const { store, clock, events } = this.ctx;
    await store.tx(async (t) => {
      const current = await this.record(t, id, mode);
      const now = clock.now();
      const next: WebhookEndpointRecord = { ...current, enabled: false, deletedAt: now, updatedAt: now };
      await t.webhooks.update(next);
      await t.webhooks.failQueued(id, 'endpoint deleted', now);
      events.append(t, 'webhook_endpoint.deleted', { ...this.view(current), deleted: true });
    });
  }

  /** A new secret; the old one keeps signing beside it for 24 h. Returned once, here. */
  async rotateSecret(id: string, mode?: Mode): Promise<WebhookEndpointView> {
    const { store, clock, events } = this.ctx;
    return store.tx(async (t) => {
      const current = await this.record(t, id, mode);
      const now = clock.now();
      const next: WebhookEndpointRecord = {
        ...current,
        secret: newWebhookSecret(),
        previousSecret: current.secret,
        previousSecretExpiresAt: now + SECRET_OVERLAP_MS,
        updatedAt: now,
      };
      await t.webhooks.update(next);
      const view = this.view(next);
      events.append(t, 'webhook_endpoint.updated', view);
      return { ...view, secret: next.secret };
    });
  }

  /** Queues a `webhook.test` message to this endpoint only; it does not wait behind a retrying backlog. */
  async sendTest(id: string, mode?: Mode): Promise<WebhookDeliveryView> {
    const { store, clock } = this.ctx;
    const delivery = await store.tx(async (t) => {
      const endpoint = await this.record(t, id, mode);
      if (!endpoint.enabled) throw new DomainError('conflict', 'The endpoint is disabled; enable it to send a test event.');
      const now = clock.now();
      const payload: WebhookPayload = {
        endpointId: id,
        messageId: newId('msg'),
        type: 'webhook.test',
        eventId: null,
        occurredAt: now,
        data: { endpointId: id, message: 'A test event from Counterlink. If you can read this, your endpoint works.' },
      };
      return enqueue(this.ctx, t, WEBHOOK_KIND, payload, { id: newId('whd'), queue: id, ordered: false });
    });
    this.dispatcher.worker.kick();
    return deliveryView(delivery, []);
  }

  async deliveries(filter: WebhookDeliveryFilter, page: PageQuery): Promise<Page<WebhookDeliveryView>> {
    return this.ctx.store.read(async (t) => {
      const result = await t.webhooks.deliveries(filter, page);
      const data: WebhookDeliveryView[] = [];
      for (const m of result.data) data.push(deliveryView(m as OutboxMessage<WebhookPayload>, await t.outbox.attempts(m.id)));
      return { data, nextCursor: result.nextCursor };
    });
  }

  async delivery(id: string): Promise<WebhookDeliveryView> {
    return this.ctx.store.read((t) => this.deliveryIn(t, id));
  }

  private async deliveryIn(t: Tx, id: string): Promise<WebhookDeliveryView> {
    const m = await t.outbox.get<WebhookPayload>(id);
    if (!m || m.kind !== WEBHOOK_KIND) throw notFound('webhook delivery', id);
    return deliveryView(m, await t.outbox.attempts(id));
  }

  /** Sends the message again, with the same webhook-id; a delivery waiting for its retry goes now. */
  async redeliver(id: string): Promise<WebhookDeliveryView> {
    const { store, clock } = this.ctx;
    const view = await store.tx(async (t) => {
      const m = await t.outbox.get<WebhookPayload>(id);
      if (!m || m.kind !== WEBHOOK_KIND) throw notFound('webhook delivery', id);
      const endpoint = await t.webhooks.get(m.payload.endpointId);
      if (!endpoint) throw new DomainError('conflict', 'The endpoint of this delivery was deleted.');
      if (!endpoint.enabled) throw new DomainError('conflict', 'The endpoint is disabled; enable it to redeliver.');
      if (!(await t.outbox.requeue(id, clock.now()))) throw new DomainError('conflict', 'The delivery is being sent right now; try again in a moment.');
      return this.deliveryIn(t, id);
    });
    this.dispatcher.worker.kick();
    return view;
  }
}
