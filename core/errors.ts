/**
 * Domain errors carry a stable slug (`type`) that the server maps to an HTTP status and an
 * RFC 9457 problem document. Core never knows about HTTP; the slug is the contract.
 */
export type ProblemType =
  | 'validation-error'
  | 'not-found'
  | 'idempotency-conflict'
  | 'ref-id-conflict'
  | 'ref-id-exhausted'
  | 'link-has-payments'
  | 'link-not-usable'
  | 'link-locked'
  | 'usage-limit-reached'
  | 'amount-limit-reached'
  | 'per-payment-limit-exceeded'
  | 'amount-too-low'
  | 'payment-not-pending'
  | 'payment-not-refundable'
  | 'refund-exceeds-remaining'
  | 'not-cancellable'
  | 'rate-limited'
  | 'conflict';

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly type: ProblemType;
  readonly extras: Record<string, unknown>;

  constructor(type: ProblemType, detail: string, extras: Record<string, unknown> = {}) {
    super(detail);
    this.name = 'DomainError';
    this.type = type;
    this.extras = extras;
  }
}

export class ValidationError extends DomainError {
  readonly errors: FieldError[];

  constructor(errors: FieldError[]) {
    super('validation-error', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
    this.errors = errors;
  }

  static field(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

export function notFound(what: string, id: string): DomainError {
  return new DomainError('not-found', `No ${what} with id ${JSON.stringify(id)}.`);
}
