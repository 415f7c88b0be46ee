import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { DomainError } from '../../core/errors';
import { DateTime, IdParams, Nullable, problems } from '../schemas/common';
import { actorOfRequest } from '../http/authorize';

const DeviceRole = Type.Union([Type.Literal('counter'), Type.Literal('display')]);
const StaffRole = Type.Union([Type.Literal('owner'), Type.Literal('manager'), Type.Literal('cashier')]);

const DeviceSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: DeviceRole,
  pointOfSaleId: Type.String(),
  createdAt: DateTime,
  lastSeenAt: Nullable(DateTime),
});

const StaffUserSchema = Type.Object({ id: Type.String(), name: Type.String(), role: StaffRole, createdAt: DateTime, updatedAt: DateTime });

const PairingCodeBody = Type.Object({ role: DeviceRole, pointOfSaleId: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const PairBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 40, description: 'The 8-character code the hub shows' }), name: Type.String({ minLength: 1, maxLength: 120 }) },
  { additionalProperties: false },
);
const Pin = Type.String({ minLength: 1, maxLength: 64, description: '4 to 12 digits' });
const StaffUserCreateBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }), pin: Pin, role: StaffRole }, { additionalProperties: false });
const StaffUserPatchBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })), pin: Type.Optional(Pin), role: Type.Optional(StaffRole) },
  { additionalProperties: false },
);

/** Pairing codes, paired devices and staff users (API.md "Devices, staff users and roles"): owners only. */
export function deviceRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['devices'];

    app.post(
      '/pairing-codes',
      {
        schema: {
          tags,
          summary: 'A single-use code (10 minutes) that pairs a counter or display with a point of sale',
          body: PairingCodeBody,
          response: { 201: Type.Object({ code: Type.String(), expiresAt: DateTime, role: DeviceRole, pointOfSaleId: Type.String() }) },
        },
      },
      async (request, reply) => reply.code(201).header('Cache-Control', 'no-store').send(await core.devices.createPairingCode(request.body)),
    );
    // A paired device about itself: enough for a second till's staff UI to start (it may not read
    // the shop's settings or every point of sale). Only a device has one: anyone else gets 403.
    app.get(
      '/devices/me',
      {
        schema: {
          tags,
          summary: 'The calling paired device, its point of sale and what its screen needs of the shop (device tokens only)',
          response: {
            200: Type.Object({
              device: Type.Object({ id: Type.String(), name: Type.String(), role: DeviceRole, pointOfSaleId: Type.String() }),
              pointOfSale: Type.Ref('PointOfSale'),
              merchant: Type.Object({
                merchantName: Type.String(),
                timeZone: Type.String(),
                defaultCurrency: Type.String(),
                country: Nullable(Type.String()),
                defaultLocale: Type.String(),
              }),
            }),
          },
        },
      },
      async (request, reply) => {
        const who = request.principal?.who;
        if (!who || who.kind !== 'device' || who.pointOfSaleId === null) throw new DomainError('forbidden', 'Only a paired device has this: use the points of sale and settings.');
        const [pointOfSale, merchant] = await Promise.all([core.pointsOfSale.get(who.pointOfSaleId), core.settings.readMerchant()]);
        reply.header('Cache-Control', 'no-store');
        return {
          device: { id: who.id, name: who.name, role: who.role as 'counter' | 'display', pointOfSaleId: who.pointOfSaleId },
          pointOfSale,
          merchant: {
            merchantName: merchant.merchantName,
            timeZone: merchant.timeZone,
            defaultCurrency: merchant.defaultCurrency,
            country: merchant.country,
            defaultLocale: merchant.defaultLocale,
          },
        };
      },
    );
    app.get('/devices', { schema: { tags, summary: 'Paired devices with their last contact', response: { 200: Type.Object({ data: Type.Array(DeviceSchema) }) } } }, async () => ({
      data: await core.devices.list(),
    }));
    app.delete(
      '/devices/:id',
      { schema: { tags, summary: 'Revoke a device at once: its token stops working and its open streams close', params: IdParams, response: { 204: Type.Null(), ...problems(404) } } },
      async (request, reply) => {
        await core.devices.revoke(request.params.id, actorOfRequest(request));
        return reply.code(204).send(null);
      },
    );

    const staffTags = ['staff users'];
    app.get('/staff-users', { schema: { tags: staffTags, summary: 'Staff users and their roles', response: { 200: Type.Object({ data: Type.Array(StaffUserSchema) }) } } }, async () => ({
      data: await core.staffUsers.list(),
    }));
    app.post(
      '/staff-users',
      { schema: { tags: staffTags, summary: 'Add a staff user with a role and their own PIN', body: StaffUserCreateBody, response: { 201: StaffUserSchema } } },
      async (request, reply) => reply.code(201).send(await core.staffUsers.create(request.body, actorOfRequest(request))),
    );
    app.patch(
      '/staff-users/:id',
      {
        schema: {
          tags: staffTags,
          summary: 'Rename, change the role or the PIN (sessions with the old role or PIN end)',
          params: IdParams,
          body: StaffUserPatchBody,
          response: { 200: StaffUserSchema, ...problems(404, 409) },
        },
      },
      async (request) => core.staffUsers.update(request.params.id, request.body, actorOfRequest(request)),
    );
    app.delete(
      '/staff-users/:id',
      { schema: { tags: staffTags, summary: 'Remove a staff user; their sessions end at once', params: IdParams, response: { 204: Type.Null(), ...problems(404, 409) } } },
      async (request, reply) => {
        await core.staffUsers.delete(request.params.id, actorOfRequest(request));
        return reply.code(204).send(null);
      },
    );
  };
}

/** Pairing attempts per address and window: a code has 31^8 values and lives 10 minutes. */
export interface PairRateLimit {
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_PAIR_RATE_LIMIT: PairRateLimit = { perAddress: 10, windowMs: 60_000 };

/** The public pairing route: a device trades a code for its token. */
export async function pairRoutes(base: FastifyInstance, core: Core, limits: PairRateLimit = DEFAULT_PAIR_RATE_LIMIT): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  if (!app.hasDecorator('createRateLimit')) await app.register(rateLimit, { global: false });
  const byAddress = app.createRateLimit({ max: limits.perAddress, timeWindow: limits.windowMs, keyGenerator: (request) => `pair:${normalizeIP(request.ip)}` });
  app.post(
    '/devices/pair',
    {
      schema: {
        tags: ['devices'],
        summary: 'Pair a device with a code from the hub: its token (shown this once) is bound to the code’s role and point of sale',
        security: [],
        body: PairBody,
        response: {
          201: Type.Object({ device: Type.Object({ id: Type.String(), name: Type.String(), role: DeviceRole, pointOfSaleId: Type.String() }), token: Type.String() }),
          ...problems(401, 429),
        },
      },
      preHandler: async (request, reply) => {
        const result = await byAddress(request);
        if (result.isAllowed || !result.isExceeded) return;
        const seconds = Math.max(1, result.ttlInSeconds);
        reply.header('Retry-After', String(seconds));
        throw new DomainError('rate-limited', `Too many pairing attempts from this address. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
      },
    },
    async (request, reply) => {
      const { device, token } = await core.devices.pair(request.body);
      return reply
        .code(201)
        .header('Cache-Control', 'no-store')
        .send({ device: { id: device.id, name: device.name, role: device.role, pointOfSaleId: device.pointOfSaleId }, token });
    },
  );
}
