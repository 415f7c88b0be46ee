/**
 * Query plans: the queries the server runs all day — the sweep, a `q` search, a date range of a
 * list — read through an index, never the whole links or payments table (issue #13: flat cost at
 * a million links). The repositories run their real SQL over a recording seam; each statement is
 * then explained on the same database, on SQLite and (when the run has one) on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../core/store/sqlite/adapter';
import { openSqlite, sqliteDialect } from '../../../core/store/sqlite/adapter';
import { textIndexCatchUp } from '../../../core/store/sqlite/text-index';
import { openPostgres, postgresDialect, type PostgresStore } from '../../../core/store/postgres/adapter';
import { bindValue, paramNames, toNumbered, type Params, type Sql } from '../../../core/store/sql/executor';
import { linksRepo } from '../../../core/store/repos/links';
import { paymentsRepo } from '../../../core/store/repos/payments';
import { eventsReader } from '../../../core/store/repos/events';
import { pointsOfSaleRepo } from '../../../core/store/repos/points-of-sale';
import { freshDatabase, testPostgresUrl } from '../../support/postgres';

const NOW = 1_768_471_200_000; // 2026-01-15T10:00:00Z
const DAY = 86_400_000;

interface Statement {
  text: string;
  params: Params;
}

/** Runs statements on a database, keeping each for EXPLAIN. */
interface Recorder {
  sql: Sql;
  statements: Statement[];
  /** `ordered`: the query reads in an index's order (ORDER BY … LIMIT): let the planner walk it. */
  explain(s: Statement, ordered?: boolean): Promise<string>;
}

