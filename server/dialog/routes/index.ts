import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../../core/index';
import { toProblem } from '../../http/errors';
import { sendProblem } from '../../http/problem';
import type { DialogRateLimit } from '../../http/rate-limits';
import type { FormBody } from '../../schemas/dialog';
import { localeFromSegment } from '../i18n';
import { field, isForm } from '../http';
import { type Dialog, dialogDeps, wantedOrDefault } from './context';
import { sendUnavailable } from './unavailable';
import { pageRoutes } from './page';
import { startRoutes } from './start';
import { nextStepRoutes } from './next-step';
import { resultRoutes } from './result';

/**
 * The public customer dialog (API.md, "The customer dialog (public)"): server-rendered pages
 * that work without JavaScript, the JSON endpoints behind them, and the simulator checkout.
 * No auth; link and payment ids are unguessable capabilities. GET never changes state.
 *
 * One file per step of the payer's way: page.ts (the pay page), start.ts (POST start), next-step.ts
 * (transfer details, Stripe handoff, the simulator), result.ts (status, cancel, result, receipt);
 * unavailable.ts the "cannot be paid" pages, context.ts what they all share. The error handler and
 * hooks set here apply to every one of them (child plugins inherit them).
 */
export function dialogRoutes(core: Core, options: { rateLimit?: DialogRateLimit | false } = {}): FastifyPluginAsync {
  return async (app) => {
    const d = dialogDeps(core);

    // Errors of pages and form posts become pages; JSON keeps the API's problem+json.
    app.setErrorHandler(async (error, request, reply) => {
      const p = toProblem(error);
      if (p.status >= 500) request.log.error({ err: error }, 'unhandled error');
      if (!request.routeOptions.config?.dialogHtml && !isForm(request)) return sendProblem(reply, p);
      const params = (request.params ?? {}) as { locale?: string };
      const body = (isForm(request) ? request.body : undefined) as FormBody | undefined;
      const locale = localeFromSegment(params.locale) ?? (await wantedOrDefault(core, field(body, 'locale')));
      // A malformed id is as unknown as a missing one; anything else is "something went wrong".
      if (p.status === 404 || p.type === 'validation-error') return await sendUnavailable(d, reply, 'notFound', locale);
      if (p.type === 'rate-limited') return await sendUnavailable(d, reply, 'busy', locale);
      return await sendUnavailable(d, reply, 'error', locale, { status: p.status });
    });
    app.addHook('onSend', async (_request, reply) => {
      if (!reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    });

    await app.register(assetRoutes(d));
    await app.register(pageRoutes(d));
    await app.register(startRoutes(d, options));
    await app.register(nextStepRoutes(d));
    await app.register(resultRoutes(d));
  };
}

/** The dialog's CSS and JS: immutable under their content-hash version, briefly cached without it. */
function assetRoutes(d: Dialog): FastifyPluginAsync {
  return async (app) => {
    for (const asset of [d.assets.css, d.assets.js]) {
      app.get(asset.url.split('?')[0]!, { schema: { hide: true, querystring: { type: 'object', properties: { v: { type: 'string' } } } } }, async (request, reply) => {
        const versioned = (request.query as { v?: string }).v === asset.version;
        return reply
          .header('Cache-Control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
          .header('X-Content-Type-Options', 'nosniff')
          .type(asset.type)
          .send(asset.body);
      });
    }
  };
}
