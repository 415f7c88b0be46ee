import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/index';
import { requireApiKey } from '../http/auth';
import { checkScope } from '../http/authorize';
import { problem, sendProblem } from '../http/problem';
import type { EventStreams } from './event-stream';
import { linkRoutes } from './links';
import { paymentRoutes } from './payments';
import { eventRoutes } from './events';
import { counterRoutes } from './counter';
import { settingsRoutes } from './settings';
import { notificationRoutes } from './notifications';
import { webhookRoutes } from './webhooks';
import { moneyRoutes } from './money';
import { bankRoutes } from './bank';
import { deviceRoutes } from './devices';
import { reportRoutes } from './reports';
import { receiptRoutes } from './receipts';
import { DayReportSchema } from '../schemas/reports';
import { LinkSchema } from '../schemas/links';
import { PaymentSchema } from '../schemas/payments';
import { DisplaySchema, EventSchema, PointOfSaleSchema } from '../schemas/misc';
import { SettingsSchema } from '../schemas/settings';

/** The Service API under /api/v1: every route needs an API key, a staff session or a paired device's token. */
export function apiRoutes(core: Core, streams: EventStreams): FastifyPluginAsync {
  return async (app) => {
    for (const schema of [LinkSchema, PaymentSchema, EventSchema, PointOfSaleSchema, DisplaySchema, SettingsSchema, DayReportSchema]) app.addSchema(schema);
    // Who is calling and whether their role may use the route at all; then (body validated) whether
    // a paired device stays on its own point of sale. The rules: server/http/authorize.ts.
    app.addHook('onRequest', requireApiKey(core));
    app.addHook('preHandler', checkScope(core));
    // The Service API takes JSON bodies only (not text/plain, not form posts): anything else is 415.
    app.addHook('preValidation', async (request, reply) => {
      if (request.body === undefined || request.body === null) return;
      if (request.routeOptions.config?.xmlBody) return; // bank statements: the bank's XML file
      if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(request.headers['content-type'] ?? '')) {
        await sendProblem(reply, problem('unsupported-media-type', 415, 'Send a JSON body with Content-Type: application/json.'));
        return reply;
      }
    });
    // Unknown paths under /api/v1 answer 404 only to a caller with a key (the hook above runs first).
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, problem('not-found', 404, `No route for ${request.method} ${request.url.split('?')[0]}.`)),
    );
    await app.register(linkRoutes(core));
    await app.register(paymentRoutes(core));
    await app.register(eventRoutes(core, streams));
    await app.register(counterRoutes(core));
    await app.register(settingsRoutes(core));
    await app.register(notificationRoutes(core));
    await app.register(webhookRoutes(core));
    await app.register(moneyRoutes(core));
    await app.register(bankRoutes(core));
    await app.register(deviceRoutes(core));
    await app.register(reportRoutes(core));
    await app.register(receiptRoutes(core));
  };
}
