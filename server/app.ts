import { stripeHookRoutes } from './api/stripe-hooks';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import AjvCompiler from '@fastify/ajv-compiler';
import type { Core } from '../core/index';
import { registerErrorHandling, toProblem } from './http/errors';
import { problem, sendProblem } from './http/problem';
import { apiRoutes } from './api/index';
import { dialogRoutes } from './dialog/routes/index';
import { staffRoutes } from './staff/index';
import { eventStreams, type EventStreamOptions } from './api/event-stream';
import { VERSION } from './version';
import { ProblemSchema } from './schemas/common';
import { DEFAULT_DIALOG_RATE_LIMIT, type DialogRateLimit } from './http/rate-limits';
import { docsUi } from './http/docs-headers';
import { DEFAULT_PAIR_RATE_LIMIT, pairRoutes, type PairRateLimit } from './api/devices';
import { clientErrorHandler, declareCommonResponses, finishDocument, observeResponses } from './http/contract';
import { buildSerializer } from './http/serializers';

const AJV_OPTIONS = { removeAdditional: false, coerceTypes: 'array', allErrors: true, useDefaults: true } as const;
const ajvPool = AjvCompiler();

/**
 * Query strings and path parameters are text, so they are coerced ("5" -> 5). JSON bodies of the
 * Service API are not: coercion would turn a refused `0` into `null` in a nullable field
 * (`maxUses: 0` -> unlimited), `null` into `""` (so `expiresAt: null` could not clear expiry)
 * and `enabled: null` into `false`. Other bodies (the dialog's form posts) keep coercion.
 */
type AjvServerOptions = Parameters<ReturnType<typeof AjvCompiler>>[1];
type RouteSchemaDef = { schema: unknown; url: string; method: string; httpPart: string };
type CompileFn = (route: RouteSchemaDef) => unknown;
function buildValidator(externalSchemas: Parameters<ReturnType<typeof AjvCompiler>>[0], ajvServerOptions: AjvServerOptions): CompileFn {
  const options = (ajvServerOptions ?? {}) as { customOptions?: Record<string, unknown> };
  const coercing = ajvPool(externalSchemas, ajvServerOptions) as unknown as CompileFn;
  const strict = ajvPool(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } }) as unknown as CompileFn;
  return (route) => (route.httpPart === 'body' && route.url.startsWith('/api/v1/') ? strict(route) : coercing(route));
}

export interface ServerOptions {
  logger?: FastifyServerOptions['logger'];
  eventStream?: Partial<EventStreamOptions>;
  /** Behind a reverse proxy: which hops' X-Forwarded-* headers to believe (none by default). */
  trustProxy?: boolean | number | string[] | undefined;
  /** Payments the public dialog starts, per address and per link (default: DEFAULT_DIALOG_RATE_LIMIT); false: off. */
  dialogRateLimit?: DialogRateLimit | false | undefined;
  /** Pairing attempts per address (default: DEFAULT_PAIR_RATE_LIMIT). */
  pairRateLimit?: PairRateLimit | undefined;
}

/**
 * Builds the HTTP app around a core without listening (tests use `inject`). Routes never touch
 * SQL: they validate with TypeBox schemas and call core services.
 */
export async function buildServer(core: Core, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
    trustProxy: (options.trustProxy ?? false) as FastifyServerOptions['trustProxy'],
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Malformed percent-encoding and over-long path parameters never reach a route: answer them
    // as problem+json like every other client error.
    frameworkErrors: (error, _request, reply) => sendProblem(reply, toProblem(error)),
    // …and so are the errors Node answers before Fastify (431 headers too large, 400 not HTTP).
    clientErrorHandler,
    ajv: { customOptions: AJV_OPTIONS },
    schemaController: { compilersFactory: { buildValidator: buildValidator as unknown as ReturnType<typeof AjvCompiler>, buildSerializer } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandling(app);
  app.addSchema(ProblemSchema);
  // Before any route: every documented route declares the problems it can answer.
  app.addHook('onRoute', declareCommonResponses);
  observeResponses(app);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
  });

  // Cookies first: the /api/v1 auth hook reads the staff session cookie on every request.
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 65_536 });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Counterlink Service API',
        version: VERSION,
        description: 'Pay-by-link links, payments, events, points of sale and the counter display. Errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: clk_…' } } },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transformObject: (d) => ('openapiObject' in d ? finishDocument(d.openapiObject) : d.swaggerObject),
  });
  // The API docs with the same security headers as every other page.
  await app.register(docsUi);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Liveness: the process answers. Readiness: it can reach its database and is not shutting down —
  // what a load balancer asks before sending traffic.
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', version: VERSION }));
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (draining) return sendProblem(reply, problem('service-unavailable', 503, 'The server is shutting down.'));
    await core.store.ping();
    return { status: 'ready', version: VERSION, database: core.store.dialect };
  });

  const streams = eventStreams(core, options.eventStream);
  app.addHook('preClose', async () => streams.closeAll());
  await app.register(apiRoutes(core, streams), { prefix: '/api/v1' });
  // Public: Stripe's signed webhook events.
  await app.register(stripeHookRoutes(core));
  await app.register(dialogRoutes(core, { rateLimit: options.dialogRateLimit ?? DEFAULT_DIALOG_RATE_LIMIT }));
  // Public: a device trades a pairing code for its token.
  await app.register(async (child) => pairRoutes(child, core, options.pairRateLimit ?? DEFAULT_PAIR_RATE_LIMIT));
  // Browser mode: the staff UI at /, its session login, the public counter display pages.
  await app.register(staffRoutes(core));
  return app;
}
