import { afterEach, describe, expect, it, vi } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { matchesEvent } from '../../../../core/webhooks/input';
import { decryptBody, encryptBody, newEncryptionKey, newWebhookSecret, signatureHeader } from '../../../../core/webhooks/signing';
import { FANOUT_CURSOR_KEY } from '../../../../core/webhooks/dispatcher';
import type { WebhookPayload } from '../../../../core/webhooks/types';
import { errorPaths, expectProblem, makeCore, type TestCore } from '../../../support/core';
import { rawDb } from '../../../support/raw-db';

let t: TestCore;
afterEach(() => t?.core.close());

function webhookMessages(t: TestCore): { endpointId: string; type: string; messageId: string; eventId: number | null }[] {
  return (rawDb(t.core).prepare(`SELECT payload FROM outbox_messages WHERE kind = 'webhook' ORDER BY seq`).all() as { payload: string }[]).map((r) => {
    const p = JSON.parse(r.payload) as WebhookPayload;
    return { endpointId: p.endpointId, type: p.type, messageId: p.messageId, eventId: p.eventId };
  });
}

function fanOutCursor(t: TestCore): Promise<number | undefined> {
  return t.core.store.read((tx) => t.core.settings.stored<number>(tx, FANOUT_CURSOR_KEY));
}

