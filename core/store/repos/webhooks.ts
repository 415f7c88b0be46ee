import type { OutboxMessage } from '../../outbox/types';
import type { WebhookDeliveryFilter, WebhookEncryption, WebhookEndpointRecord } from '../../webhooks/types';
import type { Sql } from '../sql/executor';
import { pageOf } from '../sql/page';
import type { Page, PageQuery } from '../types';
import { toOutbox, type OutboxRow } from './outbox';
import { isSealed, openNullable, sealNullable, type SecretBox } from '../../secrets';

interface WebhookEndpointRow {
  seq: number;
  id: string;
  url: string;
  description: string | null;
  events: string;
  enabled: number;
  encryption: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  encryption_key: string | null;
  health: string;
  failing_since: number | null;
  last_success_at: number | null;
  last_failure_at: number | null;
  last_error: string | null;
  after_event_id: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  livemode: number;
}

function toEndpoint(r: WebhookEndpointRow, secrets: SecretBox): WebhookEndpointRecord {
  return {
    seq: r.seq,
    id: r.id,
    livemode: r.livemode === 1,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events) as string[],
    enabled: r.enabled === 1,
    encryption: r.encryption as WebhookEncryption,
    secret: secrets.open(r.secret),
    previousSecret: openNullable(secrets, r.previous_secret),
    previousSecretExpiresAt: r.previous_secret_expires_at,
    encryptionKey: openNullable(secrets, r.encryption_key),
    health: r.health as WebhookEndpointRecord['health'],
    failingSince: r.failing_since,
    lastSuccessAt: r.last_success_at,
    lastFailureAt: r.last_failure_at,
    lastError: r.last_error,
    afterEventId: r.after_event_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
}

export type WebhooksRepo = ReturnType<typeof webhooksRepo>;

/**
 * Webhook endpoints. Their deliveries are outbox messages of kind 'webhook', queue = endpoint id.
 * The signing secrets and payload key are stored sealed (core/secrets.ts).
 */
