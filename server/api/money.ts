import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { modeOf } from '../http/auth';
import { IdParams, Nullable, problems } from '../schemas/common';

const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  mode: Type.Union([Type.Literal('live'), Type.Literal('test'), Type.Literal('any')], { description: '`any`: the desktop app’s staff credential' }),
  livemode: Nullable(Type.Boolean()),
  role: Type.String(),
  prefix: Type.String({ description: 'The first characters, so keys can be told apart' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
});

const ApiKeyCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    mode: Type.Union([Type.Literal('live'), Type.Literal('test')]),
    role: Type.Optional(Type.Literal('admin')),
  },
  { additionalProperties: false },
);

const MethodSchema = Type.Object({
  id: Type.String(),
  livemode: Type.Boolean(),
  available: Type.Boolean(),
  reason: Nullable(Type.Union([Type.Literal('not-configured'), Type.Literal('offline'), Type.Literal('test-only')])),
});

/** API keys per mode (API.md "Live and test mode") and the payment methods of the key's mode. */
export function moneyRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['api keys'];

    app.get('/api-keys', { schema: { tags, summary: 'Keys that work (never the keys themselves)', response: { 200: Type.Object({ data: Type.Array(ApiKeySchema) }) } } }, async () => ({
      data: await core.apiKeys.list(),
    }));
    app.post(
      '/api-keys',
      {
        schema: {
          tags,
          summary: 'Create a live or test key; the plain key is in this answer only',
          body: ApiKeyCreateBody,
          response: { 201: Type.Object({ ...ApiKeySchema.properties, key: Type.String({ description: 'Shown this once; only its SHA-256 is stored' }) }), ...problems(422) },
        },
      },
      async (request, reply) => {
        const created = await core.apiKeys.create(request.body);
        return reply.code(201).header('Cache-Control', 'no-store').send(created);
      },
    );
    app.delete('/api-keys/:id', { schema: { tags, summary: 'Revoke a key at once', params: IdParams, response: { 204: Type.Null(), ...problems(404) } } }, async (request, reply) => {
      await core.apiKeys.revoke(request.params.id);
      return reply.code(204).send(null);
    });

    app.get(
      '/payment-methods',
      { schema: { tags: ['payment methods'], summary: 'The payment methods of the key’s mode, and whether each can take payments now', response: { 200: Type.Object({ data: Type.Array(MethodSchema) }) } } },
      async (request) => ({ data: await core.payments.methods(modeOf(request)) }),
    );
  };
}
