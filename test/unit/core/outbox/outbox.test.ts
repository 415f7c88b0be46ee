import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../core/index';
import { enqueue, OutboxWorker } from '../../../../core/outbox/outbox';
import { nextAttemptAt, parseRetrySchedule } from '../../../../core/outbox/schedule';
import type { DeliveryResult, OutboxHandler, OutboxMessage } from '../../../../core/outbox/types';
import { ManualClock } from '../../../../core/clock';

interface Payload {
  n: number;
}

function scriptedHandler(script: (m: OutboxMessage<Payload>) => DeliveryResult | Promise<DeliveryResult>) {
  const delivered: { id: string; n: number; attempt: number }[] = [];
  const finals: { id: string; ok: boolean }[] = [];
  const handler: OutboxHandler<Payload> = {
    kind: 'test',
    async deliver(m) {
      delivered.push({ id: m.id, n: m.payload.n, attempt: m.attempts });
      return script(m);
    },
    onSucceeded: async (_t, m) => {
      finals.push({ id: m.id, ok: true });
    },
    onFailed: async (_t, m, _r, final) => {
      if (final) finals.push({ id: m.id, ok: false });
    },
  };
  return { handler, delivered, finals };
}

let core: Core;
afterEach(() => core?.close());

function message(id: string): Promise<OutboxMessage | undefined> {
  return core.store.read((t) => t.outbox.get(id));
}

describe('retry schedule', () => {
  it('parses the env format and refuses garbage', () => {
    expect(parseRetrySchedule('30, 120,600')).toEqual([30, 120, 600]);
    expect(() => parseRetrySchedule('30,,1')).toThrow();
    expect(() => parseRetrySchedule('-1')).toThrow();
    expect(() => parseRetrySchedule('abc')).toThrow();
  });
  it('gives the next attempt after n failures, then null', () => {
    expect(nextAttemptAt([1, 2], 1, 1000)).toBe(2000);
    expect(nextAttemptAt([1, 2], 2, 1000)).toBe(3000);
    expect(nextAttemptAt([1, 2], 3, 1000)).toBeNull();
  });
});

