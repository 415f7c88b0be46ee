import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { negotiate } from '@fastify/accept-negotiator';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { idempotent } from '../http/idempotency';
import { modeOf } from '../http/auth';
import { ms } from '../http/query';
import { IdParams, pageOf, problems, problemResponses } from '../schemas/common';
import { LinkCreateBody, LinkGetQuery, LinkListQuery, LinkPatchBody, QrQuery } from '../schemas/links';
import { injectedData, qrPng, qrSvg, withData } from '../qr';

const LinkRef = Type.Ref('Link');
const tags = ['links'];
const Binary = Type.String({ format: 'binary' });
const QrImage = { 'image/png': { schema: Binary }, 'image/svg+xml': { schema: Binary } };

export function linkRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.post('/links', { schema: { tags, summary: 'Create a pay-by-link', body: LinkCreateBody, response: { 201: LinkRef, ...problems(409) } } }, async (request, reply) =>
      idempotent(core, request, reply, 201, (t) => core.links.createIn(t, request.body, modeOf(request))),
    );

    app.get('/links', { schema: { tags, summary: 'List links, newest first', querystring: LinkListQuery, response: { 200: pageOf(LinkRef) } } }, async (request) => {
      const q = request.query;
      return core.links.list(
        {
          status: q.status,
          pointOfSaleId: q.pointOfSaleId,
          createdAfter: ms(q.createdAfter),
          createdBefore: ms(q.createdBefore),
          expiresAfter: ms(q.expiresAfter),
          expiresBefore: ms(q.expiresBefore),
          q: q.q,
        },
        { limit: q.limit ?? 50, cursor: q.cursor },
        modeOf(request),
      );
    });

    app.get(
      '/links/:id',
      {
        schema: {
          tags,
          summary: 'Get a link (JSON), or its QR code with Accept: image/png or image/svg+xml',
          params: IdParams,
          querystring: LinkGetQuery,
          response: { 200: { description: 'The link', content: { 'application/json': { schema: LinkRef }, ...QrImage } }, ...problems(404) },
        },
      },
      async (request, reply) => {
        const link = await core.links.get(request.params.id, modeOf(request));
        const url = withData(link.url, injectedData(request.query));
        const wanted = negotiate(request.headers.accept ?? 'application/json', ['application/json', 'image/png', 'image/svg+xml']);
        if (wanted === 'image/png') return reply.type('image/png').send(await qrPng(url, 240));
        if (wanted === 'image/svg+xml') return reply.type('image/svg+xml').send(await qrSvg(url, 240));
        return { ...link, url };
      },
    );

    app.get(
      '/links/:id/qr',
      { schema: { tags, summary: 'The link’s QR code', params: IdParams, querystring: QrQuery, response: { 200: { description: 'The QR code of the link URL', content: QrImage }, ...problems(404) } } },
      async (request, reply) => {
        const link = await core.links.get(request.params.id, modeOf(request));
        const url = withData(link.url, injectedData(request.query as Record<string, unknown>));
        const size = request.query.size ?? 240;
        reply.header('Cache-Control', 'no-store');
        if (request.query.format === 'svg') return reply.type('image/svg+xml').send(await qrSvg(url, size));
        return reply.type('image/png').send(await qrPng(url, size));
      },
    );

    app.patch('/links/:id', { schema: { tags, summary: 'Change a link', params: IdParams, body: LinkPatchBody, response: { 200: LinkRef, ...problemResponses } } }, async (request) =>
      core.links.update(request.params.id, request.body, modeOf(request)),
    );

    const cancel = { schema: { tags, summary: 'Cancel a link (idempotent)', params: IdParams, response: { 200: LinkRef, ...problemResponses } } };
    app.post('/links/:id/cancel', cancel, async (request) => core.links.cancel(request.params.id, modeOf(request)));
    app.delete('/links/:id', cancel, async (request) => core.links.cancel(request.params.id, modeOf(request)));
  };
}
