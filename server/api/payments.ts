import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { idempotent } from '../http/idempotency';
import { modeOf } from '../http/auth';
import { recordingActor } from '../http/authorize';
import { ms } from '../http/query';
import { IdParams, Nullable, pageOf, problems, problemResponses } from '../schemas/common';
import { PaymentListQuery, RefundBody } from '../schemas/payments';

const PaymentRef = Type.Ref('Payment');
const tags = ['payments'];

export function paymentRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/payments', { schema: { tags, summary: 'List payments, newest first', querystring: PaymentListQuery, response: { 200: pageOf(PaymentRef) } } }, async (request) => {
      const q = request.query;
      return core.payments.list(
        { q: q.q, linkId: q.linkId, pointOfSaleId: q.pointOfSaleId, status: q.status, method: q.method, createdAfter: ms(q.createdAfter), createdBefore: ms(q.createdBefore) },
        { limit: q.limit ?? 50, cursor: q.cursor },
        modeOf(request),
      );
    });

    app.get('/payments/:id', { schema: { tags, summary: 'Get a payment', params: IdParams, response: { 200: PaymentRef, ...problems(404) } } }, async (request) =>
      core.payments.get(request.params.id, modeOf(request)),
    );

    app.post(
      '/payments/:id/refund',
      { schema: { tags, summary: 'Refund a payment (default: what is left)', params: IdParams, body: Nullable(RefundBody), response: { 200: PaymentRef, ...problemResponses } } },
      async (request, reply) =>
        idempotent(core, request, reply, 200, recordingActor(core, request, (t) => core.payments.refundIn(t, request.params.id, request.body?.amount, modeOf(request)))),
    );
  };
}
