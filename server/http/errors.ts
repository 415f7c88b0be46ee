import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from '../../core/errors';
import { PROBLEM_STATUS, problem, sendProblem, type Problem } from './problem';

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** "/payer/email" -> "payer.email"; a missing property names itself. */
function fieldPath(e: AjvError, context: string | undefined): string {
  let path = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = e.params?.missingProperty;
  const extra = e.params?.additionalProperty;
  if (typeof missing === 'string') path = path ? `${path}.${missing}` : missing;
  if (typeof extra === 'string') path = path ? `${path}.${extra}` : extra;
  if (!path && context && context !== 'body') path = context;
  return path || '(body)';
}

function fieldMessage(e: AjvError): string {
  if (e.params?.additionalProperty) return 'is not a known field';
  if (e.params?.missingProperty) return 'is required';
  return e.message ?? 'is invalid';
}

/**
 * The schema keyword that refused the value, as the field error's stable `code` (minimum,
 * maxLength, required, enum, …), with the limits it names as `params`, so a UI can say it in
 * its own language.
 */
function fieldCode(e: AjvError & { keyword?: string }): { code?: string; params?: Record<string, string | number> } {
  if (!e.keyword) return {};
  if (e.params?.additionalProperty) return { code: 'unknown-field' };
  if (e.params?.missingProperty) return { code: 'required' };
  const params = Object.fromEntries(
    Object.entries(e.params ?? {}).filter((entry): entry is [string, string | number] => typeof entry[1] === 'string' || typeof entry[1] === 'number'),
  );
  return { code: e.keyword, ...(Object.keys(params).length ? { params } : {}) };
}

/** Maps any thrown error to problem+json. Domain errors -> 4xx by slug; unknown errors -> 500 with no details. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return problem(error.type, PROBLEM_STATUS[error.type], error.message, error.extras);
  }
  const err = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (err.validation) {
    const seen = new Set<string>();
    const errors = err.validation
      .map((e) => ({ path: fieldPath(e, err.validationContext), message: fieldMessage(e), ...fieldCode(e) }))
      .filter((e) => (seen.has(e.path) ? false : (seen.add(e.path), true)));
    return problem('validation-error', 422, errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('bad-request', 400, 'The body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('payload-too-large', 413, 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('unsupported-media-type', 415, 'Send application/json.');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return problem('bad-request', 400, 'The URL is malformed.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem('uri-too-long', 414, 'A path segment of the URL is too long.');
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    if (err instanceof SyntaxError) return problem('bad-request', 400, 'The body is not valid JSON.');
    return problem(status === 404 ? 'not-found' : 'bad-request', status, err.message || 'Bad request.');
  }
  return problem('internal-error', 500, 'An unexpected error occurred. It has been logged.');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const p = toProblem(error);
    if (p.status >= 500) request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, p);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem('not-found', 404, `No route for ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