function sqliteRecorder(db: Db): Recorder {
  const statements: Statement[] = [];
  const bound = (text: string, params: Params = {}) => Object.fromEntries(paramNames(text).map((n) => [n, bindValue(params[n])]));
  const prepare = (text: string, params?: Params) => {
    statements.push({ text, params: params ?? {} });
    return { statement: db.prepare(text), values: bound(text, params) };
  };
  return {
    statements,
    sql: {
      dialect: sqliteDialect,
      all: async <R>(text: string, params?: Params) => {
        const p = prepare(text, params);
        return p.statement.all(p.values) as R[];
      },
      get: async <R>(text: string, params?: Params) => {
        const p = prepare(text, params);
        return p.statement.get(p.values) as R | undefined;
      },
      run: async (text: string, params?: Params) => {
        const p = prepare(text, params);
        return p.statement.run(p.values).changes;
      },
    },
    explain: async (s) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${s.text}`).all(bound(s.text, s.params)) as { detail: string }[]).map((r) => r.detail).join('\n'),
  };
}

function postgresRecorder(store: PostgresStore): Recorder {
  const statements: Statement[] = [];
  const query = async (text: string, params: Params = {}) => {
    statements.push({ text, params });
    const { text: numbered, names } = toNumbered(text);
    return store.pool.query(numbered, names.map((n) => bindValue(params[n])));
  };
  return {
    statements,
    sql: {
      dialect: postgresDialect,
      all: async <R>(text: string, params?: Params) => (await query(text, params)).rows as R[],
      get: async <R>(text: string, params?: Params) => (await query(text, params)).rows[0] as R | undefined,
      run: async (text: string, params?: Params) => (await query(text, params)).rowCount ?? 0,
    },
    // With table scans (and, unless the query is meant to walk an index in order, index walks)
    // priced out, the plan shows which index serves the query: on a few thousand rows the planner
    // may rightly prefer to read them all; at a million it picks the index by cost.
    explain: async (s, ordered) => {
      const client = await store.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        if (!ordered) await client.query('SET LOCAL enable_indexscan = off');
        const { text, names } = toNumbered(s.text);
        const plan = await client.query(`EXPLAIN ${text}`, names.map((n) => bindValue(s.params[n])));
        return plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    },
  };
}

/** A few links and payments of every kind the queries look for. */
async function seed(sql: Sql): Promise<void> {
  await pointsOfSaleRepo(sql).insert({ id: 'pos_main', name: 'Main', currency: 'EUR', isDefault: true, methods: null, createdAt: NOW, updatedAt: NOW });
  const links = linksRepo(sql);
  const payments = paymentsRepo(sql);
  const base = {
    type: 'payment' as const, description: 'Two coffees', pointOfSaleId: 'pos_main', amount: 1250, currency: 'EUR', minAmount: null,
    reuse: 'single' as const, maxUses: null, perPaymentLimit: null, totalAmountLimit: null, locale: 'en' as const, country: null,
    metadata: {}, reference: null, cancellable: true, callbackUrl: null, lineItems: null, enabled: true, cancelledAt: null,
    expiredNotedAt: null, usedCount: 0, usedAmount: 0, pendingCount: 0, pendingAmount: 0, paymentCount: 0, nextRefSeq: 1,
    livemode: false, methods: null,
  };
  for (let i = 0; i < 30; i++) {
    const createdAt = NOW - (30 - i) * DAY;
    await links.insert({
      ...base,
      id: `pl_plan${i}`,
      name: `Order ${1000 + i}`,
      refIdBase: `PLAN${i}`,
      expiresAt: i % 3 === 0 ? createdAt + DAY : null,
      cancelledAt: i % 5 === 0 ? createdAt + 1000 : null,
      createdAt,
      updatedAt: createdAt,
    });
    await payments.insert({
      id: `pay_plan${i}`, linkId: `pl_plan${i}`, refId: `PLAN${i}-0001`, status: i % 2 ? 'pending' : 'succeeded', amount: 1250, currency: 'EUR',
      method: 'simulator', reference: null, payerName: null, payerEmail: null, metadata: {}, refundedAmount: 0, lockExpiresAt: createdAt + 900_000,
      livemode: false, providerReference: null, createdAt, updatedAt: createdAt, completedAt: null,
    });
  }
}

/**
 * 20,000 more links, created 40 to 54 days ago in the opposite order of their seq (the worst case
 * for reading newest-first by seq), a third of them expired: enough for the date filters' dense
 * paths. On PostgreSQL also analysed: it plans by statistics (SQLite by the schema alone).
 */
const BULK = `SELECT 'pl_bulk' || g, 'payment', 'Bulk ' || g, 'Coffee and cake', 'pos_main', 1250, 'EUR', 'single',
  CASE WHEN g % 3 = 0 THEN @now - g * 60000 END, 'en', '{}', 'BULK' || g, @now - 3456000000 - g * 60000, @now`; // 40 days
const BULK_COLUMNS = 'id, type, name, description, point_of_sale_id, amount, currency, reuse, expires_at, locale, metadata, ref_id_base, created_at, updated_at';

async function bulkSqlite(db: Db): Promise<void> {
  db.prepare(`WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 20000) INSERT INTO links (${BULK_COLUMNS}) ${BULK} FROM s`).run({ now: NOW });
}

async function bulkPostgres(store: PostgresStore): Promise<void> {
  await store.pool.query(`INSERT INTO links (${BULK_COLUMNS}) ${BULK.replace(/@now/g, '$1::bigint').replace(/g \* /g, 'g::bigint * ')} FROM generate_series(1, 20000) AS g`, [NOW]);
  await store.pool.query('ANALYZE links');
  await store.pool.query('ANALYZE payments');
}

const adapters: { name: string; open: () => Promise<{ recorder: Recorder; close: () => Promise<void> }> }[] = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'counterlink-plans-'));
      const store = openSqlite({ file: join(dir, 'plans.sqlite') });
      const recorder = sqliteRecorder(store.db);
      await seed(recorder.sql);
      await bulkSqlite(store.db);
      // Written beside the store's transactions: their rows go into the text index as a write group's would.
      textIndexCatchUp(store.db)();
      return {
        recorder,
        close: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
const pgServer = testPostgresUrl();
if (pgServer) {
  adapters.push({
    name: 'postgres',
    open: async () => {
      const store = await openPostgres({ url: await freshDatabase(pgServer, 'plans') });
      const recorder = postgresRecorder(store);
      await seed(recorder.sql);
      await bulkPostgres(store);
      return { recorder, close: () => store.close() };
    },
  });
}

/** What a plan must not do: read a whole table of links or payments. */
const fullScan = (dialect: string) => (dialect === 'sqlite' ? /^SCAN (l|p|links|payments)\b/m : /Seq Scan on (links|payments)\b/);

describe.each(adapters)('query plans on $name', ({ name, open }) => {
  let opened: Awaited<ReturnType<typeof open>> | undefined;
  afterAll(async () => opened?.close());

  /** Runs `fn` through the recorder and returns the plans of the statements it ran. */
  async function plansOf(fn: (sql: Sql) => Promise<unknown>, ordered = false): Promise<{ text: string; plan: string }[]> {
    opened ??= await open();
    const { recorder } = opened;
    const from = recorder.statements.length;
    await fn(recorder.sql);
    return Promise.all(recorder.statements.slice(from).map(async (s) => ({ text: s.text, plan: await recorder.explain(s, ordered) })));
  }

  const expectSeeks = (plans: { text: string; plan: string }[], index: RegExp) => {
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect(p.plan, `${p.text}\n--- plan:\n${p.plan}`).not.toMatch(fullScan(name));
    expect(plans.map((p) => p.plan).join('\n'), plans.map((p) => p.text).join('\n')).toMatch(index);
  };

  it('the sweep finds links due for expiry in the partial index that leaves out cancelled links, and the next one there', async () => {
    expectSeeks(await plansOf((sql) => linksRepo(sql).dueForExpiry(NOW)), /links_expiry/);
    expectSeeks(await plansOf((sql) => linksRepo(sql).nextExpiry()), /links_expiry/);
  });

  it('the sweep finds lapsed payments in the range of payments_pending, and the next lapse there', async () => {
    expectSeeks(await plansOf((sql) => paymentsRepo(sql).lapsed(NOW)), /payments_pending/);
    expectSeeks(await plansOf((sql) => paymentsRepo(sql).nextLapse()), /payments_pending/);
  });

  it('a q search reads the text index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)', async () => {
    // (On PostgreSQL without the mode filter: on 20,000 rows of one mode it reads that mode's
    // index instead, which at a million rows costs more than the trigram indexes.)
    const filter = name === 'sqlite' ? { now: NOW, livemode: false, q: 'order 1012' } : { now: NOW, q: 'order 1012' };
    const plans = await plansOf((sql) => linksRepo(sql).list(filter, { limit: 50 }));
    expectSeeks(plans, name === 'sqlite' ? /links_search VIRTUAL TABLE INDEX/ : /links_(name|description|ref_id_base)_trgm/);
    if (name === 'sqlite') expect(plans.map((p) => p.plan).join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('a payments search reads the text index, and the amount index for an amount, never the whole table', async () => {
    const filter = name === 'sqlite' ? { livemode: false } : {};
    const text = await plansOf((sql) => paymentsRepo(sql).list({ ...filter, q: 'plan1-' }, { limit: 50 }));
    expectSeeks(text, name === 'sqlite' ? /payments_search VIRTUAL TABLE INDEX/ : /payments_(ref_id|reference|payer_name|payer_email)_trgm/);
    if (name === 'sqlite') expect(text.map((p) => p.plan).join('\n')).not.toMatch(/payments_mode/);
    const withAmount = await plansOf((sql) => paymentsRepo(sql).list({ ...filter, q: '12.50' }, { limit: 50 }));
    expectSeeks(withAmount, /payments_amount/);
    // Walking the mode's index newest-first and testing each row would be a scan by another name.
    if (name === 'sqlite') expect(withAmount.map((p) => p.plan).join('\n')).not.toMatch(/payments_mode/);
    let found: string[] = [];
    await plansOf(async (sql) => {
      found = (await paymentsRepo(sql).list({ q: 'PLAN1-' }, { limit: 50 })).data.map((p) => p.id);
    });
    expect(found).toEqual(['pay_plan1']);
    await plansOf(async (sql) => {
      found = (await paymentsRepo(sql).list({ q: '12,50' }, { limit: 50 })).data.map((p) => p.id);
    });
    expect(found).toHaveLength(30);
  });

  it("a link's events are found through events_link, not by reading every event", async () => {
    const plans = await plansOf((sql) => eventsReader(sql).query({ linkId: 'pl_plan3', order: 'asc', limit: 100 }));
    expectSeeks(plans, /events_link/);
    expect(plans.map((p) => p.plan).join('\n')).not.toMatch(name === 'sqlite' ? /^SCAN events\b/m : /Seq Scan on events\b/);
  });

  it('a date range of a list seeks into links_created, or links_expires and link_expiry_days', async () => {
    expectSeeks(
      await plansOf((sql) => linksRepo(sql).list({ now: NOW, livemode: false, createdAfter: NOW - 10 * DAY, createdBefore: NOW - 8 * DAY }, { limit: 50 }), true),
      /links_created/,
    );
    // Of one mode, as every list the server answers.
    expectSeeks(await plansOf((sql) => linksRepo(sql).list({ now: NOW, livemode: false, createdBefore: NOW - 25 * DAY }, { limit: 50 }), true), /links_created/);
    // An expiry range: its edge days seek into links_expires, the days between come from link_expiry_days.
    for (const filter of [{ expiresBefore: NOW - 20 * DAY }, { expiresAfter: NOW - 45 * DAY, expiresBefore: NOW - 41 * DAY }, { expiresAfter: NOW }]) {
      const plans = await plansOf((sql) => linksRepo(sql).list({ now: NOW, livemode: false, ...filter }, { limit: 50 }));
      expectSeeks(plans, /links_expires/);
      expectSeeks(plans, /link_expiry_days/);
    }
  });

  it('a creation range is one walk down links_created in its order, with the filters a list adds, and no sort', async () => {
    const filters = [
      { now: NOW, livemode: false, createdBefore: NOW - 25 * DAY },
      { now: NOW, livemode: false, createdAfter: NOW - 7 * DAY },
      { now: NOW, livemode: false, pointOfSaleId: 'pos_main', createdBefore: NOW - 25 * DAY },
      { now: NOW, livemode: false, status: 'enabled' as const, createdBefore: NOW - 25 * DAY },
    ];
    for (const filter of filters) {
      const plans = await plansOf(async (sql) => {
        const first = await linksRepo(sql).list(filter, { limit: 5 });
        await linksRepo(sql).list(filter, { limit: 5, cursor: first.nextCursor! });
      }, true);
      // Only the page's own statements: a creation range needs no probe of its span.
      expect(plans, JSON.stringify(filter)).toHaveLength(2);
      expectSeeks(plans, /links_created/);
      for (const p of plans) expect(p.plan, `${JSON.stringify(filter)}\n${p.plan}`).not.toMatch(name === 'sqlite' ? /TEMP B-TREE/ : /Sort/);
    }
  });

  it('finds the same links as before: q by substring in any case, date ranges exactly', async () => {
    expect(await listIds({ now: NOW, q: 'ORDER 101' })).toEqual(['pl_plan19', 'pl_plan18', 'pl_plan17', 'pl_plan16', 'pl_plan15', 'pl_plan14', 'pl_plan13', 'pl_plan12', 'pl_plan11', 'pl_plan10']);
    expect(await listIds({ now: NOW, q: 'plan2' })).toEqual(['pl_plan29', 'pl_plan28', 'pl_plan27', 'pl_plan26', 'pl_plan25', 'pl_plan24', 'pl_plan23', 'pl_plan22', 'pl_plan21', 'pl_plan20', 'pl_plan2']);
    expect(await listIds({ now: NOW, q: 'o c' })).toHaveLength(30); // "Two coffees": shorter than a trigram, read with LIKE
    expect(await listIds({ now: NOW, q: '"' })).toEqual([]);
    expect(await listIds({ now: NOW, createdAfter: NOW - 10 * DAY, createdBefore: NOW - 7 * DAY })).toEqual(['pl_plan22', 'pl_plan21']);
    expect(await listIds({ now: NOW, createdBefore: NOW - 60 * DAY })).toEqual([]);
    const paged = await plansOf(async (sql) => {
      const first = await linksRepo(sql).list({ now: NOW, q: 'order' }, { limit: 20 });
      const second = await linksRepo(sql).list({ now: NOW, q: 'order' }, { limit: 20, cursor: first.nextCursor! });
      expect([...first.data, ...second.data].map((l) => l.id)).toEqual(Array.from({ length: 30 }, (_, i) => `pl_plan${29 - i}`));
    });
    // SQLite reads the matches of each page's search first (few: listed by seq; many: newest first from the index).
    expect(paged.length).toBe(name === 'sqlite' ? 4 : 2);
    expect(paged.map((p) => p.plan).join('\n')).not.toMatch(fullScan(name));
  });

  it('pages a search of few matches and one of many alike: newest first, as a plain substring match orders them', async () => {
    // "bulk 199": 111 of the bulk links; "bulk 1": 11,111, more than SQLite lists from their seqs.
    for (const q of ['bulk 199', 'bulk 1']) {
      let pages: string[] = [];
      let expected: string[] = [];
      await plansOf(async (sql) => {
        const first = await linksRepo(sql).list({ now: NOW, q }, { limit: 50 });
        const second = await linksRepo(sql).list({ now: NOW, q }, { limit: 50, cursor: first.nextCursor! });
        pages = [...first.data, ...second.data].map((l) => l.id);
        expected = (await sql.all<{ id: string }>("SELECT id FROM links WHERE LOWER(name) LIKE @p ORDER BY seq DESC LIMIT 100", { p: `%${q}%` })).map((r) => r.id);
      });
      expect(pages, q).toEqual(expected);
      expect(pages, q).toHaveLength(100);
    }
  });

  it('reads dense date ranges exactly as a plain newest-first read would, over pages', async () => {
    // Creation ranges are newest first by creation time, expiry ranges by seq: the bulk links
    // were created in the opposite order of their seq, so the two orders differ here.
    const byCreation = 'ORDER BY created_at DESC, seq DESC';
    const bySeq = 'ORDER BY seq DESC';
    const cases: [Parameters<ReturnType<typeof linksRepo>['list']>[0], string, Params, string][] = [
      [{ now: NOW, createdBefore: NOW - 40 * DAY }, 'created_at < @b', { b: NOW - 40 * DAY }, byCreation],
      [{ now: NOW, createdAfter: NOW - 60 * DAY }, 'created_at > @a', { a: NOW - 60 * DAY }, byCreation],
      [{ now: NOW, createdAfter: NOW - 45 * DAY, createdBefore: NOW - 41 * DAY }, 'created_at > @a AND created_at < @b', { a: NOW - 45 * DAY, b: NOW - 41 * DAY }, byCreation],
      [{ now: NOW, expiresBefore: NOW - 5 * DAY, livemode: false }, 'expires_at < @b AND livemode = 0', { b: NOW - 5 * DAY }, bySeq], // many, upper bound: the span's ends
      [{ now: NOW, expiresAfter: NOW - 5 * DAY }, 'expires_at > @a', { a: NOW - 5 * DAY }, bySeq],
    ];
    for (const [filter, where, params, order] of cases) {
      let pages: string[][] = [];
      let expected: string[] = [];
      await plansOf(async (sql) => {
        const first = await linksRepo(sql).list(filter, { limit: 50 });
        const second = await linksRepo(sql).list(filter, { limit: 50, cursor: first.nextCursor! });
        pages = [first.data.map((l) => l.id), second.data.map((l) => l.id)];
        expected = (await sql.all<{ id: string }>(`SELECT id FROM links WHERE ${where} ${order} LIMIT 100`, params)).map((r) => r.id);
      });
      expect(expected.length, where).toBe(100);
      expect(pages.flat(), where).toEqual(expected);
    }
  });

  it("refuses a cursor of the other order: a creation range's cursor carries the time it stopped at", async () => {
    await plansOf(async (sql) => {
      const bySeq = await linksRepo(sql).list({ now: NOW }, { limit: 5 });
      const byCreation = await linksRepo(sql).list({ now: NOW, createdBefore: NOW }, { limit: 5 });
      await expect(linksRepo(sql).list({ now: NOW, createdBefore: NOW }, { limit: 5, cursor: bySeq.nextCursor! })).rejects.toThrow(/cursor/);
      await expect(linksRepo(sql).list({ now: NOW }, { limit: 5, cursor: byCreation.nextCursor! })).rejects.toThrow(/cursor/);
    });
  });

  async function listIds(filter: Parameters<ReturnType<typeof linksRepo>['list']>[0]): Promise<string[]> {
    let ids: string[] = [];
    await plansOf(async (sql) => {
      ids = (await linksRepo(sql).list(filter, { limit: 50 })).data.map((l) => l.id);
    });
    return ids;
  }
});