describe('signing', () => {
  it('makes secrets and keys of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(Buffer.from(newEncryptionKey(), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs as the standardwebhooks package verifies, with one signature per secret', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({ type: 'payment.succeeded', timestamp: '2026-01-15T10:00:00.000Z', data: { id: 'pay_1' } });
    const ts = Math.floor(Date.now() / 1000);
    const header = signatureHeader([a, b], 'msg_1', ts, body);
    expect(header.split(' ')).toEqual([new Webhook(a).sign('msg_1', new Date(ts * 1000), body), new Webhook(b).sign('msg_1', new Date(ts * 1000), body)]);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': header };
    expect(new Webhook(a).verify(body, headers)).toMatchObject({ data: { id: 'pay_1' } });
    expect(new Webhook(b).verify(body, headers)).toMatchObject({ type: 'payment.succeeded' });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('encrypts with AES-256-CBC and a fresh IV each time', () => {
    const key = newEncryptionKey();
    const plain = JSON.stringify({ type: 'x', data: { ü: '€'.repeat(40) } });
    const one = encryptBody(plain, key);
    const two = encryptBody(plain, key);
    expect(JSON.parse(one)).toEqual({ iv: expect.any(String), data: expect.any(String) });
    expect(one).not.toBe(two);
    expect(decryptBody(one, key)).toBe(plain);
    // CBC carries no integrity check: another key fails the padding check, except about 1 time in
    // 256 when the garbage happens to end in valid padding. Either way it never gives the body back.
    for (let i = 0; i < 20; i++) {
      let other: string | undefined;
      try {
        other = decryptBody(one, newEncryptionKey());
      } catch {
        other = undefined;
      }
      expect(other).not.toBe(plain);
    }
  });
});

describe('event filter', () => {
  it('matches exact types, family wildcards and *', () => {
    expect(matchesEvent(['*'], 'payment.succeeded')).toBe(true);
    expect(matchesEvent(['link.*'], 'link.created')).toBe(true);
    expect(matchesEvent(['link.*'], 'payment.created')).toBe(false);
    expect(matchesEvent(['link.*'], 'linkage.created')).toBe(false);
    expect(matchesEvent(['payment.succeeded'], 'payment.succeeded')).toBe(true);
    expect(matchesEvent(['payment.succeeded'], 'payment.failed')).toBe(false);
    expect(matchesEvent(['payment.failed', 'link.*'], 'payment.failed')).toBe(true);
  });
});

describe('endpoints', () => {
  it('shows the secret only when made, and validates input', async () => {
    t = await makeCore();
    const created = await t.core.webhooks.create({ url: 'http://192.168.1.20:9000/hooks', events: ['link.*', 'link.*', 'payment.succeeded'] });
    expect(created).toMatchObject({ status: 'healthy', enabled: true, encryption: 'none', events: ['link.*', 'payment.succeeded'], secret: expect.stringMatching(/^whsec_/) });
    expect(created).not.toHaveProperty('encryptionKey');
    expect(await t.core.webhooks.get(created.id)).not.toHaveProperty('secret');
    expect((await t.core.webhooks.list({ limit: 10 })).data[0]).not.toHaveProperty('secret');
    const rotated = await t.core.webhooks.rotateSecret(created.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.previousSecretExpiresAt).toBe('2026-01-16T10:00:00.000Z');
    expect((await t.core.events.after(0, 100)).map((e) => JSON.stringify(e.data)).join('')).not.toContain(created.secret!.slice(6));

    expect(await errorPaths(() => t.core.webhooks.create({ url: 'ftp://x.example/' }))).toEqual(['url']);
    expect(await errorPaths(() => t.core.webhooks.create({ url: 'https://u:p@x.example/' }))).toEqual(['url']);
    expect(await errorPaths(() => t.core.webhooks.create({ url: 'http://localhost/x', events: [] }))).toEqual(['events']);
    expect(await errorPaths(() => t.core.webhooks.create({ url: 'http://localhost/x', events: ['Payment Succeeded', 'link.*'] }))).toEqual(['events[0]']);
    expect(await errorPaths(() => t.core.webhooks.create({ url: 'http://localhost/x', encryption: 'rot13' }))).toEqual(['encryption']);
    expect(await errorPaths(() => t.core.webhooks.update(created.id, { secret: 'whsec_x' }))).toEqual(['secret']);
    await expectProblem(() => t.core.webhooks.get('we_nope'), 'not-found');
  });

  it('gives an encryption key once, at creation or when encryption is switched on', async () => {
    t = await makeCore();
    const enc = await t.core.webhooks.create({ url: 'http://localhost/x', encryption: 'aes-256-cbc' });
    expect(Buffer.from(enc.encryptionKey!, 'base64')).toHaveLength(32);
    expect(await t.core.webhooks.get(enc.id)).not.toHaveProperty('encryptionKey');
    const plain = await t.core.webhooks.create({ url: 'http://localhost/y' });
    expect(await t.core.webhooks.update(plain.id, { description: 'ERP' })).not.toHaveProperty('encryptionKey');
    const switched = await t.core.webhooks.update(plain.id, { encryption: 'aes-256-cbc' });
    expect(switched.encryptionKey).toEqual(expect.any(String));
    expect(await t.core.webhooks.update(plain.id, { encryption: 'aes-256-cbc' })).not.toHaveProperty('encryptionKey');
  });

  it('status is disabled while switched off', async () => {
    t = await makeCore();
    const e = await t.core.webhooks.create({ url: 'http://localhost/x', enabled: false });
    expect(e.status).toBe('disabled');
    expect((await t.core.webhooks.update(e.id, { enabled: true })).status).toBe('healthy');
    await expectProblem(async () => t.core.webhooks.sendTest((await t.core.webhooks.update(e.id, { enabled: false })).id), 'conflict');
  });
});

describe('fan-out', () => {
  it('makes exactly one message per (event, matching endpoint), and only for events after the endpoint was made', async () => {
    t = await makeCore();
    const before = await t.core.links.create({ name: 'before', amount: '1' });
    const all = await t.core.webhooks.create({ url: 'http://localhost/all' });
    const links = await t.core.webhooks.create({ url: 'http://localhost/links', events: ['link.*'] });
    const paid = await t.core.webhooks.create({ url: 'http://localhost/paid', events: ['payment.succeeded'] });
    const off = await t.core.webhooks.create({ url: 'http://localhost/off', enabled: false });
    const d = t.core.webhooks.dispatcher;
    await d.fanOut();
    // Before the link below: only the endpoints' own creation, each to the endpoints made earlier.
    const early = webhookMessages(t);
    expect(early.map((m) => m.type)).toEqual(Array(early.length).fill('webhook_endpoint.created'));
    expect(early.filter((m) => m.endpointId === all.id)).toHaveLength(3); // links, paid and off were made after it
    expect(JSON.stringify(early)).not.toContain(before.id);

    const link = await t.core.links.create({ name: 'n', amount: '5' });
    const { payment } = await t.core.payments.start(link.id, {});
    await t.core.payments.complete(payment.id, 'succeeded');
    await d.fanOut();
    expect(await d.fanOut()).toBe(0); // nothing twice
    const messages = webhookMessages(t).slice(early.length);
    const types = (id: string) => messages.filter((m) => m.endpointId === id).map((m) => m.type);
    expect(types(all.id)).toEqual(['link.created', 'payment.created', 'link.locked', 'payment.succeeded', 'link.consumed']);
    expect(types(links.id)).toEqual(['link.created', 'link.locked', 'link.consumed']);
    expect(types(paid.id)).toEqual(['payment.succeeded']);
    expect(types(off.id)).toEqual([]);
    // One message id per event, shared by its endpoints.
    const succeeded = messages.filter((m) => m.type === 'payment.succeeded');
    expect(new Set(succeeded.map((m) => m.messageId)).size).toBe(1);
    expect(await fanOutCursor(t)).toBe(await t.core.events.lastId());
  });

  it('concurrent fan-outs take turns: each (event, endpoint) still gets one message', async () => {
    t = await makeCore();
    const e = await t.core.webhooks.create({ url: 'http://localhost/x', events: ['link.*'] });
    for (let i = 0; i < 3; i++) await t.core.links.create({ name: `n${i}`, amount: '1' });
    const d = t.core.webhooks.dispatcher;
    const made = await Promise.all([d.fanOut(), d.fanOut(), d.fanOut()]);
    expect(made.reduce((a, b) => a + b, 0)).toBe(3);
    expect(webhookMessages(t).filter((m) => m.endpointId === e.id).map((m) => m.type)).toEqual(['link.created', 'link.created', 'link.created']);
    expect(await fanOutCursor(t)).toBe(await t.core.events.lastId());
  });

  it('does nothing when nobody listens (not even a cursor write), and never sends old events to a new endpoint', async () => {
    t = await makeCore();
    for (let i = 0; i < 3; i++) await t.core.links.create({ name: `n${i}`, amount: '1' });
    expect(await t.core.webhooks.dispatcher.fanOut()).toBe(0);
    // No write at all: a shop without webhooks pays no extra fsync per event (issue 13).
    expect(await fanOutCursor(t)).toBeUndefined();
    await t.core.webhooks.create({ url: 'http://localhost/x' });
    await t.core.store.tx((tx) => t.core.settings.save(tx, FANOUT_CURSOR_KEY, 0)); // even if the cursor were behind
    expect(await t.core.webhooks.dispatcher.fanOut()).toBe(0);
  });

  it('a commit that fans out nothing leaves the outbox unread; one that makes deliveries has them looked for at once', async () => {
    t = await makeCore();
    const repos = await t.core.store.read(async (tx) => Object.getPrototypeOf(tx) as typeof tx);
    const due = vi.spyOn(repos.outbox, 'due');
    t.core.webhooks.dispatcher.start();
    try {
      await vi.waitFor(() => expect(due).toHaveBeenCalled()); // the worker's first look, at start
      due.mockClear();
      for (let i = 0; i < 20; i++) {
        await t.core.links.create({ name: `n${i}`, amount: '1' });
        await new Promise((r) => setImmediate(r)); // the fan-out the commit kicked runs
      }
      // At most the worker's own timer (once a second) looked, not each of the 20 commits.
      expect(due.mock.calls.length).toBeLessThanOrEqual(1);
      await t.core.webhooks.create({ url: 'http://127.0.0.1:9/x' });
      await new Promise((r) => setTimeout(r, 20));
      due.mockClear();
      await t.core.links.create({ name: 'heard', amount: '1' });
      await vi.waitFor(() => expect(due).toHaveBeenCalled(), { timeout: 900 }); // before the worker's own timer (1 s)
    } finally {
      await t.core.webhooks.dispatcher.stop();
    }
  });

  it('a disabled or deleted endpoint loses what was waiting for it', async () => {
    t = await makeCore();
    const e = await t.core.webhooks.create({ url: 'http://localhost/x' });
    await t.core.links.create({ name: 'n', amount: '1' });
    await t.core.webhooks.dispatcher.fanOut();
    const [delivery] = (await t.core.webhooks.deliveries({ endpointId: e.id }, { limit: 10 })).data;
    expect(delivery).toMatchObject({ status: 'queued', eventType: 'link.created', endpointId: e.id, attempts: [] });
    await t.core.webhooks.update(e.id, { enabled: false });
    expect(await t.core.webhooks.delivery(delivery!.id)).toMatchObject({ status: 'failed', lastError: 'endpoint disabled', nextAttemptAt: null });
    await expectProblem(() => t.core.webhooks.redeliver(delivery!.id), 'conflict');
    await t.core.webhooks.update(e.id, { enabled: true });
    expect(await t.core.webhooks.redeliver(delivery!.id)).toMatchObject({ status: 'queued' });
    await t.core.webhooks.delete(e.id);
    expect(await t.core.webhooks.delivery(delivery!.id)).toMatchObject({ status: 'failed', lastError: 'endpoint deleted' });
    await expectProblem(() => t.core.webhooks.get(e.id), 'not-found');
    expect((await t.core.webhooks.deliveries({ endpointId: e.id }, { limit: 10 })).data).toHaveLength(1); // the log stays
  });
});
