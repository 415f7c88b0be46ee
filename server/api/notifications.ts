import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { negotiate } from '@fastify/accept-negotiator';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { DomainError } from '../../core/errors';
import { LOCALES } from '../../core/links/types';
import { CHANNELS, NOTIFICATION_KINDS, NOTIFICATION_STATUSES } from '../../core/notifications/types';
import type { MessageFormat } from '../../core/notifications/service';
import { idempotent } from '../http/idempotency';
import { ms } from '../http/query';
import { problem, sendProblem } from '../http/problem';
import { DateTime, IdParams, Money, Nullable, pageOf, problems, problemResponses } from '../schemas/common';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const NotificationSchema = Type.Object(
  {
    id: Type.String({ examples: ['ntf_4Yc2…'] }),
    kind: literals(NOTIFICATION_KINDS),
    linkId: Type.String(),
    paymentId: Nullable(Type.String({ description: 'The payment a receipt email is for; null for a link sent to someone' })),
    channel: literals(CHANNELS),
    to: Type.String({ description: 'Email address, or the phone number in E.164' }),
    locale: literals(LOCALES),
    message: Nullable(Type.String()),
    status: literals(NOTIFICATION_STATUSES),
    attempts: Type.Integer(),
    lastError: Nullable(Type.String()),
    transport: Nullable(literals(['smtp', 'sms-gateway', 'local-outbox'] as const)),
    cost: Nullable(Money),
    currency: Nullable(Type.String()),
    nextAttemptAt: Nullable(DateTime),
    createdAt: DateTime,
    updatedAt: DateTime,
    sentAt: Nullable(DateTime),
    deliveredAt: Nullable(DateTime),
    failedAt: Nullable(DateTime),
  },
  {
    $id: 'Notification',
    description:
      'One email or SMS carrying a link (kind link), or the email with the receipt of a succeeded payment whose payer left an address (kind receipt, PDF attached). sent: accepted by the SMTP server or the SMS gateway, or written to the local outbox; delivered: confirmed by an SMS delivery report.',
  },
);

const NotificationRef = Type.Ref('Notification');

const SendBody = Type.Object(
  {
    channel: literals(CHANNELS),
    to: Type.String({ minLength: 1, maxLength: 320, description: 'Email address, or phone number (read in the link’s, else the merchant’s country when it has no country code)' }),
    locale: Type.Optional(literals(LOCALES)),
    message: Type.Optional(Nullable(Type.String({ maxLength: 1000, description: 'A personal note shown with the link (SMS: at most 300 characters)' }))),
  },
  { additionalProperties: false },
);

const NotificationListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    linkId: Type.Optional(Type.String({ maxLength: 100 })),
    kind: Type.Optional(literals(NOTIFICATION_KINDS)),
    paymentId: Type.Optional(Type.String({ maxLength: 100 })),
    channel: Type.Optional(literals(CHANNELS)),
    status: Type.Optional(literals(NOTIFICATION_STATUSES)),
  },
  { additionalProperties: false },
);

const MessageQuery = Type.Object(
  { format: Type.Optional(literals(['html', 'eml', 'text', 'json'] as const)) },
  { additionalProperties: false },
);

const ReportQuery = Type.Object(
  { from: Type.Optional(DateTime), to: Type.Optional(DateTime) },
  { additionalProperties: false },
);

const Counted = Type.Object({ count: Type.Integer(), cost: Money });
const MessageReportSchema = Type.Object({
  from: Nullable(DateTime),
  to: Nullable(DateTime),
  currency: Type.String(),
  email: Counted,
  sms: Counted,
  total: Counted,
  otherCurrencies: Type.Array(Type.Object({ currency: Type.String(), channel: literals(CHANNELS), count: Type.Integer(), cost: Money }), {
    description: 'Messages priced in an earlier billing currency',
  }),
});

const tags = ['notifications'];

