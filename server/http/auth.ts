import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Mode } from '../../core/mode';
import type { Core } from '../../core/index';
import type { Principal } from '../../core/authorization';
import { DEVICE_TOKEN_PREFIX } from '../../core/devices';
import { problem, sendProblem } from './problem';
import { checkRole } from './authorize';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling /api/v1: set by `requireApiKey`. */
    principal?: { keyId: string; role: string; via?: 'bearer' | 'session' | 'device'; mode: Mode; who: Principal };
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

/** Who a staff session is: a staff user, the shop's single PIN (the owner), or an API key's login. */
async function sessionPrincipal(core: Core, session: { id: string; apiKeyId: string | null; staffUserId: string | null }): Promise<Principal | undefined> {
  if (session.staffUserId !== null) {
    const user = await core.staffUsers.get(session.staffUserId);
    return user && { kind: 'session', id: user.id, name: user.name, role: user.role, pointOfSaleId: null };
  }
  if (session.apiKeyId !== null) return { kind: 'apiKey', id: session.apiKeyId, name: 'API key', role: 'admin', pointOfSaleId: null };
  // An install from before staff users: its one PIN opens everything, as the owner.
  return { kind: 'session', id: 'staff-pin', name: 'Owner', role: 'owner', pointOfSaleId: null };
}

/**
 * onRequest hook for /api/v1: a valid API key or paired device's token in `Authorization:
 * Bearer`, or (without an Authorization header) a staff session cookie; else 401. Cookie-
 * authenticated unsafe methods also need `X-Counterlink-CSRF: 1`, else 403. Then the route's
 * action must be one the caller's role may do (server/http/authorize.ts), else 403.
 */
export function requireApiKey(core: Core) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const cookieToken = request.headers.authorization === undefined ? sessionToken(request) : undefined;
    if (cookieToken !== undefined) {
      const session = await core.sessions.authenticate(cookieToken);
      const who = session && (await sessionPrincipal(core, session));
      if (session && who) {
        if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== '1') {
          await sendProblem(reply, problem('forbidden', 403, 'Changes made with the session cookie need the header X-Counterlink-CSRF: 1.'));
          return reply;
        }
        request.principal = { keyId: session.staffUserId ?? session.apiKeyId ?? 'staff-pin', role: who.role, via: 'session', mode: chosenMode(request), who };
        return await checkRole(request, reply);
      }
    }
    const token = bearerToken(request);
    if (token !== undefined && token.startsWith(DEVICE_TOKEN_PREFIX)) {
      const device = await core.devices.authenticate(token);
      if (device) {
        const who: Principal = { kind: 'device', id: device.id, name: device.name, role: device.role, pointOfSaleId: device.pointOfSaleId };
        request.principal = { keyId: device.id, role: device.role, via: 'device', mode: chosenMode(request), who };
        return await checkRole(request, reply);
      }
    }
    const key = token === undefined || token.startsWith(DEVICE_TOKEN_PREFIX) ? undefined : await core.apiKeys.authenticate(token);
    if (!key) {
      reply.header('WWW-Authenticate', 'Bearer realm="counterlink"');
      const detail =
        token !== undefined ? 'The API key is not valid.' : cookieToken !== undefined ? 'The session has ended; log in again.' : 'Send Authorization: Bearer <api key>.';
      await sendProblem(reply, problem('unauthorized', 401, detail));
      return reply;
    }
    const who: Principal = { kind: 'apiKey', id: key.id, name: key.name, role: 'admin', pointOfSaleId: null };
    request.principal = { keyId: key.id, role: key.role, via: 'bearer', mode: key.mode === 'any' ? chosenMode(request) : key.mode, who };
    return await checkRole(request, reply);
  };
}
