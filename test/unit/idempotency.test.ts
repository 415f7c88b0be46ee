import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS } from '../../core/idempotency';
import { expectProblem, makeCore, type TestCore } from './helpers';

let t: TestCore;
beforeEach(() => {
  t = makeCore();
});
afterEach(() => t.core.close());

/** An operation that really creates something, so a replay that ran it again would show. */
function createLink(body: { name: string }) {
  let calls = 0;
  const operation = () => {
    calls += 1;
    return { statusCode: 201, body: t.core.links.create(body) };
  };
  return { operation, calls: () => calls };
}

const linkCount = () => t.core.links.list({}, { limit: 200 }).data.length;

describe('IdempotencyService', () => {
  it('the same key and body replays the same response without running the operation again', () => {
    const body = { name: 'Order 1' };
    const op = createLink(body);
    const first = t.core.idempotency.run('POST /links', 'key-1', body, op.operation);
    expect(first).toMatchObject({ statusCode: 201, replayed: false });
    t.clock.advance(60_000);
    const again = t.core.idempotency.run('POST /links', 'key-1', { name: 'Order 1' }, op.operation);
    expect(again).toEqual({ statusCode: 201, body: first.body, replayed: true });
    expect(op.calls()).toBe(1);
    expect(linkCount()).toBe(1);
  });

  it('the same key with another body -> idempotency-conflict, and nothing runs', () => {
    const op = createLink({ name: 'A' });
    t.core.idempotency.run('POST /links', 'key-1', { name: 'A' }, op.operation);
    const other = createLink({ name: 'B' });
    expectProblem(() => t.core.idempotency.run('POST /links', 'key-1', { name: 'B' }, other.operation), 'idempotency-conflict');
    expect(other.calls()).toBe(0);
    expect(linkCount()).toBe(1);
  });

  it('keys are separate per key and per scope', () => {
    const op = createLink({ name: 'A' });
    t.core.idempotency.run('POST /links', 'key-1', { name: 'A' }, op.operation);
    expect(t.core.idempotency.run('POST /links', 'key-2', { name: 'A' }, op.operation).replayed).toBe(false);
    expect(t.core.idempotency.run('POST /charges', 'key-1', { name: 'A' }, op.operation).replayed).toBe(false);
    expect(op.calls()).toBe(3);
  });

  it('a failed operation keeps nothing, so the same key may be retried; its changes roll back', () => {
    expect(() =>
      t.core.idempotency.run('POST /links', 'key-1', { name: 'A' }, () => {
        t.core.links.create({ name: 'half-done' });
        throw new Error('crash');
      }),
    ).toThrow('crash');
    expect(linkCount()).toBe(0);
    const op = createLink({ name: 'A' });
    expect(t.core.idempotency.run('POST /links', 'key-1', { name: 'A' }, op.operation).replayed).toBe(false);
    expect(op.calls()).toBe(1);
  });

  it('keys are kept for 24 hours', () => {
    const op = createLink({ name: 'A' });
    t.core.idempotency.run('s', 'k', { name: 'A' }, op.operation);
    t.clock.advance(IDEMPOTENCY_TTL_MS - 1);
    expect(t.core.idempotency.run('s', 'k', { name: 'A' }, op.operation).replayed).toBe(true);
    expectProblem(() => t.core.idempotency.run('s', 'k', { name: 'B' }, op.operation), 'idempotency-conflict');
    t.clock.advance(1);
    // past its time the key is fresh again
    expect(t.core.idempotency.run('s', 'k', { name: 'B' }, op.operation).replayed).toBe(false);
    expect(op.calls()).toBe(2);
  });

  it('purge drops keys well past their time only', () => {
    const op = createLink({ name: 'A' });
    t.core.idempotency.run('s', 'old', { name: 'A' }, op.operation);
    t.clock.advance(IDEMPOTENCY_TTL_MS);
    t.core.idempotency.run('s', 'new', { name: 'A' }, op.operation);
    expect(t.core.idempotency.purge()).toBe(0);
    t.clock.advance(IDEMPOTENCY_TTL_MS + 1);
    expect(t.core.idempotency.purge()).toBe(1);
    expect(t.core.store.idempotency.get('s', 'old')).toBeUndefined();
    expect(t.core.store.idempotency.get('s', 'new')).toBeDefined();
  });
});
