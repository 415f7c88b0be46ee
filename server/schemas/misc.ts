import { Type } from '@sinclair/typebox';
import { DateTime, Metadata, MoneyInput, Nullable } from './common';
import { LOCALES } from '../../core/links/types';
import { EVENT_TYPES, type EventType } from '../../core/event-catalogue';
import { LIMITS } from '../../core/limits';

export const EventSchema = Type.Object(
  {
    id: Type.Integer(),
    livemode: Nullable(Type.Boolean({ description: 'The mode of the object it is about; null for what both modes share' })),
    type: Type.Unsafe<EventType>(Type.String({ enum: [...EVENT_TYPES], examples: ['payment.succeeded'], description: 'One of the event catalogue’s types (core/event-catalogue.ts)' })),
    createdAt: DateTime,
    data: Type.Unknown({ description: 'The object the event is about, as it was after the change' }),
  },
  { $id: 'Event' },
);

export const EventsQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Return events with a greater id' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'JSON only: return events with a smaller id' })),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'JSON only: asc (default, oldest first) or desc (newest first; pass nextCursor back as before)' })),
    linkId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'JSON only: events about this link and its payments' })),
    mode: Type.Optional(Type.Union([Type.Literal('live'), Type.Literal('test')], { description: 'Staff credentials only (EventSource cannot send headers): the mode to stream' })),
  },
  { additionalProperties: false },
);

/** Tips offered on the dialog for this counter's charges and links. */
const TipsSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    presets: Type.Array(Type.Number({ exclusiveMinimum: 0, maximum: 100 }), { maxItems: 3, description: 'Percentages offered as buttons; the payer may also type an amount' }),
  },
  { description: 'A tip is part of the payment amount (tipAmount); limits count the amount without it; at most the amount itself' },
);
const TipsInput = Type.Object(
  { enabled: Type.Boolean(), presets: Type.Optional(Type.Array(Type.Number(), { maxItems: 3 })) },
  { additionalProperties: false },
);

export const PointOfSaleSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    currency: Type.String(),
    isDefault: Type.Boolean(),
    methods: Nullable(Type.Array(Type.String(), { description: 'Default payment methods of its links and charges; null = every method available' })),
    tips: TipsSchema,
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'PointOfSale' },
);

export const PointOfSaleCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: LIMITS.name }),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    isDefault: Type.Optional(Type.Boolean()),
    methods: Type.Optional(Nullable(Type.Array(Type.String({ maxLength: LIMITS.methodName }), { maxItems: LIMITS.methods }))),
    tips: Type.Optional(Nullable(TipsInput)),
  },
  { additionalProperties: false },
);

export const PointOfSalePatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.name })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    isDefault: Type.Optional(Type.Literal(true)),
    methods: Type.Optional(Nullable(Type.Array(Type.String({ maxLength: LIMITS.methodName }), { maxItems: LIMITS.methods }))),
    tips: Type.Optional(Nullable(TipsInput)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ChargeBody = Type.Object(
  {
    amount: MoneyInput,
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    reference: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.reference }))),
    description: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.description }))),
    pointOfSaleId: Type.Optional(Type.String({ maxLength: 100 })),
    expiresInMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, default: 15 })),
    metadata: Type.Optional(Metadata),
    locale: Type.Optional(Type.Union(LOCALES.map((l) => Type.Literal(l)))),
    method: Type.Optional(Type.String({ maxLength: LIMITS.methodName, description: 'Start the payment at once with this method (e.g. sepa_transfer: the display shows the EPC QR)' })),
  },
  { additionalProperties: false },
);

export const DisplaySchema = Type.Object(
  {
    pointOfSaleId: Type.String(),
    mode: Type.Union([Type.Literal('idle'), Type.Literal('link'), Type.Literal('result')]),
    linkId: Nullable(Type.String()),
    paymentId: Nullable(Type.String()),
    link: Nullable(Type.Ref('Link')),
    payment: Nullable(Type.Ref('Payment')),
    updatedAt: DateTime,
  },
  { $id: 'Display' },
);

export const DisplayQuery = Type.Object({ pointOfSaleId: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });
export const DisplayShowBody = Type.Object({ linkId: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export const DisplayClearBody = Type.Object({ pointOfSaleId: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });

