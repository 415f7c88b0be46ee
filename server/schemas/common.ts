import { Type, type TSchema } from '@sinclair/typebox';
import { LIMITS, METADATA_LIMITS } from '../../core/limits';

/** RFC 9457 problem document; extra members (errors, linkStatus…) are allowed. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'Stable slug, e.g. validation-error, link-locked' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String(),
          message: Type.String(),
          code: Type.Optional(Type.String({ description: 'Stable code of the mistake, for translation' })),
          params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
        }),
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: true },
);

export const ProblemRef = Type.Ref('Problem');

/** Money on input: a decimal string ("12.50") or a JSON number that converts exactly. */
export const MoneyInput = Type.Union([Type.String({ maxLength: LIMITS.amountText }), Type.Number()], {
  description: 'Decimal string with at most the currency’s decimals, e.g. "12.50"; a JSON number is accepted if it converts exactly.',
});

export const Money = Type.String({ description: 'Decimal string in the currency’s exponent, e.g. "12.50" EUR, "1200" JPY', examples: ['12.50'] });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const DateTime = Type.String({ format: 'date-time' });
/** A date-time parameter with a word on what it does. */
export const dateTime = (description: string) => Type.String({ format: 'date-time', description });
export const Metadata = Type.Record(Type.String(), Type.String(), {
  description: `string -> string; at most ${METADATA_LIMITS.keys} keys, key <= ${METADATA_LIMITS.keyLength} chars, value <= ${METADATA_LIMITS.valueLength} chars`,
});

export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

export const pageOf = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), nextCursor: Nullable(Type.String()) });

/**
 * Errors are RFC 9457 problem+json. Declared per status code with their media type, so the
 * OpenAPI document says what is really sent and Fastify serializes each with the Problem schema.
 */
export const PROBLEM_DESCRIPTIONS = {
  400: 'Malformed request: a body that is not valid JSON, or a malformed URL',
  401: 'No valid API key (Authorization: Bearer) or staff session',
  403: 'Not allowed: `forbidden` when the role or paired device may not do this (or a change made with the staff session cookie lacks X-Counterlink-CSRF: 1); a disabled link',
  404: 'Not found',
  409: 'Refused in the current state; the problem type says why (link-locked, payment-not-pending, idempotency-conflict…)',
  410: 'The link is gone: consumed, expired, cancelled or used up',
  413: 'Request body too large',
  414: 'A path segment of the URL is too long',
  415: 'Unsupported Content-Type: send application/json',
  422: 'Validation failed: `errors` names each field',
  423: 'A payment is already in progress on this single-use link',
  429: 'Too many requests: Retry-After says when to try again',
  431: 'Request headers too large',
  500: 'Unexpected error (logged)',
  503: 'Temporarily unavailable: the database cannot be reached, or the server is shutting down',
} as const;
export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

const problemContent = { 'application/problem+json': { schema: ProblemRef } };
/** A response with its media type, e.g. `{ content: { 'image/png': { schema } } }`. */
export interface ContentResponse {
  description: string;
  content: Record<string, { schema: TSchema | Record<string, unknown> }>;
}

/** problem+json responses for these status codes. */
export function problems(...statuses: ProblemStatus[]): Partial<Record<ProblemStatus, ContentResponse>> {
  return Object.fromEntries(statuses.map((s) => [s, { description: PROBLEM_DESCRIPTIONS[s], content: problemContent }]));
}

/**
 * Pages that answer form posts (the customer dialog): the same status codes as HTML for a form
 * post (the page says what went wrong), problem+json for JSON.
 */
export function htmlOrProblems(...statuses: ProblemStatus[]): Partial<Record<ProblemStatus, ContentResponse>> {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: PROBLEM_DESCRIPTIONS[s], content: { ...problemContent, 'text/html': { schema: Type.String() } } }]),
  );
}

/** Statuses a form post answers with an HTML page only (the customer dialog's own pages). */
export function htmlPages(...statuses: ProblemStatus[]): Partial<Record<ProblemStatus, ContentResponse>> {
  return Object.fromEntries(statuses.map((s) => [s, { description: `${PROBLEM_DESCRIPTIONS[s]} (form post: a page)`, content: { 'text/html': { schema: Type.String() } } }]));
}

/** A form post's answer: 303 See Other to the next page, no body. */
export const seeOther = (description: string) =>
  Type.Null({ description, headers: { Location: Type.String({ description: 'The next page' }) } });

/**
 * What an operation on one resource adds to the problems every route declares (added by
 * `declareCommonResponses` in server/http/contract.ts: 400, 401/403, 413-415, 422, 500, 503): an
 * unknown id (404), a state that refuses the change (409).
 */
export const problemResponses = problems(404, 409);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: LIMITS.id }) });
