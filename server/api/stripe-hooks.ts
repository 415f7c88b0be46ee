import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { problems } from '../schemas/common';

/**
 * `POST /hooks/stripe` (public): Stripe's events, verified by signature against the raw body —
 * so this plugin keeps the body as Stripe sent it (its own content-type parser, scoped here).
 */
export function stripeHookRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1_048_576 }, (_request, body, done) => done(null, body));
    app.post(
      '/hooks/stripe',
      {
        schema: {
          tags: ['payments'],
          summary: 'Stripe webhook events (give Stripe this URL)',
          description:
            'Signed by Stripe (`Stripe-Signature`), checked against the raw body with the configured webhook secret of either mode, within 5 minutes. checkout.session.completed (paid) and async_payment_succeeded -> succeeded; async_payment_failed -> failed; expired -> abandoned. Each event id is applied once; other types are acknowledged and ignored. A forged or stale signature: 400, nothing changes.',
          security: [],
          response: {
            200: Type.Object({ received: Type.Literal(true), applied: Type.Boolean(), reason: Type.Optional(Type.String()) }),
            ...problems(400),
          },
        },
      },
      async (request) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.from(typeof request.body === 'string' ? request.body : '');
        const signature = request.headers['stripe-signature'];
        return core.stripe.events.handleWebhook(raw, typeof signature === 'string' ? signature : undefined);
      },
    );
  };
}
