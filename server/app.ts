import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../core/index';
import { registerErrorHandling } from './http/errors';
import { apiRoutes } from './api/index';
import { dialogRoutes } from './dialog/routes';
import { eventStreams, type EventStreamOptions } from './api/event-stream';
import { VERSION } from './version';
import { ProblemSchema } from './schemas/common';

export interface ServerOptions {
  logger?: FastifyServerOptions['logger'];
  eventStream?: Partial<EventStreamOptions>;
}

/**
 * Builds the HTTP app around a core without listening (tests use `inject`). Routes never touch
 * SQL: they validate with TypeBox schemas and call core services.
 */
export async function buildServer(core: Core, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true, useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandling(app);
  app.addSchema(ProblemSchema);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
  });

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
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', version: VERSION }));

  const streams = eventStreams(core, options.eventStream);
  app.addHook('preClose', async () => streams.closeAll());
  await app.register(apiRoutes(core, streams), { prefix: '/api/v1' });
  await app.register(dialogRoutes(core));
  return app;
}
