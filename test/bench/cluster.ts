/**
 * The PostgreSQL part of `npm run bench`: full payments per second (start + approve) and dialog
 * GETs per second with 1, 2 and 3 server processes on one database, beside one process on the
 * embedded SQLite store, all in the same run and reported as ratios to one PostgreSQL process.
 * Real processes (`server/main.ts`), real PostgreSQL with its durable defaults (fsync on), loopback.
 */
import autocannon from 'autocannon';
import { call, startCluster, startServer, type ServerProcess } from '../support/cluster';
import { findPostgresBin, freshDatabase, startPostgres } from '../support/postgres';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 12);

interface Row {
  setup: string;
  paymentsPerSecond: number;
  dialogPerSecond: number;
  errors: number;
}

/**
 * `CONNECTIONS` customers, spread over the servers, each paying their own reusable link over and
 * over: start on one server, approve on the next. (One shared link would measure that link's row
 * lock, which serialises its payments by design.)
 */
async function fullPayments(servers: ServerProcess[], linkIds: string[]): Promise<{ perSecond: number; errors: number }> {
  let done = 0;
  let errors = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_v, i) => {
      const a = servers[i % servers.length]!.url;
      const b = servers[(i + 1) % servers.length]!.url;
      const linkId = linkIds[i]!;
      while (Date.now() < until) {
        const started = await call(a, 'POST', `/pay-by-link/${linkId}/payments`, {});
        if (started.status !== 201) {
          errors++;
          continue;
        }
        const approved = await call(b, 'POST', `/sim/checkout/${started.body.payment.id}`, { outcome: 'succeeded' });
        if (approved.status === 200) done++;
        else errors++;
      }
    }),
  );
  return { perSecond: Math.round(done / SECONDS), errors };
}

/** autocannon against every server at once, connections split between them; summed. */
async function dialogGets(servers: ServerProcess[], linkId: string): Promise<{ perSecond: number; errors: number }> {
  const per = Math.max(1, Math.round(CONNECTIONS / servers.length));
  const results = await Promise.all(servers.map((s) => autocannon({ url: `${s.url}/en/pay-by-link/${linkId}`, connections: per, duration: SECONDS })));
  return {
    perSecond: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    errors: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
  };
}

async function measure(setup: string, servers: ServerProcess[]): Promise<Row> {
  const poster = await call(servers[0]!.url, 'POST', '/api/v1/links', { name: 'Scan to pay', amount: '4.20', reuse: 'multiple' });
  if (poster.status !== 201) throw new Error(`cannot create the bench link: ${JSON.stringify(poster.body)}`);
  // Warm up every process (JIT, prepared statements, pools).
  for (const s of servers) for (let i = 0; i < 20; i++) await call(s.url, 'GET', `/en/pay-by-link/${poster.body.id}`);
  const links = await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_v, i) => (await call(servers[i % servers.length]!.url, 'POST', '/api/v1/links', { name: `Tab ${i}`, amount: '4.20', reuse: 'multiple' })).body.id as string),
  );
  const pay = await fullPayments(servers, links);
  const dialog = await dialogGets(servers, poster.body.id);
  return { setup, paymentsPerSecond: pay.perSecond, dialogPerSecond: dialog.perSecond, errors: pay.errors + dialog.errors };
}

export async function runClusterBench(): Promise<Row[] | undefined> {
  const bin = findPostgresBin();
  if (!bin) {
    console.log('\nPostgreSQL bench skipped: no PostgreSQL server binaries (apt-get install postgresql, or COUNTERLINK_PG_BIN).');
    return undefined;
  }
  const pg = await startPostgres(bin, { durable: true });
  const rows: Row[] = [];
  try {
    const sqlite = await startServer({});
    try {
      rows.push(await measure('SQLite, 1 process', [sqlite]));
    } finally {
      await sqlite.stop();
    }
    for (const n of [1, 2, 3]) {
      // Servers sharing one database share the data key that seals its secrets.
      const servers = await startCluster(await freshDatabase(pg.url, `bench${n}`), n, { COUNTERLINK_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') });
      try {
        rows.push(await measure(`PostgreSQL, ${n} process${n > 1 ? 'es' : ''}`, servers));
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    }
  } finally {
    await pg.stop();
  }
  const base = rows.find((r) => r.setup.startsWith('PostgreSQL, 1'))!;
  console.log(`\nSeveral servers on one PostgreSQL — ${CONNECTIONS} connections, ${SECONDS}s each, loopback, fsync on\n`);
  console.log('payments/s  ratio  dialog GET/s  ratio  errors  setup');
  for (const r of rows) {
    console.log(
      `${String(r.paymentsPerSecond).padStart(10)}  ${(r.paymentsPerSecond / base.paymentsPerSecond).toFixed(2).padStart(5)}  ${String(r.dialogPerSecond).padStart(12)}  ${(r.dialogPerSecond / base.dialogPerSecond).toFixed(2).padStart(5)}  ${String(r.errors).padStart(6)}  ${r.setup}`,
    );
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runClusterBench().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
