import { Type, type Static } from '@sinclair/typebox';
import { LOCALES } from '../../core/links/types';
import { PAYMENT_METHODS } from '../../core/payments/types';
import { Metadata, MoneyInput, Nullable, problemResponses } from './common';
import { PaymentSchema, PublicPaymentSchema } from './payments';
import { LIMITS } from '../../core/limits';

const Id = Type.String({ minLength: 1, maxLength: LIMITS.id });
const LocaleSchema = Type.Union(LOCALES.map((l) => Type.Literal(l)), { description: 'Language of the pages the payer is sent to' });

export const LinkParams = Type.Object({ linkId: Id });
export const LinkPaymentParams = Type.Object({ linkId: Id, paymentId: Id });
export const PaymentParams = Type.Object({ paymentId: Id });
export const LocaleLinkParams = Type.Object({ locale: Type.String({ minLength: 1, maxLength: 35 }), linkId: Id });
export const LocaleResultParams = Type.Object({ locale: Type.String({ minLength: 1, maxLength: 35 }), linkId: Id, paymentId: Id });

/**
 * The payment as the payer's browser sees it: the API's payment object without `metadata`, which
 * holds the merchant's own link keys (customer numbers, internal notes) — not for whoever holds
 * the link URL. The serializer drops what the schema does not list.
 */
const { metadata: _merchantOnly, ...customerVisible } = PaymentSchema.properties;
const PaymentObject = Type.Object(customerVisible);

export const StartPaymentBody = Type.Object(
  {
    amount: Type.Optional(Nullable(MoneyInput)),
    tip: Type.Optional(
      Nullable(Type.Union([Type.String({ maxLength: LIMITS.amountText }), Type.Number()], { description: 'A tip on top of the amount (>= 0), where the link’s point of sale takes tips; at most the amount itself' })),
    ),
    reference: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.reference }))),
    method: Type.Optional(Type.Union(PAYMENT_METHODS.map((m) => Type.Literal(m)))),
    payer: Type.Optional(
      Nullable(
        Type.Object(
          { name: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.payerName }))), email: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.email }))) },
          { additionalProperties: false },
        ),
      ),
    ),
    data: Type.Optional(Nullable(Metadata)),
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false },
);
export type StartPaymentBody = Static<typeof StartPaymentBody>;

/** A plain HTML form post: flat keys such as `amount`, `payer[name]`, `data[customer_id]`. */
export const FormBody = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
  description: 'application/x-www-form-urlencoded: the dialog’s own form (answers with 303 or an HTML page)',
});
export type FormBody = Static<typeof FormBody>;

export const SimOutcomeBody = Type.Object(
  { outcome: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('abandoned')]) },
  { additionalProperties: false },
);
export type SimOutcomeBody = Static<typeof SimOutcomeBody>;

export const StartPaymentResponse = Type.Object({
  payment: PaymentObject,
  next: Type.Union([
    Type.Object({
      type: Type.Literal('redirect'),
      url: Type.String({ description: 'Where to send the payer: the checkout page of the payment method (absolute)' }),
    }),
    Type.Object(
      {
        type: Type.Literal('bank_transfer'),
        accountHolder: Type.String(),
        iban: Type.String(),
        bic: Type.Union([Type.String(), Type.Null()]),
        amount: Type.String(),
        currency: Type.String(),
        creditorReference: Type.String({ description: 'ISO 11649 RF reference the payer quotes' }),
        refId: Type.String(),
        epcQrUrl: Type.String({ description: 'The EPC QR code (GiroCode) for a banking app' }),
        holdUntil: Type.String({ format: 'date-time', description: 'Until then the payment waits for the money' }),
      },
      { description: 'Pay by SEPA transfer from the payer’s own banking app' },
    ),
  ]),
});

export const PaymentResponse = Type.Object({ payment: PaymentObject });

export { PublicPaymentSchema, problemResponses };
