import type { CoreContext, Tx } from './context';
import { DomainError } from './errors';
import { sha256Hex } from './ids';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

/** JSON with object keys sorted, so the same body with fields in another order hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * `Idempotency-Key` support. The check, the operation and the saved response are one
 * transaction, so a retry after a crash either sees the saved response or runs the operation
 * afresh — never half of it. Only successful responses are kept; a refused request may be
 * retried with the same key.
 */
export class IdempotencyService {
  constructor(private readonly ctx: CoreContext) {}

  async run(
    scope: string,
    key: string | undefined,
    request: unknown,
    operation: (t: Tx) => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    const { store, clock } = this.ctx;
    // What time alone changed first, outside the operation's transaction (a lapsed lock frees a link).
    await this.ctx.fresh();
    if (key === undefined) return { ...(await store.tx(operation)), replayed: false };
    const requestHash = sha256Hex(canonicalJson(request));
    return store.tx(async (t) => {
      // The same key arriving at two servers at once: the second waits and then replays.
      await t.lock(`idempotency:${scope}:${key}`);
      const saved = await t.idempotency.get(scope, key);
      if (saved && saved.createdAt > clock.now() - IDEMPOTENCY_TTL_MS) {
        if (saved.requestHash !== requestHash) {
          throw new DomainError('idempotency-conflict', 'This Idempotency-Key was used with a different request.');
        }
        return { statusCode: saved.statusCode, body: JSON.parse(saved.body) as unknown, replayed: true };
      }
      const response = await operation(t);
      await t.idempotency.put(scope, key, requestHash, response.statusCode, JSON.stringify(response.body), clock.now());
      return { ...response, replayed: false };
    });
  }

  /** Keys are kept at least 24 h; older ones are dropped by the sweeper. */
  purge(): Promise<number> {
    return this.ctx.store.tx((t) => t.idempotency.purgeOlderThan(this.ctx.clock.now() - IDEMPOTENCY_TTL_MS * 2));
  }
}
