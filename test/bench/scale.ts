/**
 * `npm run bench -- --scale N`: does a request cost the same with a year of history behind it?
 * Seeds a store with N links (about 3 payments each, their events and refIds, spread over a year)
 * quickly through the store's own repositories in big transactions, then measures p50/p95 of the
 * requests a shop makes all day, and the CPU the server uses while nobody uses it — at 10 k links
 * and at N, each in its own data directory, and prints the ratio. Both sizes are served at once
 * and take turns in every case, so a machine that is slower for a minute weighs on both alike.
 * Not run in CI.
 *
 * Env: BENCH_SCALE_SAMPLES (requests per case, default 200), BENCH_SCALE_IDLE_S (idle CPU window,
 * default 5), BENCH_SCALE_BASE (the small size, default 10000), BENCH_SCALE_KEEP=1 keeps the data,
 * BENCH_SCALE_DIR=<dir> keeps each size's data in <dir>/<N> and serves it as it is on later runs
 * (migrated by the code of the run), so a change is measured again without seeding a million links.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../server/create-app';
import type { Tx } from '../../core/store/port';
import type { LinkRecord } from '../../core/links/types';
import type { PaymentRecord } from '../../core/payments/types';
import { newId } from '../../core/ids';

const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 200);
const IDLE_S = Number(process.env.BENCH_SCALE_IDLE_S ?? 5);
const BATCH = 2_000;
const DAY = 86_400_000;
const YEAR = 365 * DAY;

interface Case {
  name: string;
  p50: number;
  p95: number;
  /** Non-2xx/3xx answers: a case that fails measures nothing. */
  errors: number;
}

interface SizeResult {
  links: number;
  seedSeconds: number;
  dbBytes: number;
  cases: Case[];
  idleCpuPercent: number;
}

/** What the seeded store holds, for picking request targets. */
interface Seeded {
  sampleIds: string[];
  openIds: string[];
  posterIds: string[];
  names: string[];
  pointOfSaleId: string;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const pick = <T>(a: T[]): T => a[Math.floor(Math.random() * a.length)]!;
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

export class Client {
  /** The first refusal, to say why a case failed. */
  firstError: string | undefined;

  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string>,
  ) {}

  async send(method: string, path: string, body?: unknown, auth = true, retry = true): Promise<{ status: number; json: unknown }> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        redirect: 'manual',
        headers: { ...(auth ? this.headers : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      // A kept-alive connection the server closed while the seeding ran: once more, on a new one.
      if (retry) return this.send(method, path, body, auth, false);
      throw err;
    }
    const text = await res.text();
    if (res.status >= 400) this.firstError ??= `${method} ${path} -> ${res.status} ${text.slice(0, 300)}`;
    let json: unknown;
    try {
      json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  }
}

/** A request of a case, at one size: resolves to the status code. */
type Request = () => Promise<number>;

/** How many turns each size takes in a case: both sizes see the same moments of a noisy machine. */
const ROUNDS = 5;

/**
 * Runs each size's `request` SAMPLES times, one after the other, in ROUNDS turns that alternate
 * between the sizes (a few warm-up requests first): a machine that slows down for a while slows
 * both sizes alike, so their ratio stays what the data makes it.
 */
async function measureInTurns(name: string, requests: Request[]): Promise<Case[]> {
  for (const request of requests) for (let i = 0; i < Math.min(10, SAMPLES); i++) await request();
  const times = requests.map(() => [] as number[]);
  const errors = requests.map(() => 0);
  const perTurn = Math.ceil(SAMPLES / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < requests.length; k++) {
      for (let i = 0; i < perTurn && times[k]!.length < SAMPLES; i++) {
        const start = process.hrtime.bigint();
        const status = await requests[k]!();
        times[k]!.push(ms(start));
        if (status >= 400) errors[k]!++;
      }
    }
  }
  return times.map((t, k) => {
    t.sort((a, b) => a - b);
    return { name, p50: percentile(t, 50), p95: percentile(t, 95), errors: errors[k]! };
  });
}

/**
 * Templates made the way a shop makes them (over HTTP), then read back through the repositories:
 * the clones carry every column a link, payment and event really have.
 */
