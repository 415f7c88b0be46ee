import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index';
import type { Tx } from '../../core/context';
import { ValidationError } from '../../core/errors';

/**
 * Runs a creating operation under the request's `Idempotency-Key`, if any: the same key and
 * body replay the first response (`Idempotent-Replayed: true`); another body is a 409. The
 * operation, the key's check and its saved answer are one transaction.
 */
export async function idempotent<T>(
  core: Core,
  request: FastifyRequest,
  reply: FastifyReply,
  statusCode: number,
  operation: (t: Tx) => Promise<T>,
): Promise<T> {
  const key = request.headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || key.length < 1 || key.length > 255)) {
    throw ValidationError.field('Idempotency-Key', 'must be 1-255 characters');
  }
  const scope = `${request.principal?.keyId ?? 'public'} ${request.method} ${request.url.split('?')[0]}`;
  const result = await core.idempotency.run(scope, key, request.body ?? null, async (t) => ({ statusCode, body: await operation(t) }));
  if (result.replayed) reply.header('Idempotent-Replayed', 'true');
  reply.code(result.statusCode);
  return result.body as T;
}