/** Service API: send links by email or SMS, watch their status, retry, and count them. */
export function notificationRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addSchema(NotificationSchema);

    app.post(
      '/links/:id/send',
      {
        schema: {
          tags,
          summary: 'Send the link by email or SMS',
          description:
            'Queues the message in the outbox and answers at once (202). Enabled and locked links can be sent; at most 10 accepted sends per link and hour (429 with Retry-After). Accepts Idempotency-Key.',
          params: IdParams,
          body: SendBody,
          response: {
            202: NotificationRef,
            ...problemResponses,
            429: { ...problems(429)[429]!, headers: { 'Retry-After': Type.Integer({ description: 'Seconds to wait' }) } },
          },
        },
      },
      async (request, reply) => {
        try {
          // Awaited here, so a rejected send reaches the catch below (Retry-After).
          return await idempotent(core, request, reply, 202, (t) => core.notifications.sendIn(t, request.params.id, request.body));
        } catch (err) {
          if (err instanceof DomainError && err.type === 'rate-limited' && typeof err.extras.retryAfter === 'number') {
            reply.header('Retry-After', String(err.extras.retryAfter));
          }
          throw err;
        }
      },
    );

    app.get(
      '/notifications',
      { schema: { tags, summary: 'List notifications, newest first', querystring: NotificationListQuery, response: { 200: pageOf(NotificationRef) } } },
      async (request) => {
        const q = request.query;
        return core.notifications.list({ linkId: q.linkId, kind: q.kind, paymentId: q.paymentId, channel: q.channel, status: q.status }, { limit: q.limit ?? 50, cursor: q.cursor });
      },
    );

    app.get('/notifications/:id', { schema: { tags, summary: 'Get a notification', params: IdParams, response: { 200: NotificationRef, ...problems(404) } } }, async (request) =>
      core.notifications.get(request.params.id),
    );

    app.get(
      '/notifications/:id/message',
      {
        schema: {
          tags,
          summary: 'The message itself, for a preview',
          description:
            'Email: HTML with the QR code inline (default, or Accept: text/html), the raw .eml (format=eml or Accept: message/rfc822), or the plain-text part (format=text). SMS: the text (text/plain) or format=json.',
          params: IdParams,
          querystring: MessageQuery,
          response: {
            200: {
              description: 'The message in the format asked for',
              content: {
                'text/html': { schema: Type.String() },
                'message/rfc822': { schema: Type.String({ format: 'binary' }) },
                'text/plain': { schema: Type.String() },
                'application/json': { schema: Type.Object({ to: Type.String(), text: Type.String() }) },
              },
            },
            ...problems(404),
          },
        },
      },
      async (request, reply) => {
        const wanted = request.query.format ?? acceptedFormat(request);
        const content = await core.notifications.messageContent(request.params.id, wanted);
        reply.header('Cache-Control', 'no-store');
        if (content.format === 'html') {
          // A preview, never a page: no scripts, no requests except the inline image.
          reply.header('Content-Security-Policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'");
        }
        if (content.format === 'eml') reply.header('Content-Disposition', `attachment; filename="${request.params.id.replace(/[^\w-]/g, '')}.eml"`);
        return reply.type(content.contentType).send(content.body);
      },
    );

    app.post(
      '/notifications/:id/retry',
      {
        schema: {
          tags,
          summary: 'Retry now',
          description: 'Puts a failed (or waiting) message back in the outbox, due at once.',
          params: IdParams,
          response: { 202: NotificationRef, ...problemResponses },
        },
      },
      async (request, reply) => {
        const view = await core.notifications.retry(request.params.id);
        return reply.code(202).send(view);
      },
    );

    app.get(
      '/reports/messages',
      {
        schema: {
          tags: ['reports'],
          summary: 'Messages sent, per channel, with their cost',
          description: 'Every message that reached sent in [from, to) counts, the local outbox included. Both bounds are optional (default: all time).',
          querystring: ReportQuery,
          response: { 200: MessageReportSchema },
        },
      },
      async (request) => core.notifications.report(ms(request.query.from), ms(request.query.to)),
    );
  };
}

function acceptedFormat(request: FastifyRequest): MessageFormat | undefined {
  const accept = request.headers.accept;
  if (!accept) return undefined;
  const wanted = negotiate(accept, ['text/html', 'message/rfc822', 'text/plain', 'application/json']);
  return wanted === 'message/rfc822' ? 'eml' : wanted === 'text/plain' ? 'text' : wanted === 'application/json' ? 'json' : wanted === 'text/html' ? 'html' : undefined;
}

/** Path of the delivery-report callback; the last segment is the per-message secret. */
export const SMS_REPORT_PATH = '/hooks/sms/:id/:secret';

const ReportParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), secret: Type.String({ minLength: 1, maxLength: 200 }) });

/**
 * Public: the SMS gateway posts delivery reports here (JSON `{status: "delivered" | "failed", error?}`,
 * or a form post such as Twilio's `MessageStatus=delivered`). The per-message secret in the path
 * is the credential; an unknown id or a wrong secret is a 404 either way.
 */
export function smsDeliveryReportRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      SMS_REPORT_PATH,
      {
        schema: {
          tags: ['notifications'],
          summary: 'SMS delivery report (called by the gateway)',
          security: [],
          params: ReportParams,
          body: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          response: { 200: Type.Object({ ok: Type.Boolean() }), ...problems(404) },
        },
      },
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        if (!(await core.notifications.deliveryReport(request.params.id, request.params.secret, body))) {
          return sendProblem(reply, problem('not-found', 404, 'No such delivery report address.'));
        }
        return { ok: true };
      },
    );
  };
}

