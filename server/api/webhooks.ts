import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { modeOf } from '../http/auth';
import { idempotent } from '../http/idempotency';
import { IdParams, pageOf, problems, problemResponses } from '../schemas/common';
import {
  WebhookDeliveryListQuery,
  WebhookDeliverySchema,
  WebhookEndpointCreateBody,
  WebhookEndpointListQuery,
  WebhookEndpointPatchBody,
  WebhookEndpointSchema,
} from '../schemas/webhooks';

const EndpointRef = Type.Ref('WebhookEndpoint');
const DeliveryRef = Type.Ref('WebhookDelivery');
const endpointTags = ['webhooks'];

/** Webhook endpoints (signed Standard Webhooks deliveries of the event log) and their delivery log. */
export function webhookRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addSchema(WebhookEndpointSchema);
    app.addSchema(WebhookDeliverySchema);

    app.post(
      '/webhook-endpoints',
      {
        schema: {
          tags: endpointTags,
          summary: 'Add an endpoint; the response carries its secret (and encryption key) — the only time they are shown',
          body: WebhookEndpointCreateBody,
          response: { 201: EndpointRef, ...problems(409) },
        },
      },
      async (request, reply) => idempotent(core, request, reply, 201, (t) => core.webhooks.createIn(t, request.body, modeOf(request))),
    );
    app.get(
      '/webhook-endpoints',
      { schema: { tags: endpointTags, summary: 'List endpoints, newest first', querystring: WebhookEndpointListQuery, response: { 200: pageOf(EndpointRef) } } },
      async (request) => core.webhooks.list({ limit: request.query.limit ?? 50, cursor: request.query.cursor }, modeOf(request)),
    );
    app.get('/webhook-endpoints/:id', { schema: { tags: endpointTags, params: IdParams, response: { 200: EndpointRef, ...problems(404) } } }, async (request) =>
      core.webhooks.get(request.params.id, modeOf(request)),
    );
    app.patch(
      '/webhook-endpoints/:id',
      {
        schema: {
          tags: endpointTags,
          summary: 'Change an endpoint; switching encryption on returns the new encryptionKey once',
          params: IdParams,
          body: WebhookEndpointPatchBody,
          response: { 200: EndpointRef, ...problems(404) },
        },
      },
      async (request) => core.webhooks.update(request.params.id, request.body, modeOf(request)),
    );
    app.delete(
      '/webhook-endpoints/:id',
      { schema: { tags: endpointTags, summary: 'Delete an endpoint; deliveries not yet sent are dropped', params: IdParams, response: { 204: Type.Null({ description: 'Deleted' }), ...problems(404) } } },
      async (request, reply) => {
        await core.webhooks.delete(request.params.id, modeOf(request));
        return reply.code(204).send(null);
      },
    );
    app.post(
      '/webhook-endpoints/:id/rotate-secret',
      {
        schema: {
          tags: endpointTags,
          summary: 'New signing secret (returned once); the old one keeps signing beside it for 24 h',
          params: IdParams,
          response: { 200: EndpointRef, ...problems(404) },
        },
      },
      async (request) => core.webhooks.rotateSecret(request.params.id, modeOf(request)),
    );
    app.post(
      '/webhook-endpoints/:id/test',
      {
        schema: {
          tags: endpointTags,
          summary: 'Send a webhook.test message to this endpoint only',
          params: IdParams,
          response: { 202: DeliveryRef, ...problemResponses },
        },
      },
      async (request, reply) => {
        reply.code(202);
        return core.webhooks.sendTest(request.params.id, modeOf(request));
      },
    );

    app.get(
      '/webhook-deliveries',
      {
        schema: {
          tags: endpointTags,
          summary: 'Delivery log: one entry per message and endpoint, with its attempts, newest first',
          querystring: WebhookDeliveryListQuery,
          response: { 200: pageOf(DeliveryRef) },
        },
      },
      async (request) => {
        const q = request.query;
        return core.webhooks.deliveries({ endpointId: q.endpointId, status: q.status, livemode: modeOf(request) === 'live' }, { limit: q.limit ?? 50, cursor: q.cursor });
      },
    );
    app.get('/webhook-deliveries/:id', { schema: { tags: endpointTags, params: IdParams, response: { 200: DeliveryRef, ...problems(404) } } }, async (request) =>
      core.webhooks.delivery(request.params.id),
    );
    app.post(
      '/webhook-deliveries/:id/redeliver',
      {
        schema: {
          tags: endpointTags,
          summary: 'Send the message again (same webhook-id); one waiting for its retry goes now',
          params: IdParams,
          response: { 202: DeliveryRef, ...problemResponses },
        },
      },
      async (request, reply) => {
        reply.code(202);
        return core.webhooks.redeliver(request.params.id);
      },
    );
  };
}
