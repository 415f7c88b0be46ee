import { Type } from '@sinclair/typebox';
import { PAYMENT_STATUSES } from '../../core/payments/types';
import { DateTime, Metadata, Money, MoneyInput, Nullable } from './common';

export const PaymentStatusSchema = Type.Union(PAYMENT_STATUSES.map((s) => Type.Literal(s)));

export const PaymentSchema = Type.Object(
  {
    id: Type.String(),
    linkId: Type.String(),
    refId: Type.String({ description: '{refIdBase}-{4 base62}, e.g. ORDER-ABC-0001' }),
    status: PaymentStatusSchema,
    amount: Money,
    currency: Type.String(),
    method: Type.String(),
    reference: Nullable(Type.String()),
    payer: Nullable(Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()) })),
    metadata: Metadata,
    refundedAmount: Money,
    createdAt: DateTime,
    completedAt: Nullable(DateTime),
  },
  { $id: 'Payment' },
);

export const PublicPaymentSchema = Type.Object({
  id: Type.String(),
  status: PaymentStatusSchema,
  amount: Money,
  currency: Type.String(),
  refId: Type.String(),
});

export const PaymentListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    linkId: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(PaymentStatusSchema),
    createdAfter: Type.Optional(DateTime),
    createdBefore: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

export const RefundBody = Type.Object({ amount: Type.Optional(MoneyInput) }, { additionalProperties: false });
