import { Type, type TSchema } from '@sinclair/typebox';
import { LOCALES } from '../../core/links/types';
import { Money, MoneyInput, Nullable } from './common';

/**
 * GET/PATCH /api/v1/settings. The merchant fields sit at the top level; each feature adds one
 * member (a settings section, see core/settings.ts) with its own read and patch schemas here.
 * Secrets are write-only: they appear in the patch schemas, never in the read ones.
 */
const sectionReads: Record<string, TSchema> = {
  receipts: Type.Object(
    {
      onResultPage: Type.Boolean({ description: 'The payer’s result page links their receipt (PDF)' }),
      email: Type.Boolean({ description: 'A payer who left an email address gets the receipt (PDF attached) by email when the payment succeeds; default true' }),
      algorithm: Type.Literal('Ed25519'),
      publicKey: Nullable(Type.String({ description: 'The shop’s receipt-signing public key (raw 32 bytes, base64); the private key never leaves the server' })),
      fingerprint: Nullable(Type.String({ description: 'Printed on every receipt' })),
    },
    { description: 'Signed receipts' },
  ),
  // email, sms, billing: the messaging feature; callbackUrls: the webhooks feature.
  email: Type.Object(
    {
      host: Nullable(Type.String()),
      port: Nullable(Type.Integer()),
      security: Type.Union([Type.Literal('starttls'), Type.Literal('tls'), Type.Literal('none')]),
      user: Nullable(Type.String()),
      passwordSet: Type.Boolean({ description: 'The password itself is write-only' }),
      from: Nullable(Type.String()),
      transport: Type.Union([Type.Literal('smtp'), Type.Literal('local-outbox')], { description: 'Where email goes now' }),
      overriddenByEnvironment: Type.Boolean({ description: 'COUNTERLINK_SMTP_URL / COUNTERLINK_MAIL_FROM take precedence' }),
    },
    { description: 'SMTP server; without one, email lands as .eml files in {dataDir}/outbox/email' },
  ),
  sms: Type.Object(
    {
      gatewayUrl: Nullable(Type.String()),
      authSet: Type.Boolean({ description: 'The Authorization value itself is write-only' }),
      sender: Nullable(Type.String()),
      callbackBaseUrl: Nullable(Type.String()),
      transport: Type.Union([Type.Literal('sms-gateway'), Type.Literal('local-outbox')], { description: 'Where SMS go now' }),
      overriddenByEnvironment: Type.Boolean({ description: 'COUNTERLINK_SMS_URL / COUNTERLINK_SMS_AUTH take precedence' }),
    },
    { description: 'HTTP SMS gateway; without one, SMS land as .json files in {dataDir}/outbox/sms' },
  ),
  billing: Type.Object({ emailPrice: Money, smsPrice: Money, currency: Type.String() }, { description: 'Price per sent message, for the message report' }),
  callbackUrls: Type.Array(Type.String(), {
    description: 'Allow-list of browser callback URLs: a link’s callbackUrl may name one by index ("0"); once not empty, every callback URL’s origin must be on it',
  }),
  bankTransfer: Type.Object(
    {
      accountHolder: Nullable(Type.String({ description: 'Exactly the name the bank has for the account: payers’ banks check it' })),
      iban: Nullable(Type.String({ description: 'Without spaces, upper case' })),
      bic: Nullable(Type.String()),
      holdDays: Type.Integer({ description: 'How long a transfer payment waits for its money' }),
      configured: Type.Boolean({ description: 'Holder and IBAN are set: the sepa_transfer method is available' }),
    },
    { description: 'SEPA transfer to the merchant’s own account (EPC QR, statements)' },
  ),
  stripe: Type.Object(
    Object.fromEntries(
      (['test', 'live'] as const).map((mode) => [
        mode,
        Type.Object({
          configured: Type.Boolean({ description: 'Secret key and webhook secret are set' }),
          secretKeySet: Type.Boolean({ description: 'The secret key itself is write-only' }),
          webhookSecretSet: Type.Boolean({ description: 'The webhook signing secret itself is write-only' }),
          account: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) }, { description: 'The Stripe account the key belongs to, as the last check saw it' })),
          status: Type.Union([Type.Literal('not-configured'), Type.Literal('unchecked'), Type.Literal('connected'), Type.Literal('offline')]),
          error: Nullable(Type.String({ description: 'Why the last check failed, in words' })),
        }),
      ]),
    ),
    { description: 'Stripe Checkout with the merchant’s own account, keys per mode' },
  ),
};
const sectionPatches: Record<string, TSchema> = {
  receipts: Type.Object({ onResultPage: Type.Optional(Type.Boolean()), email: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  email: Type.Object(
    {
      host: Type.Optional(Nullable(Type.String({ maxLength: 253 }))),
      port: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 65535 }))),
      security: Type.Optional(Type.Union([Type.Literal('starttls'), Type.Literal('tls'), Type.Literal('none')])),
      user: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
      password: Type.Optional(Nullable(Type.String({ maxLength: 1024, writeOnly: true }))),
      from: Type.Optional(Nullable(Type.String({ maxLength: 320, description: 'address or "Name <address>"' }))),
    },
    { additionalProperties: false },
  ),
  sms: Type.Object(
    {
      gatewayUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
      auth: Type.Optional(Nullable(Type.String({ maxLength: 4096, writeOnly: true, description: 'Value of the Authorization header sent to the gateway' }))),
      sender: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
      callbackBaseUrl: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'Public base URL the gateway can reach for delivery reports' }))),
    },
    { additionalProperties: false },
  ),
  billing: Type.Object(
    {
      emailPrice: Type.Optional(MoneyInput),
      smsPrice: Type.Optional(MoneyInput),
      currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    },
    { additionalProperties: false },
  ),
  callbackUrls: Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20, description: 'Replaces the whole list' }),
  // Shapes only: core checks the IBAN (ISO 13616), the BIC and the limits, with a code per field.
  bankTransfer: Type.Object(
    {
      accountHolder: Type.Optional(Nullable(Type.String({ maxLength: 200, description: '1-70 characters a banking app can take' }))),
      iban: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
      bic: Type.Optional(Nullable(Type.String({ maxLength: 20, description: '8 or 11 characters' }))),
      holdDays: Type.Optional(Type.Integer({ description: '1-30, default 7' })),
    },
    { additionalProperties: false },
  ),
  stripe: Type.Object(
    Object.fromEntries(
      (['test', 'live'] as const).map((mode) => [
        mode,
        Type.Optional(
          Type.Object(
            {
              secretKey: Type.Optional(Nullable(Type.String({ maxLength: 255, writeOnly: true, description: `${mode === 'live' ? 'sk_live_/rk_live_' : 'sk_test_/rk_test_'}…` }))),
              webhookSecret: Type.Optional(Nullable(Type.String({ maxLength: 255, writeOnly: true, description: 'whsec_…: the signing secret of the endpoint /hooks/stripe' }))),
            },
            { additionalProperties: false },
          ),
        ),
      ]),
    ),
    { additionalProperties: false },
  ),
};

export const SettingsSchema = Type.Object(
  {
    merchantName: Type.String(),
    timeZone: Type.String(),
    defaultCurrency: Type.String(),
    country: Nullable(Type.String()),
    defaultLocale: Type.String(),
    address: Nullable(Type.String({ description: 'Postal address printed on receipts; lines separated by \\n' })),
    vatId: Nullable(Type.String({ description: 'VAT identification number printed on receipts' })),
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
    address: Type.Optional(Nullable(Type.String({ maxLength: 300, description: 'Multi-line postal address; null or "" clears it' }))),
    vatId: Type.Optional(Nullable(Type.String({ maxLength: 30, description: 'VAT id, e.g. DE123456789; null or "" clears it' }))),
    ...Object.fromEntries(Object.entries(sectionPatches).map(([k, v]) => [k, Type.Optional(v)])),
  },
  { additionalProperties: false, minProperties: 1 },
);