export function webhooksRepo(sql: Sql, secrets: SecretBox) {
  const toWebhookEndpoint = (r: WebhookEndpointRow): WebhookEndpointRecord => toEndpoint(r, secrets);
  const sealed = <T extends { secret: string; previousSecret: string | null; encryptionKey: string | null }>(e: T): T => ({
    ...e,
    secret: isSealed(e.secret) ? e.secret : secrets.seal(e.secret),
    previousSecret: sealNullable(secrets, e.previousSecret),
    encryptionKey: sealNullable(secrets, e.encryptionKey),
  });
  return {
    insert: async (e: Omit<WebhookEndpointRecord, 'seq'>): Promise<void> => {
      await sql.run(
        `INSERT INTO webhook_endpoints (id, url, description, events, enabled, encryption, secret, previous_secret,
           previous_secret_expires_at, encryption_key, health, failing_since, last_success_at, last_failure_at, last_error,
           after_event_id, livemode, created_at, updated_at, deleted_at)
         VALUES (@id, @url, @description, @events, @enabled, @encryption, @secret, @previousSecret,
           @previousSecretExpiresAt, @encryptionKey, @health, @failingSince, @lastSuccessAt, @lastFailureAt, @lastError,
           @afterEventId, @livemode, @createdAt, @updatedAt, @deletedAt)`,
        { ...sealed(e), events: JSON.stringify(e.events) },
      );
    },
    /** A live (not deleted) endpoint. */
    get: async (id: string): Promise<WebhookEndpointRecord | undefined> => {
      const r = await sql.get<WebhookEndpointRow>('SELECT * FROM webhook_endpoints WHERE id = @id AND deleted_at IS NULL', { id });
      return r && toWebhookEndpoint(r);
    },
    /** Enabled, live endpoints, oldest first: the fan-out's targets. */
    active: async (): Promise<WebhookEndpointRecord[]> =>
      (await sql.all<WebhookEndpointRow>('SELECT * FROM webhook_endpoints WHERE deleted_at IS NULL AND enabled = 1 ORDER BY seq')).map(toWebhookEndpoint),
    list: (page: PageQuery, livemode?: boolean): Promise<Page<WebhookEndpointRecord>> =>
      pageOf<WebhookEndpointRow, WebhookEndpointRecord>(
        sql,
        'SELECT w.* FROM webhook_endpoints w',
        livemode === undefined ? ['w.deleted_at IS NULL'] : ['w.deleted_at IS NULL', 'w.livemode = @livemode'],
        livemode === undefined ? {} : { livemode: livemode ? 1 : 0 },
        page,
        toWebhookEndpoint,
        'w',
      ),
    /** Writes everything but id, seq, afterEventId and createdAt. */
    update: async (endpoint: WebhookEndpointRecord): Promise<void> => {
      const e = sealed(endpoint);
      await sql.run(
        `UPDATE webhook_endpoints SET url = @url, description = @description, events = @events, enabled = @enabled,
           encryption = @encryption, secret = @secret, previous_secret = @previousSecret,
           previous_secret_expires_at = @previousSecretExpiresAt, encryption_key = @encryptionKey, health = @health,
           failing_since = @failingSince, last_success_at = @lastSuccessAt, last_failure_at = @lastFailureAt,
           last_error = @lastError, updated_at = @updatedAt, deleted_at = @deletedAt
         WHERE id = @id`,
        {
          id: e.id,
          url: e.url,
          description: e.description,
          events: JSON.stringify(e.events),
          enabled: e.enabled,
          encryption: e.encryption,
          secret: e.secret,
          previousSecret: e.previousSecret,
          previousSecretExpiresAt: e.previousSecretExpiresAt,
          encryptionKey: e.encryptionKey,
          health: e.health,
          failingSince: e.failingSince,
          lastSuccessAt: e.lastSuccessAt,
          lastFailureAt: e.lastFailureAt,
          lastError: e.lastError,
          updatedAt: e.updatedAt,
          deletedAt: e.deletedAt,
        },
      );
    },
    /** Seals the secrets of endpoints stored before sealing (deleted ones too); how many rows changed. */
    sealPlain: async (): Promise<number> => {
      const rows = await sql.all<Pick<WebhookEndpointRow, 'id' | 'secret' | 'previous_secret' | 'encryption_key'>>(
        `SELECT id, secret, previous_secret, encryption_key FROM webhook_endpoints
         WHERE secret NOT LIKE 'sealed:v1:%' OR previous_secret NOT LIKE 'sealed:v1:%' OR encryption_key NOT LIKE 'sealed:v1:%'`,
      );
      for (const r of rows) {
        await sql.run('UPDATE webhook_endpoints SET secret = @secret, previous_secret = @previousSecret, encryption_key = @encryptionKey WHERE id = @id', {
          id: r.id,
          secret: isSealed(r.secret) ? r.secret : secrets.seal(r.secret),
          previousSecret: sealNullable(secrets, r.previous_secret),
          encryptionKey: sealNullable(secrets, r.encryption_key),
        });
      }
      return rows.length;
    },
    /** Ends the endpoint's deliveries that have not started: they will never be sent. */
    failQueued: (endpointId: string, reason: string, now: number): Promise<number> =>
      sql.run(
        `UPDATE outbox_messages SET status = 'failed', last_error = @reason, finished_at = @now, updated_at = @now
         WHERE kind = 'webhook' AND queue = @endpointId AND status = 'queued'`,
        { endpointId, reason, now },
      ),
    /** The delivery log: webhook outbox messages, newest first. */
    deliveries: (filter: WebhookDeliveryFilter, page: PageQuery): Promise<Page<OutboxMessage>> => {
      const clauses = [`m.kind = 'webhook'`];
      const params: Record<string, string | number> = {};
      if (filter.livemode !== undefined) {
        clauses.push('m.queue IN (SELECT w.id FROM webhook_endpoints w WHERE w.livemode = @livemode)');
        params.livemode = filter.livemode ? 1 : 0;
      }
      if (filter.endpointId !== undefined) {
        clauses.push('m.queue = @endpointId');
        params.endpointId = filter.endpointId;
      }
      if (filter.status !== undefined) {
        clauses.push('m.status = @status');
        params.status = filter.status;
      }
      return pageOf<OutboxRow, OutboxMessage>(sql, 'SELECT m.* FROM outbox_messages m', clauses, params, page, (r) => toOutbox(r), 'm');
    },
  };
}
