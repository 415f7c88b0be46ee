import { afterEach, describe, expect, it, vi } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { ManualClock } from '../../core/clock';
import { decryptBody } from '../../core/webhooks/signing';
import { startReceiver, waitFor, type Received, type Receiver } from './webhooks-receiver';
import { startApp, type Running } from './webhooks-app';

const apps: Running[] = [];
const receivers: Receiver[] = [];

async function app(options: Parameters<typeof startApp>[0] = {}): Promise<Running> {
  const r = await startApp(options);
  apps.push(r);
  return r;
}
async function receiver(respond?: Receiver['respond']): Promise<Receiver> {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

afterEach(async () => {
  vi.useRealTimers();
  for (const r of receivers.splice(0)) await r.close();
  for (const a of apps.splice(0)) await a.app.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function addEndpoint(t: Running, body: Record<string, unknown>): Promise<any> {
  const res = await t.api('POST', '/api/v1/webhook-endpoints', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const parsed = (r: Received) => JSON.parse(r.body) as { type: string; timestamp: string; data: { id: string; status?: string } };
const types = (rs: Received[]) => rs.map((r) => parsed(r).type);

describe('webhook delivery', () => {
  it('sends each event as a Standard Webhook that the standardwebhooks package verifies, with the data of the event log', async () => {
    const t = await app();
    const rx = await receiver();
    const endpoint = await addEndpoint(t, { url: rx.url, description: 'ERP' });
    expect(endpoint).toMatchObject({ url: rx.url, description: 'ERP', events: ['*'], enabled: true, encryption: 'none', status: 'healthy' });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const { linkId, paymentId } = await t.paidLink();
    await waitFor(() => rx.received.length >= 5, 8000, 'five deliveries');
    await t.app.core.webhooks.dispatcher.idle();

    const wh = new Webhook(endpoint.secret);
    for (const r of rx.received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['webhook-id']).toMatch(/^msg_/);
      expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      expect(String(r.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(() => wh.verify(r.body, r.headers as Record<string, string>)).not.toThrow();
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(r.body, r.headers as Record<string, string>)).toThrow();
    }
    expect(types(rx.received)).toEqual(['link.created', 'payment.created', 'link.locked', 'payment.succeeded', 'link.consumed']);
    // data is the object the event is about, exactly as in the event log
    const log = (await t.api('GET', '/api/v1/events?after=0&limit=200')).body.data.filter((e: { type: string }) => !e.type.startsWith('webhook_endpoint.'));
    expect(rx.received.map((r) => ({ ...parsed(r) }))).toEqual(log.map((e: { type: string; createdAt: string; data: unknown }) => ({ type: e.type, timestamp: e.createdAt, data: e.data })));
    expect(parsed(rx.received[3]!).data).toMatchObject({ id: paymentId, status: 'succeeded' });
    expect(parsed(rx.received[4]!).data).toMatchObject({ id: linkId, status: 'consumed' });
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(5);

    // The delivery log: one succeeded entry per message, each with its attempt.
    const log2 = await t.api('GET', `/api/v1/webhook-deliveries?endpointId=${endpoint.id}`);
    expect(log2.status).toBe(200);
    expect(log2.body.data).toHaveLength(5);
    expect(log2.body.data[0]).toMatchObject({ endpointId: endpoint.id, eventType: 'link.consumed', status: 'succeeded', attemptCount: 1, nextAttemptAt: null });
    expect(log2.body.data[0].attempts).toEqual([
      { attempt: 1, startedAt: expect.any(String), durationMs: expect.any(Number), ok: true, statusCode: 200, error: null, responseSnippet: 'ok' },
    ]);
    expect(log2.body.data.map((d: { messageId: string }) => d.messageId).reverse()).toEqual(rx.received.map((r) => r.headers['webhook-id']));

    // Secrets never come back.
    const got = await t.api('GET', `/api/v1/webhook-endpoints/${endpoint.id}`);
    expect(got.body).not.toHaveProperty('secret');
    expect(got.body.lastSuccessAt).toEqual(expect.any(String));
    const list = await t.api('GET', '/api/v1/webhook-endpoints');
    expect(list.body).toMatchObject({ data: [{ id: endpoint.id }], nextCursor: null });
    expect(JSON.stringify(list.body)).not.toContain(endpoint.secret.slice(6));
  });

  it('respects each endpoint’s event filter, wildcards included', async () => {
    const t = await app();
    const [all, links, paid, mixed] = [await receiver(), await receiver(), await receiver(), await receiver()];
    await addEndpoint(t, { url: all.url });
    await addEndpoint(t, { url: links.url, events: ['link.*'] });
    await addEndpoint(t, { url: paid.url, events: ['payment.succeeded'] });
    await addEndpoint(t, { url: mixed.url, events: ['payment.failed', 'link.created'] });
    // the endpoints' own creation events reach the ones made before them: start counting after
    await t.app.core.webhooks.dispatcher.idle();
    for (const r of [all, links, paid, mixed]) r.received.length = 0;

    await t.paidLink();
    const link = await t.app.core.links.create({ name: 'declined', amount: '3' });
    const { payment } = await t.app.core.payments.start(link.id, {});
    await t.app.core.payments.complete(payment.id, 'failed');
    await waitFor(() => all.received.length === 10, 8000, 'all events');
    await t.app.core.webhooks.dispatcher.idle();

    expect(types(all.received)).toEqual([
      'link.created', 'payment.created', 'link.locked', 'payment.succeeded', 'link.consumed',
      'link.created', 'payment.created', 'link.locked', 'payment.failed', 'link.unlocked',
    ]);
    expect(types(links.received)).toEqual(['link.created', 'link.locked', 'link.consumed', 'link.created', 'link.locked', 'link.unlocked']);
    expect(types(paid.received)).toEqual(['payment.succeeded']);
    expect(types(mixed.received)).toEqual(['link.created', 'link.created', 'payment.failed']);
  });

  it('retries a receiver that fails twice: it gets the event once, with the same webhook-id on every attempt', async () => {
    const t = await app();
    const rx = await receiver(({ n }) => (n === 1 ? { status: 500, body: 'database down' } : n === 2 ? { status: 503 } : { status: 200, body: 'thanks' }));
    const endpoint = await addEndpoint(t, { url: rx.url, events: ['payment.succeeded'] });
    const { paymentId } = await t.paidLink();
    await waitFor(() => rx.accepted().length === 1, 8000, 'the successful attempt');
    await t.app.core.webhooks.dispatcher.idle();

    expect(rx.received.map((r) => r.status)).toEqual([500, 503, 200]);
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    expect(rx.accepted()).toHaveLength(1);
    expect(parsed(rx.accepted()[0]!).data.id).toBe(paymentId);
    for (const r of rx.received) expect(() => new Webhook(endpoint.secret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();

    const [delivery] = (await t.api('GET', `/api/v1/webhook-deliveries?endpointId=${endpoint.id}`)).body.data;
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 3, eventType: 'payment.succeeded', messageId: rx.received[0]!.headers['webhook-id'] });
    expect(delivery.attempts.map((a: { statusCode: number; ok: boolean; error: string | null; responseSnippet: string | null }) => [a.statusCode, a.ok, a.error, a.responseSnippet])).toEqual([
      [500, false, 'HTTP 500', 'database down'],
      [503, false, 'HTTP 503', null],
      [200, true, null, 'thanks'],
    ]);
    expect((await t.api('GET', `/api/v1/webhook-endpoints/${endpoint.id}`)).body.status).toBe('healthy');
  });

  it('a dead endpoint (hanging or refusing) does not delay a healthy one', async () => {
    const t = await app();
    const hanging = await receiver(() => ({ hang: true }));
    const healthy = await receiver();
    const refusing = await receiver();
    const refusingUrl = refusing.url;
    await refusing.close();
    receivers.splice(receivers.indexOf(refusing), 1);
    await addEndpoint(t, { url: hanging.url, events: ['link.*', 'payment.*'] });
    const refusingEndpoint = await addEndpoint(t, { url: refusingUrl, events: ['link.*', 'payment.*'] });
    await addEndpoint(t, { url: healthy.url, events: ['link.*', 'payment.*'] });

    const started = Date.now();
    for (let i = 0; i < 4; i++) await t.paidLink(`order ${i}`);
    await waitFor(() => healthy.received.length === 20, 3000, 'all 20 events at the healthy endpoint');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(hanging.received).toHaveLength(1); // its first message is still waiting for an answer
    expect(types(healthy.received).slice(0, 5)).toEqual(['link.created', 'payment.created', 'link.locked', 'payment.succeeded', 'link.consumed']);
    // The refusing endpoint's head message was tried (and is retrying or failed) all the while.
    const refused = (await t.api('GET', `/api/v1/webhook-deliveries?endpointId=${refusingEndpoint.id}`)).body.data as { attempts: { error: string }[] }[];
    const tried = refused.filter((d) => d.attempts.length > 0);
    expect(tried.length).toBeGreaterThan(0);
    expect(tried[0]!.attempts[0]!.error).toMatch(/ECONNREFUSED/);
  });

  it('marks an endpoint failing (with a feed alert) when retries run out, and healthy again after a success', async () => {
    const t = await app();
    let up = false;
    const rx = await receiver(() => (up ? { status: 200 } : { status: 502, body: 'bad gateway' }));
    const endpoint = await addEndpoint(t, { url: rx.url, events: ['link.created'] });
    await t.app.core.links.create({ name: 'a', amount: '1' });
    await waitFor(() => rx.received.length === 4, 8000, 'four attempts');
    await t.app.core.webhooks.dispatcher.idle();

    const failing = (await t.api('GET', `/api/v1/webhook-endpoints/${endpoint.id}`)).body;
    expect(failing).toMatchObject({ status: 'failing', failingSince: expect.any(String), lastError: 'HTTP 502' });
    const [delivery] = (await t.api('GET', '/api/v1/webhook-deliveries?status=failed')).body.data;
    expect(delivery).toMatchObject({ endpointId: endpoint.id, status: 'failed', attemptCount: 4, nextAttemptAt: null });
    const alerts = (await t.app.core.events.after(0, 500)).filter((e) => e.type === 'webhook_endpoint.failing');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.data).toMatchObject({ id: endpoint.id, status: 'failing', deliveryId: delivery.id });
    expect(JSON.stringify(alerts[0]!.data)).not.toContain(endpoint.secret.slice(6));

    // The next message is tried (an ended delivery no longer blocks the queue); the receiver is back.
    up = true;
    await t.app.core.links.create({ name: 'b', amount: '1' });
    await waitFor(() => rx.accepted().length === 1, 8000, 'a success');
    await t.app.core.webhooks.dispatcher.idle();
    expect((await t.api('GET', `/api/v1/webhook-endpoints/${endpoint.id}`)).body).toMatchObject({ status: 'healthy', failingSince: null, lastError: null });
    expect((await t.app.core.events.after(0, 500)).filter((e) => e.type === 'webhook_endpoint.recovered')).toHaveLength(1);

    // Redeliver the failed one: same webhook-id, its attempts continue.
    const redelivered = await t.api('POST', `/api/v1/webhook-deliveries/${delivery.id}/redeliver`);
    expect(redelivered.status).toBe(202);
    expect(redelivered.body).toMatchObject({ id: delivery.id, status: 'queued' });
    await waitFor(() => rx.accepted().length === 2, 8000, 'the redelivery');
    await t.app.core.webhooks.dispatcher.idle();
    expect(rx.accepted()[1]!.headers['webhook-id']).toBe(delivery.messageId);
    expect(rx.received[0]!.headers['webhook-id']).toBe(delivery.messageId);
    const after = (await t.api('GET', `/api/v1/webhook-deliveries/${delivery.id}`)).body;
    expect(after).toMatchObject({ status: 'succeeded', attemptCount: 5 });
    expect(after.attempts.map((a: { ok: boolean }) => a.ok)).toEqual([false, false, false, false, true]);
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    const t = await app({ retrySchedule: [] });
    const elsewhere = await receiver();
    const rx = await receiver(() => ({ status: 307, headers: { location: elsewhere.url } }));
    const endpoint = await addEndpoint(t, { url: rx.url, events: ['link.created'] });
    await t.app.core.links.create({ name: 'a', amount: '1' });
    await waitFor(() => rx.received.length === 1, 8000, 'the attempt');
    await t.app.core.webhooks.dispatcher.idle();
    expect(elsewhere.received).toHaveLength(0);
    const [delivery] = (await t.api('GET', `/api/v1/webhook-deliveries?endpointId=${endpoint.id}`)).body.data;
    expect(delivery).toMatchObject({ status: 'failed' });
    expect(delivery.attempts[0]).toMatchObject({ statusCode: 307, ok: false, error: expect.stringMatching(/redirects are not followed/) });
  });

  it('encrypts the body for aes-256-cbc endpoints; it decrypts to the plain payload and the signature covers what was sent', async () => {
    const t = await app();
    const plain = await receiver();
    const enc = await receiver();
    await addEndpoint(t, { url: plain.url, events: ['payment.*'] });
    const endpoint = await addEndpoint(t, { url: enc.url, events: ['payment.*'], encryption: 'aes-256-cbc' });
    expect(Buffer.from(endpoint.encryptionKey, 'base64')).toHaveLength(32);
    expect((await t.api('GET', `/api/v1/webhook-endpoints/${endpoint.id}`)).body).not.toHaveProperty('encryptionKey');

    await t.paidLink();
    await waitFor(() => enc.received.length === 2 && plain.received.length === 2, 8000, 'both endpoints');
    for (const [i, r] of enc.received.entries()) {
      const sent = JSON.parse(r.body);
      expect(Object.keys(sent).sort()).toEqual(['data', 'iv']);
      expect(Buffer.from(sent.iv, 'base64')).toHaveLength(16);
      expect(r.body).not.toContain('payment');
      expect(new Webhook(endpoint.secret).verify(r.body, r.headers as Record<string, string>)).toEqual(sent);
      expect(JSON.parse(decryptBody(r.body, endpoint.encryptionKey))).toEqual(JSON.parse(plain.received[i]!.body));
    }

    // Switching encryption on later hands out a key once; switching it off sends plain JSON again.
    const patched = await t.api('PATCH', `/api/v1/webhook-endpoints/${endpoint.id}`, { encryption: 'none' });
    expect(patched.body).toMatchObject({ encryption: 'none' });
    expect(patched.body).not.toHaveProperty('encryptionKey');
    const again = await t.api('PATCH', `/api/v1/webhook-endpoints/${endpoint.id}`, { encryption: 'aes-256-cbc' });
    expect(again.body.encryptionKey).toEqual(expect.any(String));
    expect(again.body.encryptionKey).not.toBe(endpoint.encryptionKey);
  });

  it('rotating the secret: both signatures for 24 h, then only the new one', async () => {
    const clock = new ManualClock(Date.now());
    const t = await app({ clock });
    const rx = await receiver();
    const endpoint = await addEndpoint(t, { url: rx.url, events: ['link.created'] });
    const oldSecret: string = endpoint.secret;

    const rotated = await t.api('POST', `/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.body.previousSecretExpiresAt).toBe(new Date(clock.now() + 24 * 3600_000).toISOString());
    expect((await t.api('GET', `/api/v1/webhook-endpoints/${endpoint.id}`)).body).not.toHaveProperty('secret');

    await t.app.core.links.create({ name: 'during overlap', amount: '1' });
    await waitFor(() => rx.received.length === 1, 8000, 'delivery during the overlap');
    const during = rx.received[0]!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => new Webhook(newSecret).verify(during.body, during.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(during.body, during.headers as Record<string, string>)).not.toThrow();

    clock.advance(24 * 3600_000 - 1000); // still inside the window
    await t.app.core.links.create({ name: 'end of overlap', amount: '1' });
    await waitFor(() => rx.received.length === 2, 8000, 'delivery at the end of the overlap');
    expect(String(rx.received[1]!.headers['webhook-signature']).split(' ')).toHaveLength(2);

    clock.advance(1000); // 24 h after the rotation
    await t.app.core.links.create({ name: 'after overlap', amount: '1' });
    await waitFor(() => rx.received.length === 3, 8000, 'delivery after the overlap');
    const later = rx.received[2]!;
    expect(String(later.headers['webhook-signature']).split(' ')).toHaveLength(1);
    // The receiver's clock agrees with the app's (verify refuses timestamps 5 minutes off).
    vi.useFakeTimers({ toFake: ['Date'], now: clock.now() });
    expect(() => new Webhook(newSecret).verify(later.body, later.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(later.body, later.headers as Record<string, string>)).toThrow(/No matching signature/);
    vi.useRealTimers();
    expect((await t.api('GET', `/api/v1/webhook-endpoints/${endpoint.id}`)).body.previousSecretExpiresAt).toBeNull();
  });

  it('loses nothing across a restart mid-queue, and fans out events recorded while it was down, in order', async () => {
    const rx = await receiver(() => ({ status: 200, delayMs: 60 }));
    const first = await app();
    const { dataDir } = first;
    const endpoint = await addEndpoint(first, { url: rx.url, events: ['link.*', 'payment.*'] });
    await first.paidLink('one');
    await first.paidLink('two');
    await waitFor(() => rx.received.length >= 2, 8000, 'the first deliveries');
    await first.app.close(); // waits for the delivery in flight; the rest stays queued
    apps.splice(apps.indexOf(first), 1);
    const atClose = rx.received.length;
    expect(atClose).toBeLessThan(10);

    // The app runs without its workers (e.g. a tool on the same data): these events are only in the log.
    const offline = await app({ dataDir, listen: false });
    await offline.paidLink('three');
    await offline.app.close();
    apps.splice(apps.indexOf(offline), 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(rx.received.length).toBe(atClose);

    const second = await app({ dataDir });
    await waitFor(() => rx.received.length === 15, 8000, 'all 15 messages');
    await second.app.core.webhooks.dispatcher.idle();
    const expected = (await second.app.core.events.after(0, 1000))
      .filter((e) => /^(link|payment)\./.test(e.type))
      .map((e) => ({ type: e.type, id: (e.data as { id: string }).id }));
    expect(rx.received.map((r) => ({ type: parsed(r).type, id: parsed(r).data.id }))).toEqual(expected);
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(15);
    const log = (await second.api('GET', `/api/v1/webhook-deliveries?endpointId=${endpoint.id}&limit=200`)).body.data;
    expect(log).toHaveLength(15);
    expect(log.every((d: { status: string; attemptCount: number }) => d.status === 'succeeded' && d.attemptCount === 1)).toBe(true);
  });
});

describe('webhook API', () => {
  it('sends a test event to that endpoint only', async () => {
    const t = await app();
    const a = await receiver();
    const b = await receiver();
    const endpoint = await addEndpoint(t, { url: a.url, events: ['payment.succeeded'] });
    await addEndpoint(t, { url: b.url });
    await t.app.core.webhooks.dispatcher.idle();
    b.received.length = 0;
    const res = await t.api('POST', `/api/v1/webhook-endpoints/${endpoint.id}/test`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ endpointId: endpoint.id, eventType: 'webhook.test', eventId: null, status: 'queued', attempts: [] });
    await waitFor(() => a.received.length === 1, 8000, 'the test event');
    await t.app.core.webhooks.dispatcher.idle();
    const body = parsed(a.received[0]!);
    expect(body).toMatchObject({ type: 'webhook.test', timestamp: expect.any(String), data: { endpointId: endpoint.id } });
    expect(a.received[0]!.headers['webhook-id']).toBe(res.body.messageId);
    expect(() => new Webhook(endpoint.secret).verify(a.received[0]!.body, a.received[0]!.headers as Record<string, string>)).not.toThrow();
    expect(b.received).toHaveLength(0);
    expect((await t.api('GET', `/api/v1/webhook-deliveries/${res.body.id}`)).body).toMatchObject({ status: 'succeeded', attemptCount: 1 });
  });

  it('validates, pages, patches and deletes; unknown ids are 404', async () => {
    const t = await app();
    const rx = await receiver();
    for (const [body, path] of [
      [{}, 'url'],
      [{ url: 'mailto:x@example.com' }, 'url'],
      [{ url: rx.url, events: [] }, 'events'],
      [{ url: rx.url, events: ['payments!'] }, 'events[0]'],
      [{ url: rx.url, encryption: 'des' }, 'encryption'],
      [{ url: rx.url, secret: 'whsec_mine' }, 'secret'],
    ] as const) {
      const res = await t.api('POST', '/api/v1/webhook-endpoints', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.type).toBe('validation-error');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await addEndpoint(t, { url: `${rx.url}/${i}`, enabled: false })).id);
    const page1 = await t.api('GET', '/api/v1/webhook-endpoints?limit=2');
    expect(page1.body.data.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
    const page2 = await t.api('GET', `/api/v1/webhook-endpoints?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ data: [{ id: ids[0], status: 'disabled' }], nextCursor: null });

    const patched = await t.api('PATCH', `/api/v1/webhook-endpoints/${ids[0]}`, { enabled: true, events: ['link.*'], description: 'Shop' });
    expect(patched.body).toMatchObject({ enabled: true, status: 'healthy', events: ['link.*'], description: 'Shop' });
    expect(patched.body).not.toHaveProperty('secret');
    expect((await t.api('PATCH', `/api/v1/webhook-endpoints/${ids[0]}`, { url: 'not a url' })).status).toBe(422);
    expect((await t.api('PATCH', `/api/v1/webhook-endpoints/${ids[0]}`, {})).status).toBe(422);

    expect((await t.api('DELETE', `/api/v1/webhook-endpoints/${ids[0]}`)).status).toBe(204);
    for (const [method, url] of [
      ['GET', `/api/v1/webhook-endpoints/${ids[0]}`],
      ['DELETE', `/api/v1/webhook-endpoints/${ids[0]}`],
      ['POST', `/api/v1/webhook-endpoints/${ids[0]}/rotate-secret`],
      ['POST', `/api/v1/webhook-endpoints/${ids[0]}/test`],
      ['GET', '/api/v1/webhook-deliveries/whd_nope'],
      ['POST', '/api/v1/webhook-deliveries/whd_nope/redeliver'],
    ] as const) {
      const res = await t.api(method, url);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.type).toBe('not-found');
    }
    expect((await t.api('POST', `/api/v1/webhook-endpoints/${ids[1]}/test`)).status).toBe(409); // disabled
    expect((await t.api('GET', '/api/v1/webhook-deliveries?status=nope')).status).toBe(422);
    expect((await t.api('GET', '/api/v1/webhook-deliveries?cursor=garbage')).status).toBe(422);
    const noAuth = await t.app.server.inject({ method: 'GET', url: '/api/v1/webhook-endpoints' });
    expect(noAuth.statusCode).toBe(401);

    const openapi = (await t.app.server.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/v1/webhook-endpoints', '/api/v1/webhook-endpoints/{id}/rotate-secret', '/api/v1/webhook-deliveries/{id}/redeliver']) {
      expect(Object.keys(openapi.paths)).toContain(path);
    }
  });

  it('pages the delivery log and filters it by endpoint and status', async () => {
    const t = await app();
    const ok = await receiver();
    const bad = await receiver(() => ({ status: 500 }));
    const good = await addEndpoint(t, { url: ok.url, events: ['link.created'] });
    const failing = await addEndpoint(t, { url: bad.url, events: ['link.created'] });
    for (let i = 0; i < 3; i++) await t.app.core.links.create({ name: `n${i}`, amount: '1' });
    await waitFor(() => ok.received.length === 3 && bad.received.length >= 4, 8000, 'deliveries');
    await t.app.core.webhooks.dispatcher.idle();

    const p1 = (await t.api('GET', `/api/v1/webhook-deliveries?endpointId=${good.id}&limit=2`)).body;
    expect(p1.data).toHaveLength(2);
    const p2 = (await t.api('GET', `/api/v1/webhook-deliveries?endpointId=${good.id}&limit=2&cursor=${p1.nextCursor}`)).body;
    expect(p2).toMatchObject({ data: [{ endpointId: good.id }], nextCursor: null });
    const failed = (await t.api('GET', `/api/v1/webhook-deliveries?endpointId=${failing.id}&status=failed`)).body.data;
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((d: { endpointId: string; status: string }) => d.endpointId === failing.id && d.status === 'failed')).toBe(true);
    expect((await t.api('GET', `/api/v1/webhook-deliveries?endpointId=${good.id}&status=failed`)).body.data).toEqual([]);
  });
});
