import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { htmlOrProblems, problems, type ContentResponse, type ProblemStatus } from '../schemas/common';
import { problem } from './problem';

/**
 * The OpenAPI contract's shared parts: the problem responses every route can give (added to each
 * documented route when it is registered, so no route can forget them), problem+json for the
 * errors Node answers before any route runs, and the document's few touch-ups.
 */

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface RouteSchema {
  hide?: boolean;
  security?: unknown[];
  params?: unknown;
  querystring?: unknown;
  body?: unknown;
  headers?: unknown;
  response?: Record<string, unknown>;
}

/**
 * The problems any documented route may answer, whatever it does:
 * - 400 a malformed URL, or a body that is not JSON; 413 and 415 a body too large or not JSON;
 * - 401 no credential under /api/v1; 403 a role or device outside its scope (or a cookie-
 *   authenticated change without the CSRF header);
 * - 414 a path parameter longer than the router takes; 422 input its schema refuses;
 * - 500 a bug; 503 the database away or the server shutting down.
 * What the route itself adds (404, 409, 429…) it declares in its own schema, which wins.
 */
export function commonProblemStatuses(method: string, schema: RouteSchema): ProblemStatus[] {
  const statuses: ProblemStatus[] = [400];
  const withBody = !BODYLESS.has(method);
  const isPublic = Array.isArray(schema.security) && schema.security.length === 0;
  if (!isPublic) statuses.push(401);
  if (!isPublic) statuses.push(403);
  if (withBody) statuses.push(413);
  if (schema.params) statuses.push(414);
  if (withBody) statuses.push(415);
  if (withBody || schema.params || schema.querystring || schema.headers) statuses.push(422);
  statuses.push(500, 503);
  return statuses;
}

/** onRoute hook: adds the common problems to every documented route's responses. */
export function declareCommonResponses(route: RouteOptions): void {
  const schema = route.schema as RouteSchema | undefined;
  if (!schema || schema.hide) return;
  const method = Array.isArray(route.method) ? route.method[0]! : route.method;
  // A route that takes form posts (the customer dialog) answers them with pages, errors included.
  const forms = Boolean((schema.body as { content?: Record<string, unknown> } | undefined)?.content?.['application/x-www-form-urlencoded']);
  const common: Partial<Record<ProblemStatus, ContentResponse>> = (forms ? htmlOrProblems : problems)(...commonProblemStatuses(method, schema));
  // A fresh object: route schemas are sometimes shared between routes (POST …/cancel and DELETE).
  route.schema = { ...route.schema, response: { ...common, ...(schema.response ?? {}) } };
}

/**
 * Errors Node's HTTP parser answers before Fastify sees a request (headers too large, a request
 * that is not HTTP): problem+json like every other error, then the connection closes.
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, type, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ([431, 'request-header-fields-too-large', 'The request headers are too large.'] as const)
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ([408, 'request-timeout', 'The request took too long to arrive.'] as const)
        : ([400, 'bad-request', 'The request is not valid HTTP.'] as const);
  const body = JSON.stringify(problem(type, status, detail));
  this.log.trace({ err }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(err);
}

interface OpenApiParameter {
  in?: string;
  name?: string;
  schema?: { type?: string };
  style?: string;
  explode?: boolean;
}

/**
 * The query parameter `data` (`data[key]=value` pairs injected into a link's URL) is an object
 * serialized as a deepObject; @fastify/swagger cannot say so per parameter, so it is said here.
 */
export function markDeepObjectParameters<T>(doc: T): T {
  const paths = (doc as { paths?: Record<string, Record<string, { parameters?: OpenApiParameter[] }>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const p of operation.parameters ?? []) {
        if (p.in === 'query' && p.schema?.type === 'object') {
          p.style = 'deepObject';
          p.explode = true;
        }
      }
    }
  }
  return doc;
}

interface OpenApiResponse {
  description?: string;
  headers?: unknown;
  content?: Record<string, { schema?: { $ref?: string } }>;
  $ref?: string;
}

/** "Not Found" -> "NotFound" */
const responseName = (status: number): string => (STATUS_CODES[status] ?? `Status${status}`).replace(/[^A-Za-z0-9]+/g, '');

/**
 * The plain problem responses (problem+json, nothing else) are the same on every operation: each
 * status is declared once under components.responses and referenced, which keeps the document —
 * and clients generated from it — small.
 */
export function shareProblemResponses<T>(doc: T): T {
  const d = doc as { paths?: Record<string, Record<string, { responses?: Record<string, OpenApiResponse> }>>; components?: { responses?: Record<string, OpenApiResponse> } };
  const shared: Record<string, OpenApiResponse> = {};
  for (const operations of Object.values(d.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const types = Object.keys(response.content ?? {});
        const plain = response.headers === undefined && types.length === 1 && response.content?.['application/problem+json']?.schema?.$ref === '#/components/schemas/Problem';
        if (!plain || !/^\d{3}$/.test(status)) continue;
        const name = responseName(Number(status));
        shared[name] ??= response;
        if (shared[name].description !== response.description) continue;
        operation.responses![status] = { $ref: `#/components/responses/${name}` };
      }
    }
  }
  if (Object.keys(shared).length) d.components = { ...d.components, responses: { ...d.components?.responses, ...shared } };
  return doc;
}

/** The finishing touches of the served document. */
export const finishDocument = <T>(doc: T): T => shareProblemResponses(markDeepObjectParameters(doc));

/** One response as the test suite's contract check sees it (test/support/response-contract.ts). */
export interface ObservedResponse {
  method: string;
  /** The route's pattern, e.g. /api/v1/links/:id; undefined when no route matched. */
  route: string | undefined;
  status: number;
  contentType: string | undefined;
  /** The document of the app that answered. */
  document: () => unknown;
}

/** Where a test run collects responses, if it does (tests only: nothing is recorded otherwise). */
export const RESPONSE_LOG = Symbol.for('counterlink.responseLog');

/**
 * In a test run that asked for it (by putting an array at `globalThis[RESPONSE_LOG]`), records every
 * response so the suite can check each against the OpenAPI document.
 */
export function observeResponses(app: FastifyInstance): void {
  const log = (globalThis as Record<symbol, unknown>)[RESPONSE_LOG];
  if (!Array.isArray(log)) return;
  const document = () => app.swagger();
  app.addHook('onResponse', async (request, reply) => {
    const type = reply.raw.getHeader('content-type') ?? reply.getHeader('content-type');
    log.push({
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
      contentType: type === undefined ? undefined : String(type),
      document,
    } satisfies ObservedResponse);
  });
}
