import { Type, type TSchema } from '@sinclair/typebox';

/** RFC 9457 problem document; extra members (errors, linkStatus…) are allowed. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'Stable slug, e.g. validation-error, link-locked' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true },
);

export const ProblemRef = Type.Ref('Problem');

/** Money on input: a decimal string ("12.50") or a JSON number that converts exactly. */
export const MoneyInput = Type.Union([Type.String({ maxLength: 32 }), Type.Number()], {
  description: 'Decimal string with at most the currency’s decimals, e.g. "12.50"; a JSON number is accepted if it converts exactly.',
});

export const Money = Type.String({ description: 'Decimal string in the currency’s exponent, e.g. "12.50" EUR, "1200" JPY', examples: ['12.50'] });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const DateTime = Type.String({ format: 'date-time' });
export const Metadata = Type.Record(Type.String(), Type.String(), { description: 'string -> string; at most 50 keys, key <= 40 chars, value <= 500 chars' });

export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

export const pageOf = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), nextCursor: Nullable(Type.String()) });

/** Error responses every route may give, for the OpenAPI document. */
export const problemResponses = {
  '4xx': ProblemRef,
};

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
