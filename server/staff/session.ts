import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index';
import { SESSION_MAX_MS } from '../../core/sessions';
import { CSRF_HEADER, SESSION_COOKIE, bearerToken, sessionToken } from '../http/auth';
import { problem, sendProblem } from '../http/problem';
import { LoginLimiter } from './limiter';
import { allowedActions, type Role } from '../../core/authorization';
import { DEVICE_TOKEN_PREFIX } from '../../core/devices';

/** The limiter's account key for the shop's one staff PIN; a staff user's is their id. */
export const STAFF_PIN_ACCOUNT = 'staff-pin';

const LoginBody = Type.Union([
  Type.Object(
    { method: Type.Literal('pin'), pin: Type.String({ minLength: 1, maxLength: 64 }), userId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
    { additionalProperties: false },
  ),
  Type.Object({ method: Type.Literal('apiKey'), apiKey: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
]);

/** The session cookie: httpOnly, SameSite=Strict, whole site; Secure when served over https. */
function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAgeSeconds: number): FastifyReply {
  return reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    maxAge: maxAgeSeconds,
    secure: request.protocol === 'https',
  });
}

/** Login, logout and "who am I" for the browser staff UI. Only these set or clear the cookie. */
export async function sessionRoutes(base: FastifyInstance, core: Core, limiter = new LoginLimiter({}, () => core.clock.now())): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  // Login and logout are changes made from a browser: the same custom header as the API's
  // cookie-authenticated changes, so a cross-site form can neither log someone in nor out.
  const requireCsrfHeader = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (request.headers[CSRF_HEADER] === '1') return undefined;
    return sendProblem(reply, problem('forbidden', 403, 'Send the header X-Counterlink-CSRF: 1.'));
  };

  // Who is signed in, what their role may do (the UI offers only that), and the staff users to
  // pick from at sign-in (names only).
  app.get('/staff/session', { schema: { hide: true } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const pinSet = await core.sessions.pinSet();
    const users = (await core.staffUsers.list()).map((u) => ({ id: u.id, name: u.name }));
    const signedOut = { authenticated: false, method: null, pinSet, expiresAt: null, user: null, role: null, actions: [], users };
    const bearer = bearerToken(request);
    if (bearer !== undefined && (await core.apiKeys.authenticate(bearer))) {
      return { authenticated: true, method: 'bearer', pinSet, expiresAt: null, user: null, role: 'admin', actions: allowedActions('admin'), users };
    }
    if (bearer !== undefined && bearer.startsWith(DEVICE_TOKEN_PREFIX)) {
      const device = await core.devices.authenticate(bearer);
      if (!device) return signedOut;
      const who = { id: device.id, name: device.name, role: device.role, pointOfSaleId: device.pointOfSaleId };
      return { authenticated: true, method: 'device', pinSet, expiresAt: null, user: who, role: device.role, actions: allowedActions(device.role), users: [] };
    }
    const token = sessionToken(request);
    const session = token === undefined ? undefined : await core.sessions.authenticate(token);
    if (!session) return signedOut;
    const user = session.staffUserId === null ? undefined : await core.staffUsers.get(session.staffUserId);
    // The shop's single PIN is the owner; an API key's login acts as the key (admin).
    const role: Role = user ? user.role : session.method === 'pin' ? 'owner' : 'admin';
    return {
      authenticated: true,
      method: session.method === 'pin' ? 'pin' : 'apiKey',
      pinSet,
      expiresAt: new Date(session.expiresAt).toISOString(),
      user: user ? { id: user.id, name: user.name, role: user.role } : null,
      role,
      actions: allowedActions(role),
      users,
    };
  });

  app.post('/staff/login', { schema: { hide: true, body: LoginBody }, preHandler: requireCsrfHeader }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const body = request.body;
    // The attempt is counted before the secret is checked (parallel guesses cannot outrun the
    // count), per address and, for a PIN, per account; only a success gives it back.
    const reservation = limiter.reserve({ address: request.ip, ...(body.method === 'pin' ? { account: body.userId ?? STAFF_PIN_ACCOUNT } : {}) });
    if (!reservation.ok) {
      const seconds = Math.max(1, Math.ceil(reservation.retryAfterMs / 1000));
      reply.header('Retry-After', String(seconds));
      return sendProblem(reply, problem('rate-limited', 429, 'Too many failed attempts. Wait a few minutes and try again.', { retryAfterSeconds: seconds }));
    }
    const { attempt } = reservation;
    let login: Awaited<ReturnType<Core['sessions']['create']>> | undefined;
    try {
      if (body.method === 'pin' && body.userId !== undefined) {
        const user = await core.staffUsers.verify(body.userId, body.pin);
        if (user) login = await core.sessions.create('pin', null, user.id);
      } else if (body.method === 'pin') {
        if (await core.sessions.verifyPin(body.pin)) login = await core.sessions.create('pin');
      } else {
        const key = await core.apiKeys.authenticate(body.apiKey);
        if (key) login = await core.sessions.create('api_key', key.id);
      }
    } catch (err) {
      attempt.fail();
      throw err;
    }
    if (!login) {
      attempt.fail();
      // `code` says which, for a UI that words it in its own language.
      const [code, what] =
        body.method === 'pin'
          ? body.userId !== undefined || (await core.sessions.pinSet())
            ? ['pin-wrong', 'The PIN is not right.']
            : ['pin-not-set', 'No staff PIN is set yet: log in with an API key.']
          : ['api-key-invalid', 'The API key is not valid.'];
      return sendProblem(reply, problem('unauthorized', 401, what, { code }));
    }
    attempt.succeed();
    setSessionCookie(request, reply, login.token, Math.floor(SESSION_MAX_MS / 1000));
    const user = login.session.staffUserId === null ? undefined : await core.staffUsers.get(login.session.staffUserId);
    const role: Role = user ? user.role : body.method === 'pin' ? 'owner' : 'admin';
    return {
      authenticated: true,
      method: body.method,
      pinSet: await core.sessions.pinSet(),
      expiresAt: new Date(login.session.expiresAt).toISOString(),
      user: user ? { id: user.id, name: user.name, role: user.role } : null,
      role,
      actions: allowedActions(role),
    };
  });

  app.post('/staff/logout', { schema: { hide: true }, preHandler: requireCsrfHeader }, async (request, reply) => {
    const token = sessionToken(request);
    if (token !== undefined) await core.sessions.revoke(token);
    setSessionCookie(request, reply, '', 0).header('Cache-Control', 'no-store');
    return reply.code(204).send();
  });
}
