import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';

/** Where the API docs (Swagger UI) live. */
export const DOCS_PREFIX = '/api/docs';

/**
 * The API docs get the policy of every other page: only our own scripts, styles, images and
 * connections (Swagger UI's files come from /api/docs/static; it fetches the document and the
 * "Try it out" calls from this origin), no plugins, and nobody may frame it.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

async function docsHeaders(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('X-Frame-Options', 'DENY');
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('Cross-Origin-Opener-Policy', 'same-origin');
}

/**
 * Swagger UI at /api/docs, in a scope of its own whose every response (the page, its static
 * files, the JSON and YAML document) carries the security headers; @fastify/swagger-ui sets the
 * CSP (`staticCSP`). The base layout: the standalone one's top bar (a logo drawn with an inline
 * <style>, which the CSP refuses, and a box to load any other document) is not needed here.
 */
export async function docsUi(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', docsHeaders);
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: DOCS_CSP, uiConfig: { layout: 'BaseLayout' } });
}