async function templates(app: App, client: Client) {
  const before = await app.core.store.read((t) => t.eventLog.lastId());
  const single = (await client.send('POST', '/api/v1/links', { name: 'Order 1', amount: '24.90', reference: 'ORDER-1', metadata: { order: '1', table: '4' }, description: 'Two coffees and a cake' })).json as { id: string };
  const paymentIds: string[] = [];
  for (const outcome of ['failed', 'abandoned', 'succeeded']) {
    const started = await client.send('POST', `/pay-by-link/${single.id}/payments`, { payer: { name: 'Ada Lovelace', email: 'ada@example.com' } }, false);
    const payment = (started.json as { payment?: { id: string } }).payment;
    if (!payment) throw new Error(`could not start a template payment: ${started.status} ${JSON.stringify(started.json)}`);
    paymentIds.push(payment.id);
    const done = await client.send('POST', `/sim/checkout/${payment.id}`, { outcome }, false);
    if (done.status !== 200) throw new Error(`could not finish a template payment: ${done.status} ${JSON.stringify(done.json)}`);
  }
  return app.core.store.read(async (t) => ({
    link: (await t.links.get(single.id))!,
    payments: (await Promise.all(paymentIds.map((id) => t.payments.get(id)))) as PaymentRecord[],
    events: await t.eventLog.after(before, 100),
  }));
}

type Template = Awaited<ReturnType<typeof templates>>;

/** One link's worth of rows: the template's, with this link's ids, times, amounts and fate. */
async function seedOne(t: Tx, tpl: Template, i: number, n: number, now: number, seeded: Seeded): Promise<void> {
  const createdAt = now - YEAR + Math.floor((i * (YEAR - DAY)) / n);
  const id = newId(tpl.link.id.split('_')[0]!);
  const base = `S${i.toString(36).toUpperCase()}`;
  const kind = i % 20;
  const amount = 500 + (i % 97) * 25;
  const poster = kind === 17 || kind === 18;
  const open = kind === 19;
  const expired = kind === 14 || kind === 15;
  const cancelled = kind === 16;
  const outcomes: PaymentRecord['status'][] = poster ? ['succeeded', 'succeeded', 'succeeded'] : kind < 14 ? ['failed', 'abandoned', 'succeeded'] : ['failed', 'abandoned', 'failed'];
  const succeeded = outcomes.filter((o) => o === 'succeeded').length;
  const name = `Order ${100000 + i}`;
  const link: LinkRecord = {
    ...tpl.link,
    id,
    name,
    reference: `ORDER-${100000 + i}`,
    metadata: { order: String(100000 + i), table: String(i % 12) },
    amount: poster ? null : amount,
    minAmount: poster ? 100 : null,
    reuse: poster ? 'multiple' : 'single',
    refIdBase: base,
    expiresAt: expired || cancelled ? createdAt + DAY : open ? now + 30 * DAY : null,
    expiredNotedAt: expired ? createdAt + DAY : null,
    cancelledAt: cancelled ? createdAt + 3_600_000 : null,
    usedCount: succeeded,
    usedAmount: succeeded * amount,
    pendingCount: 0,
    pendingAmount: 0,
    paymentCount: 3,
    nextRefSeq: 4,
    createdAt,
    updatedAt: createdAt + 600_000,
  };
  await t.links.insert(link);
  await t.refIds.claim(base);
  const ids = new Map<string, string>([
    [tpl.link.id, id],
    [tpl.link.refIdBase, base],
  ]);
  for (let k = 0; k < 3; k++) {
    const p = tpl.payments[k]!;
    const pid = newId(p.id.split('_')[0]!);
    const refId = `${base}-000${k + 1}`;
    const at = createdAt + (k + 1) * 60_000;
    ids.set(p.id, pid);
    ids.set(p.refId, refId);
    await t.payments.insert({ ...p, id: pid, linkId: id, refId, status: outcomes[k]!, amount, createdAt: at, updatedAt: at + 30_000, completedAt: at + 30_000, lockExpiresAt: at + 900_000 });
    await t.refIds.claim(refId);
  }
  // The template's events, about this link and its payments.
  for (const e of tpl.events) {
    let text = JSON.stringify(e.data);
    for (const [from, to] of ids) text = text.split(from).join(to);
    t.events.append(e.type, createdAt + (e.createdAt - tpl.link.createdAt), JSON.parse(text) as unknown);
  }
  if (seeded.sampleIds.length < 2_000 && i % Math.max(1, Math.floor(n / 2_000)) === 0) seeded.sampleIds.push(id);
  if (open && seeded.openIds.length < 500 && i > n / 2) seeded.openIds.push(id);
  if (poster && seeded.posterIds.length < 500 && i > n / 2) seeded.posterIds.push(id);
  if (seeded.names.length < 500 && i % Math.max(1, Math.floor(n / 500)) === 7) seeded.names.push(name);
}

