import type { Db } from './database';
import { ValidationError } from '../errors';
import type { ApiKeyRow, DisplayRow, EventRow, LinkRow, PaymentRow, PointOfSaleRow } from './rows';
import type { LinkRecord, LinkStatus, LinkType, Locale, Reuse } from '../links/types';
import type { PaymentRecord, PaymentStatus } from '../payments/types';
import type { OutboxAttempt, OutboxMessage, OutboxStatus } from '../outbox/types';
import type { Channel, MessageCounts, NotificationFilter, NotificationRecord, NotificationStatus, Transport } from '../notifications/types';
import type { WebhookDeliveryFilter, WebhookEncryption, WebhookEndpointRecord } from '../webhooks/types';

/** One page of a newest-first list; `nextCursor` is opaque to callers. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

export function encodeCursor(seq: number): string {
  return Buffer.from(`s${seq}`).toString('base64url');
}

/** Undefined for a cursor we did not make: the caller reports it as a validation error. */
export function decodeCursor(cursor: string): number | undefined {
  const text = Buffer.from(cursor, 'base64url').toString();
  const match = /^s(\d{1,15})$/.exec(text);
  return match ? Number(match[1]) : undefined;
}

const LINK_SELECT = `SELECT l.*,
  CASE WHEN l.reuse = 'single' AND l.pending_count > 0 THEN
    (SELECT MIN(p.lock_expires_at) FROM payments p WHERE p.link_id = l.id AND p.status = 'pending')
  END AS locked_until
  FROM links l`;

/** Mirrors `linkStatus` in core/links/status.ts (kept in step by a property test). */
export const LINK_STATUS_SQL = `CASE
  WHEN l.cancelled_at IS NOT NULL THEN 'cancelled'
  WHEN l.reuse = 'single' AND l.used_count > 0 THEN 'consumed'
  WHEN l.expires_at IS NOT NULL AND @now >= l.expires_at THEN 'expired'
  WHEN l.enabled = 0 THEN 'disabled'
  WHEN l.reuse = 'multiple' AND l.max_uses IS NOT NULL AND l.used_count >= l.max_uses THEN 'usage_limit_reached'
  WHEN l.reuse = 'multiple' AND l.total_amount_limit IS NOT NULL
       AND l.total_amount_limit - l.used_amount < COALESCE(l.amount, l.min_amount, 1) THEN 'amount_limit_reached'
  WHEN l.reuse = 'single' AND l.pending_count > 0 THEN 'locked'
  ELSE 'enabled' END`;

