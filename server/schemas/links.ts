import { Type } from '@sinclair/typebox';
import { LINK_STATUSES, LOCALES } from '../../core/links/types';
import { DateTime, dateTime, Metadata, Money, MoneyInput, Nullable } from './common';
import { LIMITS, METADATA_LIMITS } from '../../core/limits';

const LocaleSchema = Type.Union(LOCALES.map((l) => Type.Literal(l)));
export const LinkStatusSchema = Type.Union(LINK_STATUSES.map((s) => Type.Literal(s)));

const LineItemInput = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: LIMITS.name }), quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.quantity })), unitAmount: MoneyInput },
  { additionalProperties: false },
);

/** Fields shared by create and PATCH. Semantics (limits vs. amount, expiry in the future…) are core's. */
const editable = {
  name: Type.String({ minLength: 1, maxLength: LIMITS.name }),
  description: Nullable(Type.String({ maxLength: LIMITS.description })),
  amount: Nullable(MoneyInput),
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
  minAmount: Nullable(MoneyInput),
  maxUses: Nullable(Type.Integer({ minimum: 1 })),
  perPaymentAmountLimit: Nullable(MoneyInput),
  totalAmountLimit: Nullable(MoneyInput),
  expiresAt: Nullable(Type.String({ description: 'RFC 3339 date-time with zone' })),
  expiresOn: Nullable(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'End of this day in the merchant’s time zone' })),
  expiresInMinutes: Nullable(Type.Integer({ minimum: 1 })),
  locale: LocaleSchema,
  country: Nullable(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' })),
  metadata: Metadata,
  reference: Nullable(Type.String({ maxLength: LIMITS.reference })),
  cancellable: Type.Boolean(),
  callbackUrl: Nullable(Type.String({ maxLength: LIMITS.url })),
  lineItems: Nullable(Type.Array(LineItemInput, { maxItems: LIMITS.lineItems })),
  methods: Nullable(Type.Array(Type.String({ maxLength: LIMITS.methodName }), { maxItems: LIMITS.methods, description: 'Payment methods the payer may choose; null = every method available' })),
};

export const LinkCreateBody = Type.Object(
  {
    ...Object.fromEntries(Object.entries(editable).map(([k, v]) => [k, Type.Optional(v)])),
    name: editable.name,
    type: Type.Optional(Type.Union([Type.Literal('payment'), Type.Literal('accountInfo')])),
    pointOfSaleId: Type.Optional(Type.String({ maxLength: 100 })),
    reuse: Type.Optional(Type.Union([Type.Literal('single'), Type.Literal('multiple')])),
    refIdBase: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,13}$' })),
  },
  { additionalProperties: false },
);

export const LinkPatchBody = Type.Object(
  {
    ...Object.fromEntries(Object.entries(editable).map(([k, v]) => [k, Type.Optional(v)])),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const LinkSchema = Type.Object(
  {
    id: Type.String(),
    livemode: Type.Boolean(),
    methods: Nullable(Type.Array(Type.String())),
    type: Type.Union([Type.Literal('payment'), Type.Literal('accountInfo')]),
    name: Type.String(),
    description: Nullable(Type.String()),
    status: LinkStatusSchema,
    enabled: Type.Boolean(),
    pointOfSaleId: Type.String(),
    amount: Nullable(Money),
    currency: Type.String(),
    minAmount: Nullable(Money),
    reuse: Type.Union([Type.Literal('single'), Type.Literal('multiple')]),
    maxUses: Nullable(Type.Integer()),
    perPaymentAmountLimit: Nullable(Money),
    totalAmountLimit: Nullable(Money),
    expiresAt: Nullable(DateTime),
    locale: LocaleSchema,
    country: Nullable(Type.String()),
    metadata: Metadata,
    refIdBase: Type.String(),
    reference: Nullable(Type.String()),
    cancellable: Type.Boolean(),
    callbackUrl: Nullable(Type.String()),
    lineItems: Nullable(Type.Array(Type.Object({ name: Type.String(), quantity: Type.Integer(), unitAmount: Money }))),
    url: Type.String({ description: '{baseUrl}/{locale}/pay-by-link/{id}' }),
    usage: Type.Object({
      count: Type.Integer({ description: 'succeeded payments' }),
      amount: Money,
      pendingCount: Type.Integer(),
      remainingCount: Nullable(Type.Integer()),
      remainingAmount: Nullable(Money),
    }),
    lockedUntil: Nullable(DateTime),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Link' },
);

export const LinkListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(LinkStatusSchema),
    pointOfSaleId: Type.Optional(Type.String({ maxLength: 100 })),
    createdAfter: Type.Optional(dateTime('Links created after this time. With either creation bound the list is newest first by createdAt.')),
    createdBefore: Type.Optional(dateTime('Links created before this time. With either creation bound the list is newest first by createdAt.')),
    expiresAfter: Type.Optional(DateTime),
    expiresBefore: Type.Optional(DateTime),
    q: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

/**
 * `data[key]=value` pairs to add to the link's URL (a deepObject query parameter). The query
 * arrives flat (`data[order]`), so the schema allows the extra keys; the route reads them.
 */
const DataQuery = Type.Record(Type.String({ maxLength: METADATA_LIMITS.keyLength }), Type.String(), {
  description: 'data[key]=value pairs (deepObject) added to the link URL, and so to its QR code; the payment gets them as metadata',
  examples: [{ order: '113' }],
});

export const LinkGetQuery = Type.Object({ data: Type.Optional(DataQuery) }, { additionalProperties: true });

export const QrQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('png'), Type.Literal('svg')], { default: 'png' })),
    size: Type.Optional(Type.Integer({ minimum: 64, maximum: 2048, default: 240 })),
    data: Type.Optional(DataQuery),
  },
  { additionalProperties: true },
);
