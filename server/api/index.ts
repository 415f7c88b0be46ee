import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/index';
import { requireApiKey } from '../http/auth';
import type { EventStreams } from './event-stream';
import { linkRoutes } from './links';
import { paymentRoutes } from './payments';
import { eventRoutes } from './events';
import { counterRoutes } from './counter';
import { settingsRoutes } from './settings';
import { LinkSchema } from '../schemas/links';
import { PaymentSchema } from '../schemas/payments';
import { DisplaySchema, EventSchema, PointOfSaleSchema } from '../schemas/misc';
import { SettingsSchema } from '../schemas/settings';

/** The Service API under /api/v1: every route needs an API key. */
export function apiRoutes(core: Core, streams: EventStreams): FastifyPluginAsync {
  return async (app) => {
    for (const schema of [LinkSchema, PaymentSchema, EventSchema, PointOfSaleSchema, DisplaySchema, SettingsSchema]) app.addSchema(schema);
    app.addHook('onRequest', requireApiKey(core));
    await app.register(linkRoutes(core));
    await app.register(paymentRoutes(core));
    await app.register(eventRoutes(core, streams));
    await app.register(counterRoutes(core));
    await app.register(settingsRoutes(core));
  };
}
