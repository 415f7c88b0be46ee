/**
 * Three server processes on one PostgreSQL database behave as one server: single winners across
 * processes, shared limits and idempotency keys, one event order on every stream, webhooks
 * delivered once. (API.md, "PostgreSQL and several servers".)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startCluster, startServer, type ServerProcess } from '../../support/cluster';
import { freshDatabase, testPostgresUrl } from '../../support/postgres';
import { startReceiver, type Receiver } from '../webhooks-receiver';

/** Servers sharing one database share the data key that seals its secrets (README, "Secrets at rest"). */
const SHARED_SECRETS = { COUNTERLINK_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') };

const pgServer = testPostgresUrl();

/** Reads an SSE stream, collecting event ids and types until stopped. */
function readStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const events: { id: number; type: string }[] = [];
  const done = (async () => {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const id = /^id: (\d+)$/m.exec(block);
          const type = /^event: (.+)$/m.exec(block);
          if (id && type) events.push({ id: Number(id[1]), type: type[1]! });
        }
      }
    } catch {
      // aborted
    }
  })();
  return { events, stop: async () => (controller.abort(), done) };
}

describe.skipIf(!pgServer)('three servers on one PostgreSQL', () => {
  let servers: ServerProcess[] = [];
  let receiver: Receiver;
  const at = (i: number) => servers[i % servers.length]!.url;

  beforeAll(async () => {
    const url = await freshDatabase(pgServer!, 'cluster');
    servers = await startCluster(url, 3, SHARED_SECRETS);
    receiver = await startReceiver();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await receiver?.close();
  });

  it('pays a single-use link once, whichever servers the starts land on', async () => {
    const link = await call(at(0), 'POST', '/api/v1/links', { name: 'One chance', amount: '9.90' });
    expect(link.status).toBe(201);
    const results = await Promise.all(Array.from({ length: 30 }, (_v, i) => call(at(i), 'POST', `/pay-by-link/${link.body.id}/payments`, {})));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(29);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.type === 'link-locked')).toBe(true);
    const view = await call(at(2), 'GET', `/api/v1/links/${link.body.id}`);
    expect(view.body.status).toBe('locked');
    expect(view.body.usage.pendingCount).toBe(1);
  });

  it('holds maxUses across servers', async () => {
    const link = await call(at(1), 'POST', '/api/v1/links', { name: 'Five tickets', amount: '5.00', reuse: 'multiple', maxUses: 5 });
    const results = await Promise.all(Array.from({ length: 24 }, (_v, i) => call(at(i), 'POST', `/pay-by-link/${link.body.id}/payments`, {})));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.type === 'usage-limit-reached')).toBe(true);
    // Completing them on other servers uses the link up.
    await Promise.all(results.filter((r) => r.status === 201).map((r, i) => call(at(i + 1), 'POST', `/sim/checkout/${r.body.payment.id}`, { outcome: 'succeeded' })));
    const view = await call(at(0), 'GET', `/api/v1/links/${link.body.id}`);
    expect(view.body.status).toBe('usage_limit_reached');
    expect(view.body.usage.count).toBe(5);
  });

  it('honours one Idempotency-Key whichever server answers', async () => {
    const key = `order-${Date.now()}`;
    const body = { name: 'Invoice 42', amount: '42.00' };
    const results = await Promise.all(Array.from({ length: 9 }, (_v, i) => call(at(i), 'POST', '/api/v1/links', body, { 'idempotency-key': key })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(8);
    const conflict = await call(at(1), 'POST', '/api/v1/links', { ...body, amount: '43.00' }, { 'idempotency-key': key });
    expect(conflict.status).toBe(409);
    expect(conflict.body.type).toBe('idempotency-conflict');
  });

  it('streams every server’s events on every server, in id order, with no gap and no repeat', async () => {
    const start = (await call(at(0), 'GET', '/api/v1/events?limit=1&order=desc')).body.data[0]?.id ?? 0;
    const streams = servers.map((s) => readStream(`${s.url}/api/v1/events?after=${start}`, { authorization: `Bearer clk_cluster_test_key_0123456789abcdef` }));
    await new Promise((r) => setTimeout(r, 300));
    // Concurrent writers on all three servers.
    await Promise.all(
      Array.from({ length: 45 }, async (_v, i) => {
        const link = await call(at(i), 'POST', '/api/v1/links', { name: `Stream ${i}`, amount: '1.00', reuse: 'multiple' });
        const started = await call(at(i + 1), 'POST', `/pay-by-link/${link.body.id}/payments`, {});
        await call(at(i + 2), 'POST', `/sim/checkout/${started.body.payment.id}`, { outcome: i % 2 ? 'succeeded' : 'failed' });
      }),
    );
    const expected: number[] = [];
    for (let after = start; ; ) {
      const page = await call(at(1), 'GET', `/api/v1/events?after=${after}&limit=200`);
      expected.push(...page.body.data.map((e: { id: number }) => e.id));
      if (!page.body.nextCursor) break;
      after = page.body.data[page.body.data.length - 1].id;
    }
    expect(expected.length).toBeGreaterThanOrEqual(45 * 3); // link.created, payment.created, payment.succeeded|failed
    const until = Date.now() + 15_000;
    while (streams.some((s) => s.events.length < expected.length) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    for (const s of streams) await s.stop();
    for (const s of streams) {
      const ids = s.events.map((e) => e.id).filter((id) => id <= expected[expected.length - 1]!);
      expect(ids).toEqual(expected);
    }
  });

  it('delivers each webhook once with a worker on every server', async () => {
    const endpoint = await call(at(0), 'POST', '/api/v1/webhook-endpoints', { url: `${receiver.url}/hook`, events: ['link.created'] });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const created = await Promise.all(Array.from({ length: 18 }, (_v, i) => call(at(i), 'POST', '/api/v1/links', { name: `Hooked ${i}`, amount: '2.00' })));
    const ids = new Set(created.map((c) => c.body.id as string));
    const until = Date.now() + 20_000;
    const linkIdsReceived = () => receiver.accepted().map((r) => (JSON.parse(r.body) as { data: { id: string } }).data.id).filter((id) => ids.has(id));
    while (linkIdsReceived().length < ids.size && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500)); // any duplicate would arrive by now
    const received = linkIdsReceived();
    expect(new Set(received).size).toBe(ids.size);
    expect(received).toHaveLength(ids.size);
    const messageIds = receiver.accepted().map((r) => r.headers['webhook-id']);
    expect(new Set(messageIds).size).toBe(messageIds.length);
  });
});

describe('a bad COUNTERLINK_DATABASE_URL', () => {
  it.each([
    ['mysql://u:secret@127.0.0.1/x', /must start with postgres:\/\//],
    ['postgres://u:secret@127.0.0.1:1/none', /Cannot use the PostgreSQL database at 127\.0\.0\.1:1\/none/],
  ])('%s: refused with one clear line, no stack, no password', async (url, message) => {
    const server = await startServer({ COUNTERLINK_DATABASE_URL: url }, { waitReady: false });
    const code = await new Promise<number | null>((ok) => server.child.once('exit', (c) => ok(c)));
    const out = server.output().trim();
    await server.stop();
    expect(code).toBe(1);
    expect(out).toMatch(message);
    expect(out.split('\n')).toHaveLength(1);
    expect(out).not.toContain('secret');
    expect(out).not.toMatch(/\n\s+at /);
  });
});
