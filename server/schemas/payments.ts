import { Type } from '@sinclair/typebox';
import { PAYMENT_STATUSES } from '../../core/payments/types';
import { DateTime, Metadata, Money, MoneyInput, Nullable } from './common';
import { LIMITS } from '../../core/limits';

export const PaymentStatusSchema = Type.Union(PAYMENT_STATUSES.map((s) => Type.Literal(s)));

/** A sepa_transfer payment's details and the money that arrived for it. */
export const BankTransferSchema = Type.Object({
  creditorReference: Type.String({ description: 'ISO 11649 RF reference the payer quotes' }),
  accountHolder: Type.String(),
  iban: Type.String(),
  bic: Nullable(Type.String()),
  amountReceived: Money,
  overpaidAmount: Money,
  source: Nullable(Type.Union([Type.Literal('staff'), Type.Literal('statement')])),
  credits: Type.Array(
    Type.Object({ id: Type.String(), amount: Money, bookedOn: Nullable(Type.String()), debtorName: Nullable(Type.String()), debtorIban: Nullable(Type.String()) }),
  ),
  reversed: Type.Boolean({ description: 'Money that paid it was taken back (a reversal on a statement): for staff to act on' }),
});

export const PaymentSchema = Type.Object(
  {
    id: Type.String(),
    linkId: Type.String(),
    refId: Type.String({ description: '{refIdBase}-{4 base62}, e.g. ORDER-ABC-0001' }),
    status: PaymentStatusSchema,
    amount: Money,
    tipAmount: Money,
    currency: Type.String(),
    method: Type.String(),
    reference: Nullable(Type.String()),
    payer: Nullable(Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()) })),
    metadata: Metadata,
    refundedAmount: Money,
    livemode: Type.Boolean(),
    providerReference: Nullable(Type.String({ description: 'The provider’s id, e.g. a Stripe Checkout Session; null for the simulator and transfers' })),
    bankTransfer: Type.Optional(BankTransferSchema),
    refunds: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          amount: Money,
          status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')], { description: 'pending until Stripe took it (sent through the outbox)' }),
        }),
        { description: 'Stripe payments: each refund sent to Stripe' },
      ),
    ),
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
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Search: refId, reference, payer name or email (contains, any case), or the amount ("12.50")' })),
    linkId: Type.Optional(Type.String({ maxLength: 100 })),
    pointOfSaleId: Type.Optional(Type.String({ maxLength: 100, description: 'Payments of links of this point of sale' })),
    status: Type.Optional(PaymentStatusSchema),
    method: Type.Optional(Type.String({ maxLength: LIMITS.methodName })),
    createdAfter: Type.Optional(DateTime),
    createdBefore: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

export const RefundBody = Type.Object({ amount: Type.Optional(MoneyInput) }, { additionalProperties: false });
