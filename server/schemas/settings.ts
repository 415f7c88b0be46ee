import { Type, type TSchema } from '@sinclair/typebox';
import { LOCALES } from '../../core/links/types';
import { Nullable } from './common';

/**
 * GET/PATCH /api/v1/settings. The merchant fields sit at the top level; each feature adds one
 * member (a settings section, see core/settings.ts) with its own read and patch schemas here.
 * Secrets are write-only: they appear in the patch schemas, never in the read ones.
 */
const sectionReads: Record<string, TSchema> = {
  // email, sms, billing: the messaging feature; callbackUrls: the webhooks feature.
};
const sectionPatches: Record<string, TSchema> = {};

export const SettingsSchema = Type.Object(
  {
    merchantName: Type.String(),
    timeZone: Type.String(),
    defaultCurrency: Type.String(),
    country: Nullable(Type.String()),
    defaultLocale: Type.String(),
    ...Object.fromEntries(Object.entries(sectionReads).map(([k, v]) => [k, Type.Optional(v)])),
  },
  { $id: 'Settings' },
);

export const SettingsPatchBody = Type.Object(
  {
    merchantName: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    timeZone: Type.Optional(Type.String({ maxLength: 64 })),
    defaultCurrency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    country: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{2}$' }))),
    defaultLocale: Type.Optional(Type.Union(LOCALES.map((l) => Type.Literal(l)))),
    ...Object.fromEntries(Object.entries(sectionPatches).map(([k, v]) => [k, Type.Optional(v)])),
  },
  { additionalProperties: false, minProperties: 1 },
);
