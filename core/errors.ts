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
  | 'conflict'
  | 'service-unavailable'
  | 'method-unavailable'
  | 'method-mismatch'
  | 'statement-invalid'
  | 'statement-account-mismatch'
  | 'credit-not-assignable'
  | 'provider-unavailable'
  | 'webhook-signature-invalid'
  | 'forbidden'
  | 'pairing-code-invalid'
  | 'day-closed'
  | 'payment-not-succeeded';

export interface FieldError {
  path: string;
  /** English, for developers; UIs translate `code` with `params`. */
  message: string;
  code?: string;
  params?: Record<string, string | number>;
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

  /** Every field error carries a `code` for translation; `invalid` where none more precise was given. */
  constructor(errors: FieldError[]) {
    const coded = errors.map((e) => (e.code ? e : { ...e, code: 'invalid' }));
    super('validation-error', coded.map((e) => `${e.path}: ${e.message}`).join('; '), { errors: coded });
    this.errors = coded;
  }

  static field(path: string, message: string, code?: string, params?: Record<string, string | number>): ValidationError {
    return new ValidationError([{ path, message, ...(code ? { code } : {}), ...(params ? { params } : {}) }]);
  }
}

export function notFound(what: string, id: string): DomainError {
  return new DomainError('not-found', `No ${what} with id ${JSON.stringify(id)}.`);
}

/**
 * The database cannot be reached right now (PostgreSQL restarting, the network to it down). The
 * request changed nothing; it may be retried. The server answers 503 and recovers by itself.
 */
export class StoreUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super('service-unavailable', 'The database is not reachable right now. Nothing was changed; try again in a moment.');
    this.name = 'StoreUnavailableError';
    if (cause !== undefined) this.cause = cause;
  }
}
