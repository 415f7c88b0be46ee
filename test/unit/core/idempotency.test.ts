import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS } from '../../../core/idempotency';
import type { Tx } from '../../../core/store/port';
import { expectProblem, makeCore, type TestCore } from '../../support/core';

let t: TestCore;
beforeEach(async () => {
  t = await makeCore();
});
afterEach(() => t.core.close());

/** An operation that really creates something, so a replay that ran it again would show. */
function createLink(body: { name: string }) {
  let calls = 0;
  const operation = async (tx: Tx) => {
    calls += 1;
    return { statusCode: 201, body: await t.core.links.createIn(tx, body) };
  };
  return { operation, calls: () => calls };
}

const linkCount = async () => (await t.core.links.list({}, { limit: 200 })).data.length;

describe('IdempotencyService', () => {
  it('the same key and body replays the same response without running the operation again', async () => {
    const body = { name: 'Order 1' };
    const op = createLink(body);
    const first = await t.core.idempotency.run('POST /links', 'key-1', body, op.operation);
    expect(first).toMatchObject({ statusCode: 201, replayed: false });
    t.clock.advance(60_000);
    const again = await t.core.idempotency.run('POST /links', 'key-1', { name: 'Order 1' }, op.operation);
    expect(again).toEqual({ statusCode: 201, body: first.body, replayed: true });
    expect(op.calls()).toBe(1);
    expect(await linkCount()).toBe(1);
  });

  it('the same key with another body -> idempotency-conflict, and nothing runs', async () => {
    const op = createLink({ name: 'A' });
    await t.core.idempotency.run('POST /links', 'key-1', { name: 'A' }, op.operation);
    const other = createLink({ name: 'B' });
    await expectProblem(() => t.core.idempotency.run('POST /links', 'key-1', { name: 'B' }, other.operation), 'idempotency-conflict');
    expect(other.calls()).toBe(0);
    expect(await linkCount()).toBe(1);
  });

  it('keys are separate per key and per scope', async () => {
    const op = createLink({ name: 'A' });
    await t.core.idempotency.run('POST /links', 'key-1', { name: 'A' }, op.operation);
    expect((await t.core.idempotency.run('POST /links', 'key-2', { name: 'A' }, op.operation)).replayed).toBe(false);
    expect((await t.core.idempotency.run('POST /charges', 'key-1', { name: 'A' }, op.operation)).replayed).toBe(false);
    expect(op.calls()).toBe(3);
  });

  it('a failed operation keeps nothing, so the same key may be retried; its changes roll back', async () => {
    await expect(
      t.core.idempotency.run('POST /links', 'key-1', { name: 'A' }, async (tx) => {
        await t.core.links.createIn(tx, { name: 'half-done' });
        throw new Error('crash');
      }),
    ).rejects.toThrow('crash');
    expect(await linkCount()).toBe(0);
    const op = createLink({ name: 'A' });
    expect((await t.core.idempotency.run('POST /links', 'key-1', { name: 'A' }, op.operation)).replayed).toBe(false);
    expect(op.calls()).toBe(1);
  });

  it('keys are kept for 24 hours', async () => {
    const op = createLink({ name: 'A' });
    await t.core.idempotency.run('s', 'k', { name: 'A' }, op.operation);
    t.clock.advance(IDEMPOTENCY_TTL_MS - 1);
    expect((await t.core.idempotency.run('s', 'k', { name: 'A' }, op.operation)).replayed).toBe(true);
    await expectProblem(() => t.core.idempotency.run('s', 'k', { name: 'B' }, op.operation), 'idempotency-conflict');
    t.clock.advance(1);
    // past its time the key is fresh again
    expect((await t.core.idempotency.run('s', 'k', { name: 'B' }, op.operation)).replayed).toBe(false);
    expect(op.calls()).toBe(2);
  });

  it('purge drops keys well past their time only', async () => {
    const op = createLink({ name: 'A' });
    await t.core.idempotency.run('s', 'old', { name: 'A' }, op.operation);
    t.clock.advance(IDEMPOTENCY_TTL_MS);
    await t.core.idempotency.run('s', 'new', { name: 'A' }, op.operation);
    expect(await t.core.idempotency.purge()).toBe(0);
    t.clock.advance(IDEMPOTENCY_TTL_MS + 1);
    expect(await t.core.idempotency.purge()).toBe(1);
    expect(await t.core.store.read((tx) => tx.idempotency.get('s', 'old'))).toBeUndefined();
    expect(await t.core.store.read((tx) => tx.idempotency.get('s', 'new'))).toBeDefined();
  });
});
