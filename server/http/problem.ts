import type { FastifyReply } from 'fastify';
import type { ProblemType } from '../../core/errors';

/** HTTP status for each domain problem slug. One table: the contract's single source. */
export const PROBLEM_STATUS: Record<ProblemType, number> = {
  'validation-error': 422,
  'not-found': 404,
  'idempotency-conflict': 409,
  'ref-id-conflict': 409,
  'ref-id-exhausted': 409,
  'link-has-payments': 409,
  'link-not-usable': 409,
  'link-locked': 409,
  'usage-limit-reached': 409,
  'amount-limit-reached': 409,
  'per-payment-limit-exceeded': 409,
  'amount-too-low': 409,
  'payment-not-pending': 409,
  'payment-not-refundable': 409,
  'refund-exceeds-remaining': 409,
  'not-cancellable': 409,
  'rate-limited': 429,
  conflict: 409,
  'service-unavailable': 503,
  'method-unavailable': 409,
  'method-mismatch': 409,
  'statement-invalid': 422,
  'statement-account-mismatch': 422,
  'credit-not-assignable': 409,
  'provider-unavailable': 503,
  'webhook-signature-invalid': 400,
  forbidden: 403,
  'pairing-code-invalid': 401,
  'day-closed': 409,
  'payment-not-succeeded': 409,
};

/** Slugs the HTTP layer itself produces, beside the domain's. */
export type HttpProblemType =
  | ProblemType
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'payload-too-large'
  | 'uri-too-long'
  | 'request-header-fields-too-large'
  | 'request-timeout'
  | 'unsupported-media-type'
  | 'not-acceptable'
  | 'method-not-allowed'
  | 'internal-error';

const TITLES: Record<string, string> = {
  'validation-error': 'The request is not valid',
  'not-found': 'Not found',
  'bad-request': 'Malformed request',
  unauthorized: 'Authentication required',
  forbidden: 'Not allowed',
  'service-unavailable': 'Temporarily unavailable',
  'payload-too-large': 'Request body too large',
  'uri-too-long': 'URL too long',
  'request-header-fields-too-large': 'Request headers too large',
  'request-timeout': 'Request timed out',
  'unsupported-media-type': 'Unsupported content type',
  'not-acceptable': 'Cannot produce the requested format',
  'internal-error': 'Something went wrong on our side',
  'idempotency-conflict': 'Idempotency key reused with another request',
  'ref-id-conflict': 'Reference already in use',
  'link-not-usable': 'The link cannot be used',
  'link-locked': 'A payment is already in progress',
  'rate-limited': 'Too many requests',
  'provider-unavailable': 'The payment provider did not answer',
  'webhook-signature-invalid': 'The webhook signature does not verify',
  'pairing-code-invalid': 'The pairing code is not valid',
};

export interface Problem {
  type: HttpProblemType;
  title: string;
  status: number;
  detail: string;
  [extra: string]: unknown;
}

export function problem(type: HttpProblemType, status: number, detail: string, extras: Record<string, unknown> = {}): Problem {
  const title = TITLES[type] ?? type.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  return { type, title, status, detail, ...extras };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json; charset=utf-8').send(p);
}
