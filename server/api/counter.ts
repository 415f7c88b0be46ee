import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { idempotent } from '../http/idempotency';
import { LinkSchema } from '../schemas/links';
import { modeOf } from '../http/auth';
import { recordingActor } from '../http/authorize';
import { IdParams, Nullable, problems, problemResponses } from '../schemas/common';
import { ChargeBody, DisplayClearBody, DisplayQuery, DisplayShowBody, PointOfSaleCreateBody, PointOfSalePatchBody } from '../schemas/misc';

const PosRef = Type.Ref('PointOfSale');
/** A charge is its link; with `method` it also carries the payment it started. */
const ChargeSchema = Type.Object({ ...LinkSchema.properties, payment: Type.Optional(Type.Ref('Payment')) });
const DisplayRef = Type.Ref('Display');

/** Points of sale, quick charges and the customer-facing display of each counter. */
export function counterRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const posTags = ['points of sale'];
    const displayTags = ['display'];

    app.get('/points-of-sale', { schema: { tags: posTags, response: { 200: Type.Object({ data: Type.Array(PosRef), nextCursor: Type.Null() }) } } }, async () => ({
      data: await core.pointsOfSale.list(),
      nextCursor: null,
    }));
    app.post('/points-of-sale', { schema: { tags: posTags, body: PointOfSaleCreateBody, response: { 201: PosRef, ...problems(409) } } }, async (request, reply) =>
      idempotent(core, request, reply, 201, (t) => core.pointsOfSale.createIn(t, request.body)),
    );
    app.get('/points-of-sale/:id', { schema: { tags: posTags, params: IdParams, response: { 200: PosRef, ...problems(404) } } }, async (request) =>
      core.pointsOfSale.get(request.params.id),
    );
    app.patch('/points-of-sale/:id', { schema: { tags: posTags, params: IdParams, body: PointOfSalePatchBody, response: { 200: PosRef, ...problems(404) } } }, async (request) =>
      core.pointsOfSale.update(request.params.id, request.body),
    );

    app.post(
      '/charges',
      { schema: { tags: ['charges'], summary: 'Create a single-use link and show it on the counter display', body: ChargeBody, response: { 201: ChargeSchema, ...problems(409) } } },
      async (request, reply) => idempotent(core, request, reply, 201, recordingActor(core, request, (t) => core.charges.createIn(t, request.body, modeOf(request)))),
    );

    const defaultPos = async (id: string | undefined): Promise<string> => id ?? (await core.pointsOfSale.list()).find((p) => p.isDefault)!.id;
    app.get('/display', { schema: { tags: displayTags, querystring: DisplayQuery, response: { 200: DisplayRef, ...problems(404) } } }, async (request) =>
      core.display.get(await defaultPos(request.query.pointOfSaleId)),
    );
    app.post('/display/show', { schema: { tags: displayTags, body: DisplayShowBody, response: { 200: DisplayRef, ...problemResponses } } }, async (request) =>
      core.display.show(request.body.linkId),
    );
    app.post('/display/clear', { schema: { tags: displayTags, body: Nullable(DisplayClearBody), response: { 200: DisplayRef, ...problems(404) } } }, async (request) =>
      core.display.clear(await defaultPos(request.body?.pointOfSaleId)),
    );
  };
}