export async function seed(app: App, client: Client, n: number): Promise<Seeded> {
  const tpl = await templates(app, client);
  const seeded: Seeded = { sampleIds: [], openIds: [], posterIds: [], names: [], pointOfSaleId: tpl.link.pointOfSaleId };
  const now = app.core.clock.now();
  for (let from = 0; from < n; from += BATCH) {
    await app.core.store.tx(async (t) => {
      for (let i = from; i < Math.min(n, from + BATCH); i++) await seedOne(t, tpl, i, n, now, seeded);
    });
    if (from > 0 && from % 100_000 === 0) process.stdout.write(`  seeded ${from.toLocaleString('en')} links\n`);
  }
  return seeded;
}

/**
 * Folds the write-ahead log into the database file (the size of the data itself, not of a log the
 * seeding left behind). The store's connection may be inside a read for a moment (the sweeper,
 * the outbox): then it is tried again shortly.
 */
async function checkpoint(app: App): Promise<void> {
  const db = (app.core.store as { db?: { pragma(s: string): unknown } }).db;
  for (let attempt = 0; db && attempt < 50; attempt++) {
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_LOCKED') throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const f of readdirSync(dir)) if (f.startsWith('counterlink.sqlite')) total += statSync(join(dir, f)).size;
  return total;
}

/** Server CPU while nobody uses it (the sweeper's timer, workers): percent of one core. */
async function idleCpu(seconds: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 1_500));
  const start = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = process.cpuUsage(start);
  return ((used.user + used.system) / 1000 / ms(t0)) * 100;
}

/** One size, seeded and served: its cases' requests, its figures, and how to stop it. */
interface Size {
  links: number;
  seedSeconds: number;
  dbBytes: number;
  cases: { name: string; request: Request }[];
  client: Client;
  close(): Promise<void>;
}

