import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index';
import { problem, sendProblem } from './problem';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling /api/v1: set by `requireApiKey`. */
    principal?: { keyId: string; role: string };
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** onRequest hook for /api/v1: a valid API key in `Authorization: Bearer`, else 401. */
export function requireApiKey(core: Core) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = bearerToken(request);
    const key = token === undefined ? undefined : core.apiKeys.authenticate(token);
    if (!key) {
      reply.header('WWW-Authenticate', 'Bearer realm="counterlink"');
      await sendProblem(reply, problem('unauthorized', 401, token === undefined ? 'Send Authorization: Bearer <api key>.' : 'The API key is not valid.'));
      return reply;
    }
    request.principal = { keyId: key.id, role: key.role };
  };
}
