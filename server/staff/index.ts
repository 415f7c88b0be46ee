import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index';
import { requireApiKey } from '../http/auth';
import { checkScope } from '../http/authorize';
import { problemResponses } from '../schemas/common';
import { VERSION } from '../version';
import { publicDisplayRoutes } from './display';
import { sessionRoutes } from './session';
import { uiRoutes } from './ui';

export interface StaffOptions {
  /** The built UI (vite's outDir). Default: $COUNTERLINK_UI_DIR, else out/renderer of this checkout. */
  uiDir?: string;
  displayHeartbeatMs?: number;
}

export function defaultUiDir(): string {
  return process.env.COUNTERLINK_UI_DIR?.trim() || fileURLToPath(new URL('../../out/renderer', import.meta.url));
}

const DisplayEntry = Type.Object({
  pointOfSaleId: Type.String(),
  name: Type.String(),
  idleLinkId: Type.Union([Type.String(), Type.Null()]),
  path: Type.String({ description: 'The public display page: /display/{pointOfSaleId}' }),
});

/** Staff-only extras the UI needs beside the Service API: the PIN, display settings, where the API lives. */
async function staffApi(base: FastifyInstance, core: Core): Promise<void> {
  const displays = core.publicDisplay;
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['staff'];
  app.addHook('onRequest', requireApiKey(core));
  app.addHook('preHandler', checkScope(core));

  app.get(
    '/info',
    {
      schema: {
        tags,
        summary: 'Where the API lives and what the staff UI needs to know',
        response: { 200: Type.Object({ baseUrl: Type.String(), apiBaseUrl: Type.String(), version: Type.String(), pinSet: Type.Boolean() }) },
      },
    },
    async () => ({ baseUrl: core.config.baseUrl, apiBaseUrl: `${core.config.baseUrl}/api/v1`, version: VERSION, pinSet: await core.sessions.pinSet() }),
  );

  app.put(
    '/pin',
    {
      schema: {
        tags,
        summary: 'Set or (with null) remove the staff PIN for the browser login; ends every PIN session',
        body: Type.Object({ pin: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Type.Object({ pinSet: Type.Boolean() }) },
      },
    },
    async (request) => {
      await core.sessions.setPin(request.body.pin);
      return { pinSet: await core.sessions.pinSet() };
    },
  );

  app.get('/displays', { schema: { tags, summary: 'Customer displays, one per point of sale', response: { 200: Type.Object({ data: Type.Array(DisplayEntry) }) } } }, async () => ({
    data: await displays.list(),
  }));

  app.put(
    '/displays/:posId',
    {
      schema: {
        tags,
        summary: 'Choose the reusable link a display shows while idle (null: none)',
        params: Type.Object({ posId: Type.String({ minLength: 1, maxLength: 100 }) }),
        body: Type.Object({ idleLinkId: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: DisplayEntry, ...problemResponses },
      },
    },
    async (request) => displays.setIdleLink(request.params.posId, request.body.idleLinkId),
  );
}

/**
 * Browser mode: the built staff UI at /, the session login behind it, the public counter
 * display (/display/{pointOfSaleId}), and the staff extras under /api/v1/staff.
 */
export function staffRoutes(core: Core, options: StaffOptions = {}): FastifyPluginAsync {
  return async (app) => {
    await app.register(async (child) => sessionRoutes(child, core));
    await app.register(async (child) => publicDisplayRoutes(child, core, { heartbeatMs: options.displayHeartbeatMs }));
    await app.register(async (child) => uiRoutes(child, options.uiDir ?? defaultUiDir()));
    await app.register(async (child) => staffApi(child, core), { prefix: '/api/v1/staff' });
  };
}
