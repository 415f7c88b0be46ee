import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index';
import { ValidationError } from '../../core/errors';

/**
 * Runs a creating operation under the request's `Idempotency-Key`, if any: the same key and
 * body replay the first response (`Idempotent-Replayed: true`); another body is a 409.
 */
export function idempotent<T>(core: Core, request: FastifyRequest, reply: FastifyReply, statusCode: number, operation: () => T): T {
  const key = request.headers['idempotency-key'];
  if (key === undefined) {
    reply.code(statusCode);
    return operation();
  }
  if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
    throw ValidationError.field('Idempotency-Key', 'must be 1-255 characters');
  }
  const scope = `${request.principal?.keyId ?? 'public'} ${request.method} ${request.url.split('?')[0]}`;
  const result = core.idempotency.run(scope, key, request.body ?? null, () => ({ statusCode, body: operation() }));
  if (result.replayed) reply.header('Idempotent-Replayed', 'true');
  reply.code(result.statusCode);
  return result.body as T;
}