async function prepareSize(n: number): Promise<Size> {
  const { createApp } = await import('../../server/create-app');
  const kept = process.env.BENCH_SCALE_DIR ? join(process.env.BENCH_SCALE_DIR, String(n)) : undefined;
  if (kept) mkdirSync(kept, { recursive: true, mode: 0o700 });
  const dataDir = kept ?? mkdtempSync(join(tmpdir(), `counterlink-scale-${n}-`));
  const seededFile = join(dataDir, 'scale-seeded.json');
  // Every payer comes from this one address here: no per-address limit on starting payments.
  const app = await createApp({ dataDir, port: 0, host: '127.0.0.1', logger: false, dialogRateLimit: false });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    if (kept || process.env.BENCH_SCALE_KEEP === '1') console.log(`  kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await app.listen();
    const address = app.server.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // A test-mode key: test mode is where the simulator takes payments.
    const { key } = await app.core.apiKeys.generate('Scale bench', 'admin', 'test');
    const client = new Client(base, { authorization: `Bearer ${key}` });
    let seeded: Seeded;
    let seedSeconds: number;
    if (existsSync(seededFile)) {
      ({ seeded, seedSeconds } = JSON.parse(readFileSync(seededFile, 'utf8')) as { seeded: Seeded; seedSeconds: number });
      console.log(`\n${n.toLocaleString('en')} links: serving the data seeded before in ${dataDir}`);
    } else {
      console.log(`\n${n.toLocaleString('en')} links: seeding…`);
      const seedStart = process.hrtime.bigint();
      seeded = await seed(app, client, n);
      seedSeconds = ms(seedStart) / 1000;
      await checkpoint(app);
      console.log(`  seeded in ${seedSeconds.toFixed(1)} s`);
      if (kept) writeFileSync(seededFile, JSON.stringify({ seeded, seedSeconds }));
    }

    const get = (path: string, auth = true) => async () => (await client.send('GET', path, undefined, auth)).status;
    const day = (d: number) => new Date(app.core.clock.now() - d * DAY).toISOString();
    const cases: { name: string; request: Request }[] = [
      { name: 'GET /api/v1/links/{id}', request: () => get(`/api/v1/links/${pick(seeded.sampleIds)}`)() },
      { name: 'dialog GET /en/pay-by-link/{id}', request: () => get(`/en/pay-by-link/${pick(seeded.openIds)}`, false)() },
      { name: 'GET /api/v1/links (first page)', request: get('/api/v1/links') },
      { name: 'GET /api/v1/links?status=enabled', request: get('/api/v1/links?status=enabled') },
      { name: 'GET /api/v1/links?pointOfSaleId=…', request: get(`/api/v1/links?pointOfSaleId=${seeded.pointOfSaleId}`) },
      { name: 'GET /api/v1/links?createdAfter=(7 days ago)', request: get(`/api/v1/links?createdAfter=${day(7)}`) },
      { name: 'GET /api/v1/links?createdBefore=(300 days ago)', request: get(`/api/v1/links?createdBefore=${day(300)}`) },
      // Three days: a full page (50) at 10 k links too (27 a day there), so both sizes answer the same page.
      { name: 'GET /api/v1/links?createdAfter&createdBefore (three days)', request: get(`/api/v1/links?createdAfter=${day(183)}&createdBefore=${day(180)}`) },
      { name: 'GET /api/v1/links?expiresBefore=(200 days ago)', request: get(`/api/v1/links?expiresBefore=${day(200)}`) },
      { name: 'GET /api/v1/links?expiresAfter=(now)', request: get(`/api/v1/links?expiresAfter=${day(0)}`) },
      { name: 'GET /api/v1/links?q=(an order number)', request: () => get(`/api/v1/links?q=${encodeURIComponent(pick(seeded.names))}`)() },
      { name: 'GET /api/v1/links?q=(no match)', request: get('/api/v1/links?q=nothing-like-this') },
      {
        name: 'full payment (start + approve)',
        request: async () => {
          const started = await client.send('POST', `/pay-by-link/${pick(seeded.posterIds)}/payments`, { amount: '5.00' }, false);
          const payment = (started.json as { payment?: { id: string } } | undefined)?.payment;
          if (!payment) return started.status;
          return (await client.send('POST', `/sim/checkout/${payment.id}`, { outcome: 'succeeded' }, false)).status;
        },
      },
    ];
    return { links: n, seedSeconds, dbBytes: dirBytes(dataDir), cases, client, close };
  } catch (err) {
    await close();
    throw err;
  }
}

const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export async function runScaleBench(n: number): Promise<void> {
  process.env.NODE_ENV ??= 'production';
  const small = Number(process.env.BENCH_SCALE_BASE ?? 10_000);
  const sizes = n > small ? [small, n] : [n];
  // Each size's idle CPU is measured while it is the only app in the process; the requests of
  // both sizes are measured in alternating turns (measureInTurns) while both are up.
  const prepared: Size[] = [];
  const idle: number[] = [];
  const results: SizeResult[] = [];
  try {
    for (const size of sizes) {
      if (prepared.length > 0) idle.push(await idleCpu(IDLE_S));
      prepared.push(await prepareSize(size));
    }
    console.log('  measuring…');
    const rows: Case[][] = [];
    for (const [i, { name }] of prepared[0]!.cases.entries()) rows.push(await measureInTurns(name, prepared.map((p) => p.cases[i]!.request)));
    for (const p of prepared) if (p.client.firstError) console.log(`  refused: ${p.client.firstError}`);
    for (const p of prepared.slice(0, -1)) await p.close();
    idle.push(await idleCpu(IDLE_S));
    prepared.forEach((p, k) => results.push({ links: p.links, seedSeconds: p.seedSeconds, dbBytes: p.dbBytes, cases: rows.map((row) => row[k]!), idleCpuPercent: idle[k]! }));
  } finally {
    for (const p of prepared) await p.close();
  }

  const [a, b] = [results[0]!, results[results.length - 1]!];
  const label = (r: SizeResult) => `${r.links >= 1_000_000 ? `${r.links / 1_000_000} M` : `${r.links / 1000} k`}`;
  console.log(`\nCounterlink scale bench — SQLite synchronous=FULL, ${SAMPLES} sequential requests per case over loopback, ms`);
  for (const r of results) {
    console.log(`  ${label(r)} links: seeded in ${r.seedSeconds.toFixed(1)} s, database ${(r.dbBytes / 1024 / 1024).toFixed(0)} MiB (${(r.dbBytes / r.links / 1024).toFixed(1)} KiB per link)`);
  }
  const head = ['case'.padEnd(58), ...results.flatMap((r) => [`p50 ${label(r)}`.padStart(10), `p95 ${label(r)}`.padStart(10)])];
  if (results.length > 1) head.push('p50 ×'.padStart(7), 'p95 ×'.padStart(7));
  console.log(`\n${head.join(' ')}`);
  a.cases.forEach((c, i) => {
    const row = [c.name.padEnd(58), ...results.flatMap((r) => [fmt(r.cases[i]!.p50).padStart(10), fmt(r.cases[i]!.p95).padStart(10)])];
    if (results.length > 1) row.push(`${(b.cases[i]!.p50 / c.p50).toFixed(2)}`.padStart(7), `${(b.cases[i]!.p95 / c.p95).toFixed(2)}`.padStart(7));
    const errors = results.map((r) => r.cases[i]!.errors).filter((e) => e > 0);
    console.log(row.join(' ') + (errors.length ? `  (errors: ${errors.join('/')})` : ''));
  });
  console.log(`${'idle CPU, % of a core'.padEnd(58)} ${results.map((r) => `${r.idleCpuPercent.toFixed(2)}`.padStart(21)).join(' ')}`);
}
