import { Type } from '@sinclair/typebox';
import { DateTime, Money, Nullable } from './common';

const CountAmount = Type.Object({ count: Type.Integer(), amount: Money });

export const DayReportSchema = Type.Object(
  {
    date: Type.String({ format: 'date', description: 'The day, in the merchant’s time zone' }),
    pointOfSaleId: Nullable(Type.String({ description: 'null: the whole shop' })),
    currency: Type.String({ description: 'The point of sale’s currency (the shop’s default currency for the whole shop)' }),
    livemode: Type.Boolean(),
    timeZone: Type.String(),
    from: DateTime,
    to: DateTime,
    byMethod: Type.Array(
      Type.Object({
        method: Type.String(),
        count: Type.Integer({ description: 'Succeeded payments' }),
        amount: Money,
        tips: Money,
        refunds: Money,
        refundCount: Type.Integer(),
      }),
    ),
    count: Type.Integer(),
    amount: Money,
    tips: Money,
    refunds: Money,
    refundCount: Type.Integer(),
    net: Money,
    pending: CountAmount,
    unmatchedBankCredits: CountAmount,
    otherCurrencies: Type.Array(Type.String(), { description: 'Currencies of payments in the period this report does not add up' }),
    closed: Nullable(Type.Object({ number: Type.Integer(), closedAt: DateTime })),
  },
  { $id: 'DayReport' },
);

export const DayReportQuery = Type.Object(
  {
    date: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD; default today (merchant’s time zone); not in the future' })),
    pointOfSaleId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const DayCloseBody = Type.Object(
  {
    date: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
    pointOfSaleId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  },
  { additionalProperties: false },
);

export const ExportQuery = Type.Object(
  {
    from: Type.String({ maxLength: 10, description: 'First day, YYYY-MM-DD (the merchant’s time zone)' }),
    to: Type.String({ maxLength: 10, description: 'Last day, included; at most 366 days after from' }),
  },
  { additionalProperties: false },
);