interface OutboxRow {
  seq: number;
  id: string;
  kind: string;
  queue: string;
  ordered: number;
  status: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

function toOutbox<P>(r: OutboxRow): OutboxMessage<P> {
  return {
    seq: r.seq,
    id: r.id,
    kind: r.kind,
    queue: r.queue,
    ordered: r.ordered === 1,
    status: r.status as OutboxStatus,
    payload: JSON.parse(r.payload) as P,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    leaseUntil: r.lease_until,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

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
}

function toWebhookEndpoint(r: WebhookEndpointRow): WebhookEndpointRecord {
  return {
    seq: r.seq,
    id: r.id,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events) as string[],
    enabled: r.enabled === 1,
    encryption: r.encryption as WebhookEncryption,
    secret: r.secret,
    previousSecret: r.previous_secret,
    previousSecretExpiresAt: r.previous_secret_expires_at,
    encryptionKey: r.encryption_key,
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

interface NotificationRow {
  seq: number;
  id: string;
  link_id: string;
  channel: string;
  recipient: string;
  locale: string;
  message: string | null;
  status: string;
  attempts: number;
  last_error: string | null;
  transport: string | null;
  cost: number | null;
  cost_currency: string | null;
  provider_message_id: string | null;
  callback_secret_hash: string | null;
  outbox_id: string;
  file: string | null;
  next_attempt_at: number | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  delivered_at: number | null;
  failed_at: number | null;
}

function toNotification(r: NotificationRow): NotificationRecord {
  return {
    seq: r.seq,
    id: r.id,
    linkId: r.link_id,
    channel: r.channel as Channel,
    recipient: r.recipient,
    locale: r.locale as Locale,
    message: r.message,
    status: r.status as NotificationStatus,
    attempts: r.attempts,
    lastError: r.last_error,
    transport: r.transport as Transport | null,
    cost: r.cost,
    costCurrency: r.cost_currency,
    providerMessageId: r.provider_message_id,
    callbackSecretHash: r.callback_secret_hash,
    outboxId: r.outbox_id,
    file: r.file,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    failedAt: r.failed_at,
  };
}

/** Columns a notification change may write (record field -> column). */
const NOTIFICATION_COLUMNS = {
  status: 'status',
  attempts: 'attempts',
  lastError: 'last_error',
  transport: 'transport',
  cost: 'cost',
  costCurrency: 'cost_currency',
  providerMessageId: 'provider_message_id',
  callbackSecretHash: 'callback_secret_hash',
  file: 'file',
  nextAttemptAt: 'next_attempt_at',
  updatedAt: 'updated_at',
  sentAt: 'sent_at',
  deliveredAt: 'delivered_at',
  failedAt: 'failed_at',
} as const satisfies Partial<Record<keyof NotificationRecord, string>>;

export type NotificationChange = Partial<Pick<NotificationRecord, keyof typeof NOTIFICATION_COLUMNS>>;

function json<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function toLink(r: LinkRow): LinkRecord {
  return {
    seq: r.seq,
    id: r.id,
    type: r.type as LinkType,
    name: r.name,
    description: r.description,
    pointOfSaleId: r.point_of_sale_id,
    amount: r.amount,
    currency: r.currency,
    minAmount: r.min_amount,
    reuse: r.reuse as Reuse,
    maxUses: r.max_uses,
    perPaymentLimit: r.per_payment_limit,
    totalAmountLimit: r.total_amount_limit,
    expiresAt: r.expires_at,
    locale: r.locale as Locale,
    country: r.country,
    metadata: json<Record<string, string>>(r.metadata) ?? {},
    refIdBase: r.ref_id_base,
    reference: r.reference,
    cancellable: r.cancellable === 1,
    callbackUrl: r.callback_url,
    lineItems: json(r.line_items),
    enabled: r.enabled === 1,
    cancelledAt: r.cancelled_at,
    expiredNotedAt: r.expired_noted_at,
    usedCount: r.used_count,
    usedAmount: r.used_amount,
    pendingCount: r.pending_count,
    pendingAmount: r.pending_amount,
    paymentCount: r.payment_count,
    nextRefSeq: r.next_ref_seq,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toPayment(r: PaymentRow): PaymentRecord {
  return {
    seq: r.seq,
    id: r.id,
    linkId: r.link_id,
    refId: r.ref_id,
    status: r.status as PaymentStatus,
    amount: r.amount,
    currency: r.currency,
    method: r.method,
    reference: r.reference,
    payerName: r.payer_name,
    payerEmail: r.payer_email,
    metadata: json<Record<string, string>>(r.metadata) ?? {},
    refundedAmount: r.refunded_amount,
    lockExpiresAt: r.lock_expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  };
}

export interface PointOfSaleRecord {
  id: string;
  name: string;
  currency: string;
  isDefault: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface EventRecord {
  id: number;
  type: string;
  createdAt: number;
  data: unknown;
}

export interface DisplayRecord {
  pointOfSaleId: string;
  mode: 'idle' | 'link' | 'result';
  linkId: string | null;
  paymentId: string | null;
  resultUntil: number | null;
  updatedAt: number;
}

export interface EventQuery {
  after?: number | undefined;
  before?: number | undefined;
  linkId?: string | undefined;
  order: 'asc' | 'desc';
  limit: number;
}

export interface SessionRecord {
  id: string;
  tokenHash: string;
  method: 'pin' | 'api_key';
  apiKeyId: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

interface SessionRow {
  id: string;
  token_hash: string;
  method: string;
  api_key_id: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface LinkFilter {
  now: number;
  status?: LinkStatus | undefined;
  pointOfSaleId?: string | undefined;
  createdAfter?: number | undefined;
  createdBefore?: number | undefined;
  expiresAfter?: number | undefined;
  expiresBefore?: number | undefined;
  q?: string | undefined;
}

export interface PaymentFilter {
  linkId?: string | undefined;
  status?: PaymentStatus | undefined;
  createdAfter?: number | undefined;
  createdBefore?: number | undefined;
}

/** Builds `WHERE … AND seq < @cursor ORDER BY seq DESC LIMIT n+1` and slices the page. */
function pageOf<R extends { seq: number }, T>(
  db: Db,
  select: string,
  clauses: string[],
  params: Record<string, unknown>,
  page: PageQuery,
  map: (r: R) => T,
  alias: string,
): Page<T> {
  const where = [...clauses];
  const bound: Record<string, unknown> = { ...params, limit: page.limit + 1 };
  if (page.cursor !== undefined) {
    const seq = decodeCursor(page.cursor);
    if (seq === undefined) throw ValidationError.field('cursor', 'is not a cursor this list gave out');
    where.push(`${alias}.seq < @cursorSeq`);
    bound.cursorSeq = seq;
  }
  const sql = `${select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${alias}.seq DESC LIMIT @limit`;
  const rows = db.prepare(sql).all(bound) as R[];
  const more = rows.length > page.limit;
  const slice = more ? rows.slice(0, page.limit) : rows;
  return { data: slice.map(map), nextCursor: more ? encodeCursor(slice[slice.length - 1]!.seq) : null };
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * The SQLite store: the only module that writes SQL. Services call these methods inside
 * `tx()`, so every state change is one short immediate transaction.
 */
export class Store {
  constructor(readonly db: Db) {}

  /** Runs `fn` in one IMMEDIATE transaction (a savepoint when nested). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  readonly settings = {
    get: <T>(key: string): T | undefined => {
      const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    set: (key: string, value: unknown): void => {
      this.db
        .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
        .run(key, JSON.stringify(value));
    },
  };

  readonly apiKeys = {
    insert: (k: { id: string; name: string; keyHash: string; prefix: string; role: string; createdAt: number }): void => {
      this.db
        .prepare('INSERT INTO api_keys (id, name, key_hash, prefix, role, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(k.id, k.name, k.keyHash, k.prefix, k.role, k.createdAt);
    },
    byHash: (hash: string): (ApiKeyRecord & { keyHash: string }) | undefined => {
      const r = this.db.prepare('SELECT * FROM api_keys WHERE key_hash = ?').get(hash) as ApiKeyRow | undefined;
      return r && { ...this.toApiKey(r), keyHash: r.key_hash };
    },
    count: (): number => (this.db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL').get() as { n: number }).n,
    touch: (id: string, at: number): void => {
      this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at, id);
    },
  };

  private toApiKey(r: ApiKeyRow): ApiKeyRecord {
    return { id: r.id, name: r.name, prefix: r.prefix, role: r.role, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
  }

  /** Staff browser sessions: looked up by the SHA-256 of the cookie's token, never the token. */
  readonly sessions = {
    insert: (r: SessionRecord): void => {
      this.db
        .prepare('INSERT INTO sessions (id, token_hash, method, api_key_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(r.id, r.tokenHash, r.method, r.apiKeyId, r.createdAt, r.lastSeenAt, r.expiresAt);
    },
    /** With `keyActive`: false when the API key that logged in was revoked (or is gone) since. */
    byTokenHash: (hash: string): (SessionRecord & { keyActive: boolean }) | undefined => {
      const r = this.db
        .prepare(
          `SELECT s.*, (k.id IS NOT NULL AND k.revoked_at IS NULL) AS key_active
           FROM sessions s LEFT JOIN api_keys k ON k.id = s.api_key_id WHERE s.token_hash = ?`,
        )
        .get(hash) as (SessionRow & { key_active: number }) | undefined;
      return (
        r && {
          id: r.id,
          tokenHash: r.token_hash,
          method: r.method as SessionRecord['method'],
          apiKeyId: r.api_key_id,
          createdAt: r.created_at,
          lastSeenAt: r.last_seen_at,
          expiresAt: r.expires_at,
          keyActive: r.key_active === 1,
        }
      );
    },
    touch: (id: string, at: number): void => {
      this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(at, id);
    },
    delete: (id: string): void => {
      this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    },
    deleteByMethod: (method: SessionRecord['method']): number => this.db.prepare('DELETE FROM sessions WHERE method = ?').run(method).changes,
    /** Ends sessions past their absolute end or idle longer than `idleBefore` allows. */
    purge: (now: number, idleBefore: number): number =>
      this.db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?').run(now, idleBefore).changes,
  };

  readonly pointsOfSale = {
    insert: (p: PointOfSaleRecord): void => {
      this.db
        .prepare('INSERT INTO points_of_sale (id, name, currency, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(p.id, p.name, p.currency, p.isDefault ? 1 : 0, p.createdAt, p.updatedAt);
    },
    get: (id: string): PointOfSaleRecord | undefined => {
      const r = this.db.prepare('SELECT * FROM points_of_sale WHERE id = ?').get(id) as PointOfSaleRow | undefined;
      return r && this.toPos(r);
    },
    default: (): PointOfSaleRecord | undefined => {
      const r = this.db.prepare('SELECT * FROM points_of_sale WHERE is_default = 1 ORDER BY seq LIMIT 1').get() as PointOfSaleRow | undefined;
      return r && this.toPos(r);
    },
    list: (): PointOfSaleRecord[] =>
      (this.db.prepare('SELECT * FROM points_of_sale ORDER BY seq').all() as PointOfSaleRow[]).map((r) => this.toPos(r)),
    update: (p: PointOfSaleRecord): void => {
      this.db.prepare('UPDATE points_of_sale SET name = ?, currency = ?, is_default = ?, updated_at = ? WHERE id = ?').run(p.name, p.currency, p.isDefault ? 1 : 0, p.updatedAt, p.id);
    },
    clearDefault: (): void => {
      this.db.prepare('UPDATE points_of_sale SET is_default = 0 WHERE is_default = 1').run();
    },
  };

  private toPos(r: PointOfSaleRow): PointOfSaleRecord {
    return { id: r.id, name: r.name, currency: r.currency, isDefault: r.is_default === 1, createdAt: r.created_at, updatedAt: r.updated_at };
  }

  readonly refIds = {
    /** False when the refId (or link base) is taken. */
    claim: (refId: string): boolean => this.db.prepare('INSERT OR IGNORE INTO ref_ids (ref_id) VALUES (?)').run(refId).changes === 1,
    exists: (refId: string): boolean => this.db.prepare('SELECT 1 FROM ref_ids WHERE ref_id = ?').get(refId) !== undefined,
  };

  readonly links = {
    insert: (l: Omit<LinkRecord, 'seq' | 'lockedUntil'>): void => {
      this.db
        .prepare(
          `INSERT INTO links (id, type, name, description, point_of_sale_id, amount, currency, min_amount, reuse, max_uses,
            per_payment_limit, total_amount_limit, expires_at, locale, country, metadata, ref_id_base, reference, cancellable,
            callback_url, line_items, enabled, cancelled_at, expired_noted_at, used_count, used_amount, pending_count,
            pending_amount, payment_count, next_ref_seq, created_at, updated_at)
           VALUES (@id, @type, @name, @description, @pointOfSaleId, @amount, @currency, @minAmount, @reuse, @maxUses,
            @perPaymentLimit, @totalAmountLimit, @expiresAt, @locale, @country, @metadata, @refIdBase, @reference, @cancellable,
            @callbackUrl, @lineItems, @enabled, @cancelledAt, @expiredNotedAt, @usedCount, @usedAmount, @pendingCount,
            @pendingAmount, @paymentCount, @nextRefSeq, @createdAt, @updatedAt)`,
        )
        .run({
          ...l,
          metadata: JSON.stringify(l.metadata),
          lineItems: l.lineItems === null ? null : JSON.stringify(l.lineItems),
          cancellable: l.cancellable ? 1 : 0,
          enabled: l.enabled ? 1 : 0,
        });
    },
    get: (id: string): LinkRecord | undefined => {
      const r = this.db.prepare(`${LINK_SELECT} WHERE l.id = ?`).get(id) as LinkRow | undefined;
      return r && toLink(r);
    },
    /** Writes the descriptive and limit fields a PATCH may change. Counters are never touched here. */
    updateFields: (l: LinkRecord): void => {
      this.db
        .prepare(
          `UPDATE links SET name = @name, description = @description, amount = @amount, currency = @currency,
            min_amount = @minAmount, max_uses = @maxUses, per_payment_limit = @perPaymentLimit,
            total_amount_limit = @totalAmountLimit, expires_at = @expiresAt, expired_noted_at = @expiredNotedAt,
            locale = @locale, country = @country, metadata = @metadata, reference = @reference,
            cancellable = @cancellable, callback_url = @callbackUrl, line_items = @lineItems, enabled = @enabled,
            updated_at = @updatedAt
           WHERE id = @id`,
        )
        .run({
          id: l.id,
          name: l.name,
          description: l.description,
          amount: l.amount,
          currency: l.currency,
          minAmount: l.minAmount,
          maxUses: l.maxUses,
          perPaymentLimit: l.perPaymentLimit,
          totalAmountLimit: l.totalAmountLimit,
          expiresAt: l.expiresAt,
          expiredNotedAt: l.expiredNotedAt,
          locale: l.locale,
          country: l.country,
          metadata: JSON.stringify(l.metadata),
          reference: l.reference,
          cancellable: l.cancellable ? 1 : 0,
          callbackUrl: l.callbackUrl,
          lineItems: l.lineItems === null ? null : JSON.stringify(l.lineItems),
          enabled: l.enabled ? 1 : 0,
          updatedAt: l.updatedAt,
        });
    },
    /**
     * Reserves one use and `amount` for a new pending payment, only if the link can take it
     * right now. The WHERE clause is the guard: of any number of concurrent starts, only those
     * that fit win. Returns false when the guard refused.
     */
    reserve: (id: string, amount: number, now: number): boolean =>
      this.db
        .prepare(
          `UPDATE links SET pending_count = pending_count + 1, pending_amount = pending_amount + @amount,
             payment_count = payment_count + 1, next_ref_seq = next_ref_seq + 1, updated_at = @now
           WHERE id = @id AND cancelled_at IS NULL AND enabled = 1
             AND (expires_at IS NULL OR expires_at > @now)
             AND (reuse = 'multiple' OR (used_count = 0 AND pending_count = 0))
             AND (max_uses IS NULL OR used_count + pending_count + 1 <= max_uses)
             AND (total_amount_limit IS NULL OR used_amount + pending_amount + @amount <= total_amount_limit)`,
        )
        .run({ id, amount, now }).changes === 1,
    /** Skips a refId sequence number that collided with an existing refId. */
    bumpRefSeq: (id: string): void => {
      this.db.prepare('UPDATE links SET next_ref_seq = next_ref_seq + 1 WHERE id = ?').run(id);
    },
    /** Gives back what a pending payment held and, on success, counts it as used. */
    settle: (id: string, amount: number, succeeded: boolean, now: number): void => {
      this.db
        .prepare(
          `UPDATE links SET pending_count = pending_count - 1, pending_amount = pending_amount - @amount,
             used_count = used_count + @used, used_amount = used_amount + @usedAmount, updated_at = @now
           WHERE id = @id`,
        )
        .run({ id, amount, used: succeeded ? 1 : 0, usedAmount: succeeded ? amount : 0, now });
    },
    /** Conditional: only a link that is not cancelled yet. */
    cancel: (id: string, now: number): boolean =>
      this.db.prepare('UPDATE links SET cancelled_at = @now, updated_at = @now WHERE id = @id AND cancelled_at IS NULL').run({ id, now }).changes === 1,
    /** Links past expiry whose `link.expired` has not been emitted yet. */
    dueForExpiry: (now: number): LinkRecord[] =>
      (
        this.db
          .prepare(`${LINK_SELECT} WHERE l.expires_at IS NOT NULL AND l.expired_noted_at IS NULL AND l.expires_at <= ? AND l.cancelled_at IS NULL LIMIT 500`)
          .all(now) as LinkRow[]
      ).map(toLink),
    noteExpired: (id: string, now: number): boolean =>
      this.db.prepare('UPDATE links SET expired_noted_at = ? WHERE id = ? AND expired_noted_at IS NULL').run(now, id).changes === 1,
    list: (filter: LinkFilter, page: PageQuery): Page<LinkRecord> => {
      const clauses: string[] = [];
      const params: Record<string, unknown> = { now: filter.now };
      if (filter.status) {
        clauses.push(`(${LINK_STATUS_SQL}) = @status`);
        params.status = filter.status;
      }
      if (filter.pointOfSaleId) {
        clauses.push('l.point_of_sale_id = @pos');
        params.pos = filter.pointOfSaleId;
      }
      if (filter.createdAfter !== undefined) {
        clauses.push('l.created_at > @createdAfter');
        params.createdAfter = filter.createdAfter;
      }
      if (filter.createdBefore !== undefined) {
        clauses.push('l.created_at < @createdBefore');
        params.createdBefore = filter.createdBefore;
      }
      if (filter.expiresAfter !== undefined) {
        clauses.push('l.expires_at > @expiresAfter');
        params.expiresAfter = filter.expiresAfter;
      }
      if (filter.expiresBefore !== undefined) {
        clauses.push('l.expires_at < @expiresBefore');
        params.expiresBefore = filter.expiresBefore;
      }
      if (filter.q) {
        clauses.push(`(l.name LIKE @q ESCAPE '\\' OR l.description LIKE @q ESCAPE '\\' OR l.ref_id_base LIKE @q ESCAPE '\\')`);
        params.q = likePattern(filter.q);
      }
      // The status CASE needs @now bound even without a status filter only if referenced.
      if (!filter.status) delete params.now;
      return pageOf<LinkRow, LinkRecord>(this.db, LINK_SELECT, clauses, params, page, toLink, 'l');
    },
  };

  readonly payments = {
    insert: (p: Omit<PaymentRecord, 'seq'>): void => {
      this.db
        .prepare(
          `INSERT INTO payments (id, link_id, ref_id, status, amount, currency, method, reference, payer_name, payer_email,
             metadata, refunded_amount, lock_expires_at, created_at, updated_at, completed_at)
           VALUES (@id, @linkId, @refId, @status, @amount, @currency, @method, @reference, @payerName, @payerEmail,
             @metadata, @refundedAmount, @lockExpiresAt, @createdAt, @updatedAt, @completedAt)`,
        )
        .run({ ...p, metadata: JSON.stringify(p.metadata) });
    },
    get: (id: string): PaymentRecord | undefined => {
      const r = this.db.prepare('SELECT * FROM payments WHERE id = ?').get(id) as PaymentRow | undefined;
      return r && toPayment(r);
    },
    /** Conditional: ends a payment only while it is still pending. False when it was not. */
    finish: (id: string, status: PaymentStatus, now: number): boolean =>
      this.db
        .prepare(`UPDATE payments SET status = @status, completed_at = @now, updated_at = @now WHERE id = @id AND status = 'pending'`)
        .run({ id, status, now }).changes === 1,
    /** Conditional: refunds only what is left of a succeeded payment. */
    refund: (id: string, amount: number, now: number): boolean =>
      this.db
        .prepare(
          `UPDATE payments SET refunded_amount = refunded_amount + @amount,
             status = CASE WHEN refunded_amount + @amount = amount THEN 'refunded' ELSE 'partially_refunded' END,
             updated_at = @now
           WHERE id = @id AND status IN ('succeeded', 'partially_refunded') AND refunded_amount + @amount <= amount`,
        )
        .run({ id, amount, now }).changes === 1,
    pendingForLink: (linkId: string): PaymentRecord[] =>
      (this.db.prepare(`SELECT * FROM payments WHERE link_id = ? AND status = 'pending' ORDER BY seq`).all(linkId) as PaymentRow[]).map(toPayment),
    lapsed: (now: number): PaymentRecord[] =>
      (this.db.prepare(`SELECT * FROM payments WHERE status = 'pending' AND lock_expires_at <= ? ORDER BY seq LIMIT 500`).all(now) as PaymentRow[]).map(toPayment),
    list: (filter: PaymentFilter, page: PageQuery): Page<PaymentRecord> => {
      const clauses: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter.linkId) {
        clauses.push('p.link_id = @linkId');
        params.linkId = filter.linkId;
      }
      if (filter.status) {
        clauses.push('p.status = @status');
        params.status = filter.status;
      }
      if (filter.createdAfter !== undefined) {
        clauses.push('p.created_at > @createdAfter');
        params.createdAfter = filter.createdAfter;
      }
      if (filter.createdBefore !== undefined) {
        clauses.push('p.created_at < @createdBefore');
        params.createdBefore = filter.createdBefore;
      }
      return pageOf<PaymentRow, PaymentRecord>(this.db, 'SELECT p.* FROM payments p', clauses, params, page, toPayment, 'p');
    },
  };

  readonly events = {
    insert: (type: string, createdAt: number, data: unknown): number =>
      Number(this.db.prepare('INSERT INTO events (type, created_at, data) VALUES (?, ?, ?)').run(type, createdAt, JSON.stringify(data)).lastInsertRowid),
    after: (afterId: number, limit: number): EventRecord[] =>
      (this.db.prepare('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as EventRow[]).map((r) => ({
        id: r.id,
        type: r.type,
        createdAt: r.created_at,
        data: JSON.parse(r.data) as unknown,
      })),
    lastId: (): number => (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM events').get() as { id: number }).id,
    /**
     * A reader's view of the log: between two ids, in either order, optionally only the events
     * about one link (link.* of it, and everything whose data names it as `linkId`: its payments,
     * its display changes).
     */
    query: (q: EventQuery): EventRecord[] => {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: q.limit };
      if (q.after !== undefined) {
        where.push('id > @after');
        params.after = q.after;
      }
      if (q.before !== undefined) {
        where.push('id < @before');
        params.before = q.before;
      }
      if (q.linkId !== undefined) {
        where.push(`(json_extract(data, '$.linkId') = @linkId OR (type LIKE 'link.%' AND json_extract(data, '$.id') = @linkId))`);
        params.linkId = q.linkId;
      }
      const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${q.order === 'desc' ? 'DESC' : 'ASC'} LIMIT @limit`;
      return (this.db.prepare(sql).all(params) as EventRow[]).map((r) => ({ id: r.id, type: r.type, createdAt: r.created_at, data: JSON.parse(r.data) as unknown }));
    },
  };

  readonly idempotency = {
    get: (scope: string, key: string): { requestHash: string; statusCode: number; body: string; createdAt: number } | undefined => {
      const r = this.db.prepare('SELECT request_hash, status_code, response_body, created_at FROM idempotency_keys WHERE scope = ? AND key = ?').get(scope, key) as
        | { request_hash: string; status_code: number; response_body: string; created_at: number }
        | undefined;
      return r && { requestHash: r.request_hash, statusCode: r.status_code, body: r.response_body, createdAt: r.created_at };
    },
    put: (scope: string, key: string, requestHash: string, statusCode: number, body: string, now: number): void => {
      this.db
        .prepare(
          `INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response_body, created_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(scope, key) DO UPDATE SET request_hash = excluded.request_hash, status_code = excluded.status_code,
             response_body = excluded.response_body, created_at = excluded.created_at`,
        )
        .run(scope, key, requestHash, statusCode, body, now);
    },
    purgeOlderThan: (cutoff: number): number => this.db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(cutoff).changes,
  };

  readonly outbox = {
    insert: (m: { id: string; kind: string; queue: string; ordered: boolean; payload: unknown; nextAttemptAt: number; createdAt: number }): void => {
      this.db
        .prepare(
          `INSERT INTO outbox_messages (id, kind, queue, ordered, status, payload, next_attempt_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
        )
        .run(m.id, m.kind, m.queue, m.ordered ? 1 : 0, JSON.stringify(m.payload), m.nextAttemptAt, m.createdAt, m.createdAt);
    },
    get: <P>(id: string): OutboxMessage<P> | undefined => {
      const r = this.db.prepare('SELECT * FROM outbox_messages WHERE id = ?').get(id) as OutboxRow | undefined;
      return r && toOutbox<P>(r);
    },
    /**
     * Messages of `kind` a worker may take now: queued and due, or 'sending' with a lapsed lease
     * (the process died mid-delivery). An ordered message waits while an earlier one of its
     * queue is unfinished, so one endpoint's backlog never reorders and never blocks another's.
     */
    due: <P>(kind: string, now: number, limit: number): OutboxMessage<P>[] =>
      (
        this.db
          .prepare(
            `SELECT m.* FROM outbox_messages m
             WHERE m.kind = @kind
               AND ((m.status = 'queued' AND m.next_attempt_at <= @now) OR (m.status = 'sending' AND m.lease_until <= @now))
               AND (m.ordered = 0 OR NOT EXISTS (
                 SELECT 1 FROM outbox_messages e WHERE e.queue = m.queue AND e.ordered = 1 AND e.seq < m.seq
                   AND e.status IN ('queued', 'sending')))
             ORDER BY m.next_attempt_at, m.seq LIMIT @limit`,
          )
          .all({ kind, now, limit }) as OutboxRow[]
      ).map((r) => toOutbox<P>(r)),
    /** Conditional claim: of two workers (or processes) only one gets the message. */
    claim: (id: string, now: number, leaseUntil: number): boolean =>
      this.db
        .prepare(
          `UPDATE outbox_messages SET status = 'sending', attempts = attempts + 1, lease_until = @leaseUntil, updated_at = @now
           WHERE id = @id AND ((status = 'queued' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until <= @now))`,
        )
        .run({ id, now, leaseUntil }).changes === 1,
    /** Ends or reschedules a message this worker holds ('sending'). */
    settle: (id: string, status: OutboxStatus, now: number, nextAttemptAt: number | null, error: string | null): void => {
      this.db
        .prepare(
          `UPDATE outbox_messages SET status = @status, lease_until = NULL, last_error = @error, updated_at = @now,
             next_attempt_at = COALESCE(@next, next_attempt_at),
             finished_at = CASE WHEN @status IN ('succeeded', 'failed') THEN @now ELSE NULL END
           WHERE id = @id AND status = 'sending'`,
        )
        .run({ id, status, now, next: nextAttemptAt, error });
    },
    /** Staff's "retry now", or a redelivery: queued again, due at once. */
    requeue: (id: string, now: number): boolean =>
      this.db
        .prepare(
          `UPDATE outbox_messages SET status = 'queued', next_attempt_at = @now, finished_at = NULL, updated_at = @now
           WHERE id = @id AND status IN ('queued', 'failed', 'succeeded')`,
        )
        .run({ id, now }).changes === 1,
    recordAttempt: (a: OutboxAttempt): void => {
      this.db
        .prepare(
          `INSERT INTO outbox_attempts (message_id, attempt, started_at, duration_ms, ok, status_code, error, response_snippet)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(a.messageId, a.attempt, a.startedAt, a.durationMs, a.ok ? 1 : 0, a.statusCode, a.error, a.responseSnippet);
    },
    attempts: (messageId: string): OutboxAttempt[] =>
      (
        this.db.prepare('SELECT * FROM outbox_attempts WHERE message_id = ? ORDER BY attempt').all(messageId) as {
          message_id: string;
          attempt: number;
          started_at: number;
          duration_ms: number;
          ok: number;
          status_code: number | null;
          error: string | null;
          response_snippet: string | null;
        }[]
      ).map((r) => ({
        messageId: r.message_id,
        attempt: r.attempt,
        startedAt: r.started_at,
        durationMs: r.duration_ms,
        ok: r.ok === 1,
        statusCode: r.status_code,
        error: r.error,
        responseSnippet: r.response_snippet,
      })),
    /** Earliest time any message of `kind` becomes due (for the worker's next wake-up). */
    nextDueAt: (kind: string): number | null =>
      (this.db.prepare(`SELECT MIN(next_attempt_at) AS t FROM outbox_messages WHERE kind = ? AND status = 'queued'`).get(kind) as { t: number | null }).t,
    countUnfinished: (kind: string): number =>
      (this.db.prepare(`SELECT COUNT(*) AS n FROM outbox_messages WHERE kind = ? AND status IN ('queued', 'sending')`).get(kind) as { n: number }).n,
  };

  /** Webhook endpoints (issue #5). Their deliveries are outbox messages of kind 'webhook', queue = endpoint id. */
  readonly webhooks = {
    insert: (e: Omit<WebhookEndpointRecord, 'seq'>): void => {
      this.db
        .prepare(
          `INSERT INTO webhook_endpoints (id, url, description, events, enabled, encryption, secret, previous_secret,
             previous_secret_expires_at, encryption_key, health, failing_since, last_success_at, last_failure_at, last_error,
             after_event_id, created_at, updated_at, deleted_at)
           VALUES (@id, @url, @description, @events, @enabled, @encryption, @secret, @previousSecret,
             @previousSecretExpiresAt, @encryptionKey, @health, @failingSince, @lastSuccessAt, @lastFailureAt, @lastError,
             @afterEventId, @createdAt, @updatedAt, @deletedAt)`,
        )
        .run({ ...e, events: JSON.stringify(e.events), enabled: e.enabled ? 1 : 0 });
    },
    /** A live (not deleted) endpoint. */
    get: (id: string): WebhookEndpointRecord | undefined => {
      const r = this.db.prepare('SELECT * FROM webhook_endpoints WHERE id = ? AND deleted_at IS NULL').get(id) as WebhookEndpointRow | undefined;
      return r && toWebhookEndpoint(r);
    },
    /** Enabled, live endpoints, oldest first: the fan-out's targets. */
    active: (): WebhookEndpointRecord[] =>
      (this.db.prepare('SELECT * FROM webhook_endpoints WHERE deleted_at IS NULL AND enabled = 1 ORDER BY seq').all() as WebhookEndpointRow[]).map(
        toWebhookEndpoint,
      ),
    list: (page: PageQuery): Page<WebhookEndpointRecord> =>
      pageOf<WebhookEndpointRow, WebhookEndpointRecord>(this.db, 'SELECT w.* FROM webhook_endpoints w', ['w.deleted_at IS NULL'], {}, page, toWebhookEndpoint, 'w'),
    /** Writes everything but id, seq, afterEventId and createdAt. */
    update: (e: WebhookEndpointRecord): void => {
      this.db
        .prepare(
          `UPDATE webhook_endpoints SET url = @url, description = @description, events = @events, enabled = @enabled,
             encryption = @encryption, secret = @secret, previous_secret = @previousSecret,
             previous_secret_expires_at = @previousSecretExpiresAt, encryption_key = @encryptionKey, health = @health,
             failing_since = @failingSince, last_success_at = @lastSuccessAt, last_failure_at = @lastFailureAt,
             last_error = @lastError, updated_at = @updatedAt, deleted_at = @deletedAt
           WHERE id = @id`,
        )
        .run({
          id: e.id,
          url: e.url,
          description: e.description,
          events: JSON.stringify(e.events),
          enabled: e.enabled ? 1 : 0,
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
        });
    },
    /** Ends the endpoint's deliveries that have not started: they will never be sent. */
    failQueued: (endpointId: string, reason: string, now: number): number =>
      this.db
        .prepare(
          `UPDATE outbox_messages SET status = 'failed', last_error = @reason, finished_at = @now, updated_at = @now
           WHERE kind = 'webhook' AND queue = @endpointId AND status = 'queued'`,
        )
        .run({ endpointId, reason, now }).changes,
    /** The delivery log: webhook outbox messages, newest first. */
    deliveries: (filter: WebhookDeliveryFilter, page: PageQuery): Page<OutboxMessage> => {
      const clauses = [`m.kind = 'webhook'`];
      const params: Record<string, unknown> = {};
      if (filter.endpointId !== undefined) {
        clauses.push('m.queue = @endpointId');
        params.endpointId = filter.endpointId;
      }
      if (filter.status !== undefined) {
        clauses.push('m.status = @status');
        params.status = filter.status;
      }
      return pageOf<OutboxRow, OutboxMessage>(this.db, 'SELECT m.* FROM outbox_messages m', clauses, params, page, (r) => toOutbox(r), 'm');
    },
  };

  readonly notifications = {
    insert: (n: Omit<NotificationRecord, 'seq'>): void => {
      this.db
        .prepare(
          `INSERT INTO notifications (id, link_id, channel, recipient, locale, message, status, attempts, last_error, transport,
             cost, cost_currency, provider_message_id, callback_secret_hash, outbox_id, file, next_attempt_at, created_at,
             updated_at, sent_at, delivered_at, failed_at)
           VALUES (@id, @linkId, @channel, @recipient, @locale, @message, @status, @attempts, @lastError, @transport,
             @cost, @costCurrency, @providerMessageId, @callbackSecretHash, @outboxId, @file, @nextAttemptAt, @createdAt,
             @updatedAt, @sentAt, @deliveredAt, @failedAt)`,
        )
        .run(n);
    },
    get: (id: string): NotificationRecord | undefined => {
      const r = this.db.prepare('SELECT * FROM notifications WHERE id = ?').get(id) as NotificationRow | undefined;
      return r && toNotification(r);
    },
    /**
     * Writes `change`; with `onlyIf`, only while the status is one of those (the guard that keeps
     * a late delivery report and the worker's own bookkeeping from undoing each other).
     */
    change: (id: string, change: NotificationChange, onlyIf?: readonly NotificationStatus[]): boolean => {
      const entries = Object.entries(change).filter(([k, v]) => v !== undefined && k in NOTIFICATION_COLUMNS);
      if (entries.length === 0) return false;
      const sets = entries.map(([k]) => `${NOTIFICATION_COLUMNS[k as keyof typeof NOTIFICATION_COLUMNS]} = @${k}`);
      const params: Record<string, unknown> = { ...Object.fromEntries(entries), id };
      let guard = '';
      if (onlyIf) {
        guard = ` AND status IN (${onlyIf.map((_s, i) => `@s${i}`).join(', ')})`;
        onlyIf.forEach((s, i) => (params[`s${i}`] = s));
      }
      return this.db.prepare(`UPDATE notifications SET ${sets.join(', ')} WHERE id = @id${guard}`).run(params).changes === 1;
    },
    /** Creation times of a link's notifications since `since`, oldest first (the rate limit's window). */
    createdSince: (linkId: string, since: number): number[] =>
      (this.db.prepare('SELECT created_at FROM notifications WHERE link_id = ? AND created_at > ? ORDER BY created_at').all(linkId, since) as { created_at: number }[]).map(
        (r) => r.created_at,
      ),
    list: (filter: NotificationFilter, page: PageQuery): Page<NotificationRecord> => {
      const clauses: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter.linkId) {
        clauses.push('n.link_id = @linkId');
        params.linkId = filter.linkId;
      }
      if (filter.channel) {
        clauses.push('n.channel = @channel');
        params.channel = filter.channel;
      }
      if (filter.status) {
        clauses.push('n.status = @status');
        params.status = filter.status;
      }
      return pageOf<NotificationRow, NotificationRecord>(this.db, 'SELECT n.* FROM notifications n', clauses, params, page, toNotification, 'n');
    },
    /** Messages that reached `sent` in [from, to), counted and priced per channel and currency. */
    sentCounts: (from: number | undefined, to: number | undefined): MessageCounts[] =>
      (
        this.db
          .prepare(
            `SELECT channel, cost_currency AS currency, COUNT(*) AS count, COALESCE(SUM(cost), 0) AS cost FROM notifications
             WHERE sent_at IS NOT NULL AND (@from IS NULL OR sent_at >= @from) AND (@to IS NULL OR sent_at < @to)
             GROUP BY channel, cost_currency ORDER BY channel, cost_currency`,
          )
          .all({ from: from ?? null, to: to ?? null }) as { channel: string; currency: string | null; count: number; cost: number }[]
      ).map((r) => ({ channel: r.channel as Channel, currency: r.currency, count: r.count, cost: r.cost })),
  };

  readonly displays = {
    get: (posId: string): DisplayRecord | undefined => {
      const r = this.db.prepare('SELECT * FROM displays WHERE point_of_sale_id = ?').get(posId) as DisplayRow | undefined;
      return r && this.toDisplay(r);
    },
    put: (d: DisplayRecord): void => {
      this.db
        .prepare(
          `INSERT INTO displays (point_of_sale_id, mode, link_id, payment_id, result_until, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(point_of_sale_id) DO UPDATE SET mode = excluded.mode, link_id = excluded.link_id,
             payment_id = excluded.payment_id, result_until = excluded.result_until, updated_at = excluded.updated_at`,
        )
        .run(d.pointOfSaleId, d.mode, d.linkId, d.paymentId, d.resultUntil, d.updatedAt);
    },
    showingLink: (linkId: string): DisplayRecord[] =>
      (this.db.prepare('SELECT * FROM displays WHERE link_id = ?').all(linkId) as DisplayRow[]).map((r) => this.toDisplay(r)),
    resultsDue: (now: number): DisplayRecord[] =>
      (this.db.prepare(`SELECT * FROM displays WHERE mode = 'result' AND result_until <= ?`).all(now) as DisplayRow[]).map((r) => this.toDisplay(r)),
  };

  private toDisplay(r: DisplayRow): DisplayRecord {
    return {
      pointOfSaleId: r.point_of_sale_id,
      mode: r.mode as DisplayRecord['mode'],
      linkId: r.link_id,
      paymentId: r.payment_id,
      resultUntil: r.result_until,
      updatedAt: r.updated_at,
    };
  }
}
