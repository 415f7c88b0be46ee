import { Type } from '@sinclair/typebox';
import { DateTime, ListQuery, Nullable } from './common';
import { LIMITS } from '../../core/limits';

const Encryption = Type.Union([Type.Literal('none'), Type.Literal('aes-256-cbc')]);
const EventPatterns = Type.Array(Type.String({ maxLength: 100 }), {
  minItems: 1,
  maxItems: 50,
  description: 'Event types or wildcards: "payment.succeeded", "link.*", "*" (all)',
  examples: [['payment.succeeded', 'link.*']],
});

export const WebhookEndpointSchema = Type.Object(
  {
    id: Type.String(),
    livemode: Type.Boolean({ description: 'Live endpoints get live events, test endpoints test events' }),
    url: Type.String(),
    description: Nullable(Type.String()),
    events: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    encryption: Encryption,
    status: Type.Union([Type.Literal('healthy'), Type.Literal('failing'), Type.Literal('disabled')], {
      description: 'failing: a delivery used up its retries and nothing has succeeded since',
    }),
    failingSince: Nullable(DateTime),
    lastSuccessAt: Nullable(DateTime),
    lastFailureAt: Nullable(DateTime),
    lastError: Nullable(Type.String()),
    previousSecretExpiresAt: Type.Union([DateTime, Type.Null()], { description: 'While set, the rotated-out secret still signs beside the new one' }),
    createdAt: DateTime,
    updatedAt: DateTime,
    secret: Type.Optional(Type.String({ description: 'whsec_…: only in the response that created or rotated it' })),
    encryptionKey: Type.Optional(Type.String({ description: 'base64 AES-256 key: only in the response that created it or switched encryption on' })),
  },
  { $id: 'WebhookEndpoint' },
);

export const WebhookDeliverySchema = Type.Object(
  {
    id: Type.String(),
    endpointId: Type.String(),
    messageId: Type.String({ description: 'The webhook-id header: the same on every attempt and redelivery' }),
    eventId: Nullable(Type.Integer()),
    eventType: Type.String(),
    status: Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('succeeded'), Type.Literal('failed')]),
    attemptCount: Type.Integer(),
    nextAttemptAt: Nullable(DateTime),
    lastError: Nullable(Type.String()),
    attempts: Type.Array(
      Type.Object({
        attempt: Type.Integer(),
        startedAt: DateTime,
        durationMs: Type.Integer(),
        ok: Type.Boolean(),
        statusCode: Nullable(Type.Integer()),
        error: Nullable(Type.String()),
        responseSnippet: Nullable(Type.String()),
      }),
    ),
    createdAt: DateTime,
    updatedAt: DateTime,
    finishedAt: Nullable(DateTime),
  },
  { $id: 'WebhookDelivery' },
);

export const WebhookEndpointCreateBody = Type.Object(
  {
    url: Type.String({ maxLength: LIMITS.url, description: 'Absolute http(s) URL; LAN addresses and localhost are fine' }),
    description: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.description }))),
    events: Type.Optional(EventPatterns),
    enabled: Type.Optional(Type.Boolean()),
    encryption: Type.Optional(Encryption),
  },
  { additionalProperties: false },
);

export const WebhookEndpointPatchBody = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: 2000 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.description }))),
    events: Type.Optional(EventPatterns),
    enabled: Type.Optional(Type.Boolean()),
    encryption: Type.Optional(Encryption),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const WebhookEndpointListQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

export const WebhookDeliveryListQuery = Type.Object(
  {
    ...ListQuery,
    endpointId: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('succeeded'), Type.Literal('failed')])),
  },
  { additionalProperties: false },
);
