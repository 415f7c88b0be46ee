import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { modeOf } from '../http/auth';
import { IdParams, Nullable, problems } from '../schemas/common';
import { receiptPdf } from '../pdf/receipt';

const tags = ['receipts'];

export const PublicKeySchema = Type.Object({
  algorithm: Type.Literal('Ed25519'),
  publicKey: Type.String({ description: 'The raw 32-byte Ed25519 public key, base64' }),
  fingerprint: Type.String({ description: 'First 16 bytes of SHA-256 over the raw key, hex in groups of 4: printed on every receipt' }),
});

const VerifyBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000, description: 'The receipt QR code’s text' }) }, { additionalProperties: false });
const VerifyResult = Type.Object({
  valid: Type.Boolean(),
  reason: Nullable(Type.Union([Type.Literal('format'), Type.Literal('signature'), Type.Literal('other-key')])),
  facts: Type.Record(Type.String(), Type.String(), { description: 'The receipt’s lines (m merchant, v VAT id, p payment, r refId, d date, a amount, t tip, x refunded, k method, f key fingerprint)' }),
});

/** Signed PDF receipts, the shop's public key, and a check of a receipt's QR text. */
export function receiptRoutes(core: Core): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/payments/:id/receipt.pdf',
      {
        schema: {
          tags,
          summary: 'The receipt of a succeeded (or refunded) payment, as a PDF with a signed QR code',
          params: IdParams,
          response: { 200: { description: 'The receipt', content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } } }, ...problems(404, 409) },
        },
      },
      async (request, reply) => {
        const receipt = await core.receipts.forPayment(request.params.id, modeOf(request));
        return reply
          .type('application/pdf')
          .header('Cache-Control', 'no-store')
          .header('Content-Disposition', `inline; filename="receipt-${receipt.payment.refId}.pdf"`)
          .send(await receiptPdf(receipt));
      },
    );

    app.get('/receipts/public-key', { schema: { tags, summary: 'The shop’s Ed25519 public key that signs receipts', response: { 200: PublicKeySchema } } }, async () =>
      core.receipts.publicKey(),
    );

    app.post(
      '/receipts/verify',
      { schema: { tags, summary: 'Check a receipt’s QR text against this shop’s key (the staff UI’s "Verify receipt")', body: VerifyBody, response: { 200: VerifyResult } } },
      async (request) => core.receipts.verify(request.body.text),
    );
  };
}
