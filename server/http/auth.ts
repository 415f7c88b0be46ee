import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Mode } from '../../core/mode';
import type { Core } from '../../core/index';
import { problem, sendProblem } from './problem';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling /api/v1: set by `requireApiKey`. */
    principal?: { keyId: string; role: string; via?: 'bearer' | 'session'; mode: Mode };
  }
}

/** The staff UI's session cookie (browser mode): httpOnly, SameSite=Strict, token only hashed at rest. */
export const SESSION_COOKIE = 'counterlink_session';
/**
 * A cookie-authenticated change must carry this header. A cross-site form cannot set headers, and
 * a cross-site script that tries needs a CORS preflight the server never grants.
 */
export const CSRF_HEADER = 'x-counterlink-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The session token, from the cookies @fastify/cookie parsed (registered first in buildServer). */
export function sessionToken(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[SESSION_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}

/** The header (or, for EventSource, the query parameter) a staff credential picks its mode with. */
export const MODE_HEADER = 'counterlink-mode';

/**
 * The mode a staff credential (browser session, the desktop app's key) works in for this request:
 * `Counterlink-Mode: live|test`, or `?mode=` where headers cannot be set (EventSource). Test mode
 * unless told otherwise: an omission never moves real money. API keys are bound to their own mode.
 */
function chosenMode(request: FastifyRequest): Mode {
  const header = request.headers[MODE_HEADER];
  const query = (request.query as { mode?: unknown } | undefined)?.mode;
  const wanted = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
  return wanted === 'live' ? 'live' : 'test';
}

/** The mode of an authenticated /api/v1 request. */
export function modeOf(request: FastifyRequest): Mode {
  return request.principal?.mode ?? 'test';
}

/**
 * onRequest hook for /api/v1: a valid API key in `Authorization: Bearer`, or (without an
 * Authorization header) a staff session cookie; else 401. Cookie-authenticated unsafe methods
 * also need `X-Counterlink-CSRF: 1`, else 403.
 */
export function requireApiKey(core: Core) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const cookieToken = request.headers.authorization === undefined ? sessionToken(request) : undefined;
    if (cookieToken !== undefined) {
      const session = await core.sessions.authenticate(cookieToken);
      if (session) {
        if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== '1') {
          await sendProblem(reply, problem('forbidden', 403, 'Changes made with the session cookie need the header X-Counterlink-CSRF: 1.'));
          return reply;
        }
        request.principal = { keyId: session.apiKeyId ?? 'staff-pin', role: 'admin', via: 'session', mode: chosenMode(request) };
        return;
      }
    }
    const token = bearerToken(request);
    const key = token === undefined ? undefined : await core.apiKeys.authenticate(token);
    if (!key) {
      reply.header('WWW-Authenticate', 'Bearer realm="counterlink"');
      const detail =
        token !== undefined ? 'The API key is not valid.' : cookieToken !== undefined ? 'The session has ended; log in again.' : 'Send Authorization: Bearer <api key>.';
      await sendProblem(reply, problem('unauthorized', 401, detail));
      return reply;
    }
    request.principal = { keyId: key.id, role: key.role, via: 'bearer', mode: key.mode === 'any' ? chosenMode(request) : key.mode };
  };
}
