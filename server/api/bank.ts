import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { MAX_STATEMENT_BYTES } from '../../core/banking/camt';
import { actorOfRequest } from '../http/authorize';
import { modeOf } from '../http/auth';
import { qrPng, qrSvg } from '../qr';
import { IdParams, ListQuery, Nullable, pageOf, problems } from '../schemas/common';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes the bank's XML file, not JSON. */
    xmlBody?: boolean;
  }
}

const Money = Type.String();

const StatementImportSchema = Type.Object({
  id: Type.String(),
  livemode: Type.Boolean(),
  kind: Type.Union([Type.Literal('camt.052'), Type.Literal('camt.053'), Type.Literal('camt.054')]),
  messageId: Nullable(Type.String()),
  account: Nullable(Type.String()),
  credits: Type.Integer({ description: 'New credits this file brought' }),
  matched: Type.Array(Type.Object({ creditId: Type.String(), paymentId: Type.String(), amount: Money })),
  unmatched: Type.Array(Type.Object({ creditId: Type.String(), amount: Money, reason: Type.String() })),
  duplicates: Type.Integer({ description: 'Credits imported before (the same file, overlapping statements): they changed nothing' }),
  warnings: Type.Array(Type.String()),
  importedAt: Type.String({ format: 'date-time' }),
});

const StatementSchema = Type.Object({
  id: Type.String(),
  livemode: Type.Boolean(),
  kind: Type.String(),
  messageId: Nullable(Type.String()),
  account: Nullable(Type.String()),
  credits: Type.Integer(),
  matched: Type.Integer(),
  unmatched: Type.Integer(),
  duplicates: Type.Integer(),
  importedAt: Type.String({ format: 'date-time' }),
});

const CreditSchema = Type.Object({
  id: Type.String(),
  livemode: Type.Boolean(),
  statementId: Type.String(),
  amount: Money,
  currency: Type.String(),
  bookedOn: Nullable(Type.String()),
  debtorName: Nullable(Type.String()),
  debtorIban: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  remittance: Nullable(Type.String()),
  status: Type.Union([Type.Literal('matched'), Type.Literal('unmatched')]),
  reason: Nullable(Type.String()),
  paymentId: Nullable(Type.String()),
  reversed: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

const EpcQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('png'), Type.Literal('svg')])) }, { additionalProperties: false });

/** Bank transfers (API.md "Bank transfer (SEPA) and bank statements"), in the key's mode. */
export function bankRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['bank transfers'];

    // The bank's own file, as it came: parsed by core (a real XML parser with entities off).
    app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer', bodyLimit: MAX_STATEMENT_BYTES }, (_request, body, done) => done(null, body));

    app.post(
      '/bank-statements',
      {
        config: { xmlBody: true },
        bodyLimit: MAX_STATEMENT_BYTES,
        schema: {
          tags,
          summary: 'Import a camt.052/053/054 statement: its credits settle transfer payments',
          description: 'The body is the bank’s ISO 20022 file (Content-Type application/xml or text/xml, at most 10 MB). One transaction per import.',
          consumes: ['application/xml', 'text/xml'],
          response: { 200: StatementImportSchema, ...problems(413, 415, 422) },
        },
      },
      async (request) => {
        const body = request.body as Buffer | undefined;
        return core.bank.importStatement(body ?? Buffer.alloc(0), modeOf(request));
      },
    );
    app.get('/bank-statements', { schema: { tags, summary: 'Imported statements, newest first', querystring: Type.Object(ListQuery, { additionalProperties: false }), response: { 200: pageOf(StatementSchema) } } }, async (request) =>
      core.bank.statements(modeOf(request), { limit: request.query.limit ?? 50, cursor: request.query.cursor }),
    );
    app.get(
      '/bank-credits',
      {
        schema: {
          tags,
          summary: 'Credits from statements, newest first',
          querystring: Type.Object({ ...ListQuery, status: Type.Optional(Type.Union([Type.Literal('matched'), Type.Literal('unmatched')])) }, { additionalProperties: false }),
          response: { 200: pageOf(CreditSchema) },
        },
      },
      async (request) => core.bank.credits(modeOf(request), request.query.status, { limit: request.query.limit ?? 50, cursor: request.query.cursor }),
    );
    app.post(
      '/bank-credits/:id/assign',
      {
        schema: {
          tags,
          summary: 'Settle an unmatched credit by hand: it counts for this pending transfer payment',
          params: IdParams,
          body: Type.Object({ paymentId: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
          response: { 200: CreditSchema, ...problems(404, 409, 422) },
        },
      },
      async (request) => core.bank.assignCredit(request.params.id, request.body.paymentId, modeOf(request)),
    );
    app.post(
      '/payments/:id/confirm-transfer',
      {
        schema: {
          tags,
          summary: 'Staff saw the money: the transfer payment succeeds (source staff)',
          params: IdParams,
          body: Nullable(Type.Object({ amount: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Number()])) }, { additionalProperties: false })),
          response: { 200: Type.Ref('Payment'), ...problems(404, 409, 422) },
        },
      },
      async (request) => core.bank.confirmTransfer(request.params.id, request.body?.amount, modeOf(request), actorOfRequest(request)),
    );
    app.get(
      '/payments/:id/epc-qr',
      {
        schema: {
          tags,
          summary: 'The EPC QR code (GiroCode) of a transfer payment, for a banking app',
          params: IdParams,
          querystring: EpcQuery,
          produces: ['image/png', 'image/svg+xml'],
          response: { 200: { description: 'The EPC QR code', content: { 'image/png': { schema: Type.String({ format: 'binary' }) }, 'image/svg+xml': { schema: Type.String({ format: 'binary' }) } } }, ...problems(404) },
        },
      },
      async (request, reply) => {
        const payload = await core.bank.epcPayload(request.params.id, modeOf(request));
        reply.header('Cache-Control', 'no-store');
        if (request.query.format === 'svg') return reply.type('image/svg+xml').send(await qrSvg(payload, 320));
        return reply.type('image/png').send(await qrPng(payload, 320));
      },
    );
  };
}
