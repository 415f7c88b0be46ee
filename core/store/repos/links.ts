import type { LinkRecord, LinkType, Locale, Reuse } from '../../links/types';
import type { Sql } from '../sql/executor';
import { jsonOrNull, pageOf, parseJson } from '../sql/page';
import { expirySpan } from './expiry-span';
import type { LinkFilter, Page, PageQuery } from '../types';

/** A links row exactly as the table holds it (plus the derived `locked_until`). */
export interface LinkRow {
  seq: number;
  id: string;
  type: string;
  name: string;
  description: string | null;
  point_of_sale_id: string;
  amount: number | null;
  currency: string;
  min_amount: number | null;
  reuse: string;
  max_uses: number | null;
  per_payment_limit: number | null;
  total_amount_limit: number | null;
  expires_at: number | null;
  locale: string;
  country: string | null;
  metadata: string;
  ref_id_base: string;
  reference: string | null;
  cancellable: number;
  callback_url: string | null;
  line_items: string | null;
  enabled: number;
  cancelled_at: number | null;
  expired_noted_at: number | null;
  used_count: number;
  used_amount: number;
  pending_count: number;
  pending_amount: number;
  payment_count: number;
  next_ref_seq: number;
  livemode: number;
  methods: string | null;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
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

export function toLink(r: LinkRow): LinkRecord {
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
    metadata: parseJson<Record<string, string>>(r.metadata) ?? {},
    refIdBase: r.ref_id_base,
    reference: r.reference,
    cancellable: r.cancellable === 1,
    callbackUrl: r.callback_url,
    lineItems: parseJson(r.line_items),
    enabled: r.enabled === 1,
    cancelledAt: r.cancelled_at,
    expiredNotedAt: r.expired_noted_at,
    usedCount: r.used_count,
    usedAmount: r.used_amount,
    pendingCount: r.pending_count,
    pendingAmount: r.pending_amount,
    paymentCount: r.payment_count,
    nextRefSeq: r.next_ref_seq,
    livemode: r.livemode === 1,
    methods: parseJson<string[]>(r.methods),
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export type LinksRepo = ReturnType<typeof linksRepo>;

export function linksRepo(sql: Sql) {
  return {
    insert: async (l: Omit<LinkRecord, 'seq' | 'lockedUntil'>): Promise<void> => {
      await sql.run(
        `INSERT INTO links (id, type, name, description, point_of_sale_id, amount, currency, min_amount, reuse, max_uses,
          per_payment_limit, total_amount_limit, expires_at, locale, country, metadata, ref_id_base, reference, cancellable,
          callback_url, line_items, enabled, cancelled_at, expired_noted_at, used_count, used_amount, pending_count,
          pending_amount, payment_count, next_ref_seq, livemode, methods, created_at, updated_at)
         VALUES (@id, @type, @name, @description, @pointOfSaleId, @amount, @currency, @minAmount, @reuse, @maxUses,
          @perPaymentLimit, @totalAmountLimit, @expiresAt, @locale, @country, @metadata, @refIdBase, @reference, @cancellable,
          @callbackUrl, @lineItems, @enabled, @cancelledAt, @expiredNotedAt, @usedCount, @usedAmount, @pendingCount,
          @pendingAmount, @paymentCount, @nextRefSeq, @livemode, @methods, @createdAt, @updatedAt)`,
        { ...l, metadata: JSON.stringify(l.metadata), lineItems: jsonOrNull(l.lineItems), methods: jsonOrNull(l.methods) },
      );
    },
    get: async (id: string): Promise<LinkRecord | undefined> => {
      const r = await sql.get<LinkRow>(`${LINK_SELECT} WHERE l.id = @id`, { id });
      return r && toLink(r);
    },
    /**
     * Holds the link's row until the transaction ends, so a read-modify-write of its fields
     * (PATCH, cancel) cannot interleave with another server's.
     */
    lock: async (id: string): Promise<void> => {
      await sql.get(`SELECT id FROM links WHERE id = @id${sql.dialect.forUpdate}`, { id });
    },
    /** Writes the descriptive and limit fields a PATCH may change. Counters are never touched here. */
    updateFields: async (l: LinkRecord): Promise<void> => {
      await sql.run(
        `UPDATE links SET name = @name, description = @description, amount = @amount, currency = @currency,
          min_amount = @minAmount, max_uses = @maxUses, per_payment_limit = @perPaymentLimit,
          total_amount_limit = @totalAmountLimit, expires_at = @expiresAt, expired_noted_at = @expiredNotedAt,
          locale = @locale, country = @country, metadata = @metadata, reference = @reference,
          cancellable = @cancellable, callback_url = @callbackUrl, line_items = @lineItems, enabled = @enabled,
          methods = @methods, updated_at = @updatedAt
         WHERE id = @id`,
        {
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
          cancellable: l.cancellable,
          callbackUrl: l.callbackUrl,
          lineItems: jsonOrNull(l.lineItems),
          enabled: l.enabled,
          methods: jsonOrNull(l.methods),
          updatedAt: l.updatedAt,
        },
      );
    },
    /**
     * Reserves one use and `amount` for a new pending payment, only if the link can take it
     * right now. The WHERE clause is the guard: of any number of concurrent starts, only those
     * that fit win (on PostgreSQL the row lock makes a waiting UPDATE re-check it). False when
     * the guard refused.
     */
    reserve: async (id: string, amount: number, now: number): Promise<boolean> =>
      (await sql.run(
        `UPDATE links SET pending_count = pending_count + 1, pending_amount = pending_amount + @amount,
           payment_count = payment_count + 1, next_ref_seq = next_ref_seq + 1, updated_at = @now
         WHERE id = @id AND cancelled_at IS NULL AND enabled = 1
           AND (expires_at IS NULL OR expires_at > @now)
           AND (reuse = 'multiple' OR (used_count = 0 AND pending_count = 0))
           AND (max_uses IS NULL OR used_count + pending_count + 1 <= max_uses)
           AND (total_amount_limit IS NULL OR used_amount + pending_amount + @amount <= total_amount_limit)`,
        { id, amount, now },
      )) === 1,
    /** Skips a refId sequence number that collided with an existing refId. */
    bumpRefSeq: async (id: string): Promise<void> => {
      await sql.run('UPDATE links SET next_ref_seq = next_ref_seq + 1 WHERE id = @id', { id });
    },
    /** Gives back what a pending payment held and, on success, counts it as used. */
    settle: async (id: string, amount: number, succeeded: boolean, now: number): Promise<void> => {
      await sql.run(
        `UPDATE links SET pending_count = pending_count - 1, pending_amount = pending_amount - @amount,
           used_count = used_count + @used, used_amount = used_amount + @usedAmount, updated_at = @now
         WHERE id = @id`,
        { id, amount, used: succeeded ? 1 : 0, usedAmount: succeeded ? amount : 0, now },
      );
    },
    /** Conditional: only a link that is not cancelled yet. */
    cancel: async (id: string, now: number): Promise<boolean> =>
      (await sql.run('UPDATE links SET cancelled_at = @now, updated_at = @now WHERE id = @id AND cancelled_at IS NULL', { id, now })) === 1,
    /** Links past expiry whose `link.expired` has not been emitted yet. */
    dueForExpiry: async (now: number): Promise<LinkRecord[]> =>
      (
        await sql.all<LinkRow>(
          `${LINK_SELECT} WHERE l.expires_at IS NOT NULL AND l.expired_noted_at IS NULL AND l.expires_at <= @now AND l.cancelled_at IS NULL LIMIT 500`,
          { now },
        )
      ).map(toLink),
    /** When the next link comes due for expiry (null: none will): the sweeper's horizon. */
    nextExpiry: async (): Promise<number | null> =>
      (await sql.get<{ at: number | null }>('SELECT MIN(expires_at) AS at FROM links WHERE expires_at IS NOT NULL AND expired_noted_at IS NULL AND cancelled_at IS NULL'))?.at ?? null,
    noteExpired: async (id: string, now: number): Promise<boolean> =>
      (await sql.run('UPDATE links SET expired_noted_at = @now WHERE id = @id AND expired_noted_at IS NULL', { id, now })) === 1,
    list: async (filter: LinkFilter, page: PageQuery): Promise<Page<LinkRecord>> => {
      const clauses: string[] = [];
      const params: Record<string, string | number> = { now: filter.now };
      if (filter.livemode !== undefined) {
        clauses.push('l.livemode = @livemode');
        params.livemode = filter.livemode ? 1 : 0;
      }
      if (filter.status) {
        clauses.push(`(${LINK_STATUS_SQL}) = @status`);
        params.status = filter.status;
      }
      if (filter.pointOfSaleId) {
        clauses.push('l.point_of_sale_id = @pos');
        params.pos = filter.pointOfSaleId;
      }
      const dated: string[] = [];
      if (filter.createdAfter !== undefined) {
        dated.push('l.created_at > @createdAfter');
        params.createdAfter = filter.createdAfter;
      }
      if (filter.createdBefore !== undefined) {
        dated.push('l.created_at < @createdBefore');
        params.createdBefore = filter.createdBefore;
      }
      if (filter.expiresAfter !== undefined) {
        dated.push('l.expires_at > @expiresAfter');
        params.expiresAfter = filter.expiresAfter;
      }
      if (filter.expiresBefore !== undefined) {
        dated.push('l.expires_at < @expiresBefore');
        params.expiresBefore = filter.expiresBefore;
      }
      // q: through the dialect's text index (Dialect.textSearch), which also sets the order.
      const search = filter.q ? await sql.dialect.textSearch(sql, 'links', 'l', filter.q) : undefined;
      if (search) {
        clauses.push(search.clause);
        Object.assign(params, search.params);
      }
      clauses.push(...dated);
      // A creation range reads newest first by creation time: one walk down links_created from
      // the range's end, however many links are newer or older (seq and created_at rise together
      // on one clock; where clocks disagree, the range is still listed by its own dates).
      const byCreation = !search && (filter.createdAfter !== undefined || filter.createdBefore !== undefined);
      // links_created leads with the mode; a read of both modes (never the server's) names both.
      if (byCreation && filter.livemode === undefined) clauses.push('l.livemode IN (0, 1)');
      if (!byCreation && (filter.expiresAfter !== undefined || filter.expiresBefore !== undefined)) {
        // An expiry range: the newest-first read stays inside the seqs its links lie between,
        // found from a few rows whatever the range holds (expirySpan), instead of walking every
        // newer link.
        const span = await expirySpan(sql, { after: filter.expiresAfter, before: filter.expiresBefore, livemode: filter.livemode });
        clauses.push('l.seq BETWEEN @spanFirst AND @spanLast');
        params.spanFirst = span.first;
        params.spanLast = span.last;
      }
      const order = search ? { seq: search.seq } : byCreation ? { seq: 'l.seq', key: { expr: 'l.created_at', field: 'created_at' } } : undefined;
      return pageOf<LinkRow, LinkRecord>(sql, search?.join ? `${LINK_SELECT} ${search.join}` : LINK_SELECT, clauses, params, page, toLink, 'l', order);
    },
  };
}
