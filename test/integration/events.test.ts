import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, createLink, expectProblem, expectValidation, fetchJson, listen, makeApp, pay, type TestApp } from './helpers';

interface SseEvent {
  id: number;
  event: string;
  data: { id: number; type: string; createdAt: string; data: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A minimal SSE client over node:http that records events and comment lines. */
class SseClient {
  events: SseEvent[] = [];
  comments: string[] = [];
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  private buffer = '';
  private request: http.ClientRequest | undefined;
  private waiters: (() => void)[] = [];

  open(url: string, headers: Record<string, string> = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.request = http.get(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${API_KEY}`, ...headers } }, (res) => {
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.feed(chunk));
        res.on('error', () => undefined);
        resolve();
      });
      this.request.on('error', (err) => {
        if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
      });
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line);
        else {
          const i = line.indexOf(':');
          const name = i < 0 ? line : line.slice(0, i);
          const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
          fields[name] = fields[name] === undefined ? value : `${fields[name]}\n${value}`;
        }
      }
      if (fields.data !== undefined) this.events.push({ id: Number(fields.id), event: fields.event ?? 'message', data: JSON.parse(fields.data) });
    }
    for (const w of this.waiters.splice(0)) w();
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; have ${this.events.map((e) => `${e.id}:${e.event}`).join(' ')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.request?.destroy();
  }
}

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await makeApp({ eventStream: { heartbeatMs: 200, batch: 3 } });
  base = await listen(t);
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/v1/events (JSON)', () => {
  it('returns events oldest first after a cursor, with nextCursor paging', async () => {
    const start = await t.app.core.events.lastId();
    for (let i = 0; i < 5; i++) await createLink(t, { name: `E${i}` });
    const page1 = await t.req('GET', `/api/v1/events?after=${start}&limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((e: { data: { name: string } }) => e.data.name)).toEqual(['E0', 'E1']);
    expect(page1.body.nextCursor).toBe(String(page1.body.data[1].id));
    const page2 = await t.req('GET', `/api/v1/events?after=${page1.body.nextCursor}&limit=2`);
    const page3 = await t.req('GET', `/api/v1/events?after=${page2.body.nextCursor}&limit=2`);
    const all = [...page1.body.data, ...page2.body.data, ...page3.body.data];
    expect(all.map((e: { data: { name: string } }) => e.data.name)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
    expect(page3.body.nextCursor).toBeNull();
    const ids = all.map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(5);
    for (const e of all) {
      expect(e).toEqual({ id: expect.any(Number), livemode: false, type: 'link.created', createdAt: expect.stringMatching(/Z$/), data: expect.any(Object) });
    }
    // Default: from the start.
    const first = await t.req('GET', '/api/v1/events?limit=1');
    expect(first.body.data[0].id).toBe(1);
    expect((await t.req('GET', `/api/v1/events?after=${await t.app.core.events.lastId()}`)).body).toEqual({ data: [], nextCursor: null });
  });

  it('carries the object after the change: the link for link.*, the payment for payment.*', async () => {
    const after = await t.app.core.events.lastId();
    const link = await createLink(t, { name: 'Data check' });
    const payment = await pay(t, link.id);
    const done = await t.app.core.payments.complete(payment.id, 'succeeded');
    const events = (await t.req('GET', `/api/v1/events?after=${after}`)).body.data;
    const byType = Object.fromEntries(events.filter((e: { type: string }) => !e.type.startsWith('display.')).map((e: { type: string; data: unknown }) => [e.type, e.data]));
    expect(Object.keys(byType)).toEqual(['link.created', 'payment.created', 'link.locked', 'payment.succeeded', 'link.consumed']);
    expect(byType['link.created']).toEqual(link);
    expect(byType['payment.created']).toMatchObject({ id: payment.id, status: 'pending' });
    expect(byType['link.locked']).toMatchObject({ id: link.id, status: 'locked', usage: { pendingCount: 1 } });
    expect(byType['payment.succeeded']).toEqual(done);
    expect(byType['link.consumed']).toEqual((await t.req('GET', `/api/v1/links/${link.id}`)).body);
  });

  it('validates after and limit', async () => {
    for (const q of ['after=-1', 'after=abc', 'limit=0', 'limit=201', 'limit=2.5', 'cursor=5x']) {
      expectValidation(await t.req('GET', `/api/v1/events?${q}`), q.split('=')[0]!);
    }
  });
});

describe('GET /api/v1/events (SSE)', () => {
  it('streams events live with id, event type and the event JSON', async () => {
    const client = new SseClient();
    await client.open(`${base}/api/v1/events`);
    try {
      expect(client.status).toBe(200);
      expect(client.headers['content-type']).toMatch(/^text\/event-stream/);
      const created = await fetchJson(base, 'POST', '/api/v1/links', { name: 'Live', amount: '3.00' });
      expect(created.status).toBe(201);
      await client.waitFor(() => client.events.some((e) => e.event === 'link.created'));
      const ev = client.events.find((e) => e.event === 'link.created')!;
      expect(ev.data).toEqual({ id: ev.id, livemode: false, type: 'link.created', createdAt: expect.any(String), data: created.body });

      const payment = await pay(t, created.body.id);
      await t.app.core.payments.complete(payment.id, 'succeeded');
      await client.waitFor(() => client.events.some((e) => e.event === 'link.consumed'));
      const types = client.events.map((e) => e.event).filter((type) => !type.startsWith('display.'));
      expect(types).toEqual(['link.created', 'payment.created', 'link.locked', 'payment.succeeded', 'link.consumed']);
      const succeeded = client.events.find((e) => e.event === 'payment.succeeded')!;
      expect(succeeded.data.data).toMatchObject({ id: payment.id, status: 'succeeded', linkId: created.body.id });
      const consumed = client.events.find((e) => e.event === 'link.consumed')!;
      expect(consumed.data.data).toMatchObject({ id: created.body.id, status: 'consumed' });
      const ids = client.events.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      client.close();
    }
  });

  it('sends a heartbeat comment', async () => {
    const client = new SseClient();
    await client.open(`${base}/api/v1/events`);
    try {
      await client.waitFor(() => client.comments.some((c) => /heartbeat/.test(c)), 3000);
    } finally {
      client.close();
    }
  });

  it('resumes after Last-Event-ID (or ?after=) without gaps or duplicates across a disconnect', async () => {
    const startId = await t.app.core.events.lastId();
    const first = new SseClient();
    await first.open(`${base}/api/v1/events`, { 'last-event-id': String(startId) });
    for (let i = 0; i < 4; i++) await fetchJson(base, 'POST', '/api/v1/links', { name: `Before ${i}` });
    await first.waitFor(() => first.events.filter((e) => e.event === 'link.created').length >= 4);
    const lastSeen = first.events[first.events.length - 1]!.id;
    first.close();
    await new Promise((r) => setTimeout(r, 50));

    // Many changes while disconnected (more than one read batch).
    for (let i = 0; i < 10; i++) await fetchJson(base, 'POST', '/api/v1/links', { name: `During ${i}` });

    const second = new SseClient();
    await second.open(`${base}/api/v1/events`, { 'last-event-id': String(lastSeen) });
    for (let i = 0; i < 3; i++) await fetchJson(base, 'POST', '/api/v1/links', { name: `After ${i}` });
    const expectedTotal = (await t.app.core.events.lastId()) - startId;
    await second.waitFor(() => first.events.length + second.events.length >= expectedTotal);
    await new Promise((r) => setTimeout(r, 300));
    second.close();

    const ids = [...first.events, ...second.events].map((e) => e.id);
    const expected = (await t.app.core.events.after(startId, 10_000)).map((e) => e.id);
    expect(ids).toEqual(expected);
    expect(second.events[0]!.id).toBe(lastSeen + 1);
    const names = [...first.events, ...second.events].filter((e) => e.event === 'link.created').map((e) => e.data.data.name);
    expect(names).toEqual([...[0, 1, 2, 3].map((i) => `Before ${i}`), ...Array.from({ length: 10 }, (_, i) => `During ${i}`), ...[0, 1, 2].map((i) => `After ${i}`)]);

    // ?after= does the same.
    const third = new SseClient();
    await third.open(`${base}/api/v1/events?after=${lastSeen}`);
    await third.waitFor(() => third.events.length >= expected.length - (lastSeen - startId));
    third.close();
    expect(third.events.map((e) => e.id)).toEqual(expected.filter((id) => id > lastSeen));
  });

  it('refuses a malformed Last-Event-ID and a missing key with problem+json', async () => {
    expectProblem(await t.req('GET', '/api/v1/events', undefined, { headers: { accept: 'text/event-stream', 'last-event-id': 'abc' } }), 422, 'validation-error');
    expectProblem(await t.req('GET', '/api/v1/events', undefined, { auth: false, headers: { accept: 'text/event-stream' } }), 401, 'unauthorized');
  });

  it('closes open streams when the app closes', async () => {
    const other = await makeApp({ eventStream: { heartbeatMs: 200 } });
    const url = await listen(other);
    const client = new SseClient();
    await client.open(`${url}/api/v1/events`);
    const ended = new Promise<void>((resolve) => {
      (client as unknown as { request: http.ClientRequest }).request.on('close', () => resolve());
    });
    await other.close();
    await Promise.race([ended, new Promise((_, reject) => setTimeout(() => reject(new Error('stream not closed')), 3000))]);
  });
});