describe('OutboxWorker', () => {
  it('delivers once and records the attempt', async () => {
    core = await createCore({ databaseFile: ':memory:', baseUrl: 'http://x' });
    const { handler, delivered, finals } = scriptedHandler(() => ({ ok: true, statusCode: 200 }));
    const worker = new OutboxWorker(core.ctx, handler, { retrySchedule: [0] });
    const m = await core.store.tx((t) => enqueue(core.ctx, t, 'test', { n: 1 }));
    worker.start();
    await worker.idle();
    await worker.stop();
    expect(delivered).toEqual([{ id: m.id, n: 1, attempt: 1 }]);
    expect(finals).toEqual([{ id: m.id, ok: true }]);
    expect((await message(m.id))!.status).toBe('succeeded');
    expect(await core.store.read((t) => t.outbox.attempts(m.id))).toMatchObject([{ attempt: 1, ok: true, statusCode: 200 }]);
  });

  it('retries on the schedule, then fails for good', async () => {
    const clock = new ManualClock();
    core = await createCore({ databaseFile: ':memory:', baseUrl: 'http://x', clock });
    const { handler, delivered, finals } = scriptedHandler(() => ({ ok: false, error: 'connection refused' }));
    const worker = new OutboxWorker(core.ctx, handler, { retrySchedule: [10, 20], pollMs: 5 });
    const m = await core.store.tx((t) => enqueue(core.ctx, t, 'test', { n: 1 }));
    worker.start();
    await worker.idle();
    expect(delivered).toHaveLength(1);
    expect(await message(m.id)).toMatchObject({ status: 'queued', nextAttemptAt: clock.now() + 10_000, lastError: 'connection refused' });
    clock.advance(9_999);
    await worker.idle();
    expect(delivered).toHaveLength(1); // not due yet
    clock.advance(1);
    await worker.idle();
    expect(delivered).toHaveLength(2);
    clock.advance(20_000);
    await worker.idle();
    await worker.stop();
    expect(delivered.map((d) => d.attempt)).toEqual([1, 2, 3]);
    expect(finals).toEqual([{ id: m.id, ok: false }]);
    expect((await message(m.id))!.status).toBe('failed');
  });

  it('a fail-then-succeed message is delivered exactly once successfully', async () => {
    const clock = new ManualClock();
    core = await createCore({ databaseFile: ':memory:', baseUrl: 'http://x', clock });
    let calls = 0;
    const { handler, finals } = scriptedHandler(() => (++calls <= 2 ? { ok: false, statusCode: 503 } : { ok: true, statusCode: 200 }));
    const worker = new OutboxWorker(core.ctx, handler, { retrySchedule: [1, 1, 1] });
    const m = await core.store.tx((t) => enqueue(core.ctx, t, 'test', { n: 7 }));
    worker.start();
    for (let i = 0; i < 3; i++) {
      await worker.idle();
      clock.advance(1000);
    }
    await worker.idle();
    await worker.stop();
    expect(calls).toBe(3);
    expect(finals).toEqual([{ id: m.id, ok: true }]);
  });

  it('keeps an ordered queue in order and does not let it block another queue', async () => {
    const clock = new ManualClock();
    core = await createCore({ databaseFile: ':memory:', baseUrl: 'http://x', clock });
    const { handler, delivered } = scriptedHandler((m) => (m.queue === 'dead' ? { ok: false } : { ok: true }));
    const worker = new OutboxWorker(core.ctx, handler, { retrySchedule: [60] });
    await core.store.tx(async (t) => {
      await enqueue(core.ctx, t, 'test', { n: 1 }, { queue: 'dead', ordered: true });
      await enqueue(core.ctx, t, 'test', { n: 2 }, { queue: 'dead', ordered: true });
      await enqueue(core.ctx, t, 'test', { n: 3 }, { queue: 'alive', ordered: true });
      await enqueue(core.ctx, t, 'test', { n: 4 }, { queue: 'alive', ordered: true });
    });
    worker.start();
    await worker.idle();
    await worker.stop();
    // The dead queue's 2nd message waits behind its 1st; the alive queue goes through in order.
    expect(delivered.map((d) => d.n)).toEqual([1, 3, 4]);
  });

  it('never delivers one message twice at once, and re-delivers after a lapsed lease (crash)', async () => {
    const clock = new ManualClock();
    core = await createCore({ databaseFile: ':memory:', baseUrl: 'http://x', clock });
    const m = await core.store.tx((t) => enqueue(core.ctx, t, 'test', { n: 1 }));
    const now = clock.now();
    expect(await core.store.tx((t) => t.outbox.claim(m.id, now, now + 1000))).toBe(true);
    expect(await core.store.tx((t) => t.outbox.claim(m.id, now, now + 1000))).toBe(false); // a second worker loses
    // The first worker "crashed": after the lease a new worker takes it again.
    clock.advance(1000);
    const { handler, delivered } = scriptedHandler(() => ({ ok: true }));
    const worker = new OutboxWorker(core.ctx, handler, { retrySchedule: [] });
    worker.start();
    await worker.idle();
    await worker.stop();
    expect(delivered).toEqual([{ id: m.id, n: 1, attempt: 2 }]);
  });

  it('stop() during a claim waits for that delivery, so nothing records into a closed store', async () => {
    core = await createCore({ databaseFile: ':memory:', baseUrl: 'http://x' });
    let releaseClaim!: () => void;
    const claimHeld = new Promise<void>((r) => (releaseClaim = r));
    let claimStarted!: () => void;
    const claiming = new Promise<void>((r) => (claimStarted = r));
    const { handler, finals } = scriptedHandler(() => ({ ok: true }));
    handler.onAttemptStarted = async () => {
      claimStarted();
      await claimHeld;
    };
    const worker = new OutboxWorker(core.ctx, handler, { retrySchedule: [] });
    const m = await core.store.tx((t) => enqueue(core.ctx, t, 'test', { n: 1 }));
    worker.start();
    await claiming; // the scan is inside its claim transaction
    const stopped = worker.stop();
    releaseClaim();
    await stopped;
    // The claimed delivery finished and was recorded before stop() returned.
    expect(finals).toEqual([{ id: m.id, ok: true }]);
    expect((await message(m.id))!.status).toBe('succeeded');
  });

  it('a delivery whose outcome cannot be recorded leaves the message to its lease, with no unhandled rejection', async () => {
    core = await createCore({ databaseFile: ':memory:', baseUrl: 'http://x' });
    const { handler } = scriptedHandler(() => ({ ok: true }));
    handler.onSucceeded = () => Promise.reject(new Error('database away'));
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      const worker = new OutboxWorker(core.ctx, handler, { retrySchedule: [] });
      const m = await core.store.tx((t) => enqueue(core.ctx, t, 'test', { n: 1 }));
      worker.start();
      await new Promise((r) => setTimeout(r, 50));
      await worker.stop();
      await new Promise((r) => setTimeout(r, 10));
      expect(rejections).toEqual([]);
      expect((await message(m.id))!.status).toBe('sending'); // rolled back: the lease will lapse
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
