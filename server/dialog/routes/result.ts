import { createElement } from 'react';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../../../core/errors';
import type { LinkRecord, Locale } from '../../../core/links/types';
import type { PaymentRecord } from '../../../core/payments/types';
import { publicPaymentView } from '../../../core/payments/view';
import { callbackOutcome, callbackTarget } from '../../../core/links/callback';
import { CALLBACK_URLS_KEY } from '../../../core/webhooks/callback-urls';
import { PROBLEM_STATUS } from '../../http/problem';
import { htmlOrProblems, problems, seeOther } from '../../schemas/common';
import { receiptPdf } from '../../pdf/receipt';
import { translator } from '../i18n';
import { ResultPage } from '../pages/result';
import { FormBody, LinkPaymentParams, LocaleResultParams, PaymentResponse, PublicPaymentSchema } from '../../schemas/dialog';
import { continuePath, dialogPath, field, injectedOf, isForm, resultPath, seg, sendHtml } from '../http';
import { type Dialog, wantedOrDefault, blocker, html, pageContext, tags, wantedOr } from './context';
import { linkAndPayment, linkOrNotFound, sendUnavailable } from './unavailable';

/** Where a started payment ends up: its status (polled), the payer's cancel, the result page, the receipt. */
export function resultRoutes(d: Dialog): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/pay-by-link/:linkId/payments/:paymentId',
      { schema: { tags, summary: 'A payment’s status, as the payer’s browser may see it', security: [], params: LinkPaymentParams, response: { 200: PublicPaymentSchema, ...problems(404) } } },
      async (request) => publicPaymentView(await d.core.payments.recordForLink(request.params.linkId, request.params.paymentId)),
    );

    app.post(
      '/pay-by-link/:linkId/payments/:paymentId/cancel',
      {
        schema: {
          tags,
          summary: 'The payer cancels their pending payment (where the link allows it)',
          description: 'JSON (or no body): 200 with the cancelled payment. A form post gets 303 to the result page.',
          security: [],
          params: LinkPaymentParams,
          body: { content: { 'application/x-www-form-urlencoded': { schema: FormBody } } },
          response: { 200: PaymentResponse, 303: seeOther('Form post: on to the result page'), ...htmlOrProblems(404, 409) },
        },
      },
      async (request, reply) => {
        const { linkId, paymentId } = request.params;
        if (!isForm(request)) return { payment: await d.core.payments.cancelByPayer(linkId, paymentId) };

        const wanted = field(request.body as FormBody, 'locale');
        const link = await linkOrNotFound(d, reply, linkId, await wantedOrDefault(d.core, wanted));
        if (!link) return reply;
        const locale = wantedOr(wanted, link.locale);
        try {
          await d.core.payments.cancelByPayer(linkId, paymentId);
          return reply.redirect(resultPath(locale, linkId, paymentId), 303);
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          if (err.type === 'not-found') return await sendUnavailable(d, reply, 'notFound', locale);
          const t = translator(locale);
          const message = err.type === 'not-cancellable' ? t('result.cancelRefused.notCancellable') : t('result.cancelRefused.notPending');
          return await sendResultPage(d, reply, PROBLEM_STATUS[err.type] ?? 409, link, await d.core.payments.recordForLink(linkId, paymentId), locale, {
            title: t('result.cancelRefused.title'),
            message,
          });
        }
      },
    );

    app.get('/:locale/pay-by-link/:linkId/result/:paymentId', { schema: { hide: true, params: LocaleResultParams }, config: html }, async (request, reply) => {
      const { linkId, paymentId } = request.params;
      const found = await linkAndPayment(d, reply, request.params.locale, linkId, paymentId);
      if (!found) return reply;
      const { link, locale } = found;
      // Never trust the redirect alone: a pending payment's provider is asked what became of it
      // (bounded; if it does not answer, the page shows "pending" and polls).
      const payment = found.payment.status === 'pending' ? await d.core.payments.reconcile(found.payment.id) : found.payment;
      // Back to the merchant: built from the stored link and payment only (core/links/callback.ts),
      // and only to an origin still on settings.callbackUrls; otherwise the page shows the result.
      const outcome = callbackOutcome(payment.status);
      const allowed = outcome ? ((await d.core.store.read((t) => d.core.settings.stored<string[]>(t, CALLBACK_URLS_KEY))) ?? []) : [];
      const target = outcome ? callbackTarget(link.callbackUrl, outcome, payment.id, allowed) : null;
      if (target) return reply.header('Cache-Control', 'no-store').redirect(target, 303);
      return await sendResultPage(d, reply, 200, link, payment, locale);
    });

    /** The payer's receipt (PDF), public like the payment's status, where the merchant offers it on the result page. */
    app.get(
      '/pay-by-link/:linkId/payments/:paymentId/receipt.pdf',
      {
        schema: {
          tags,
          summary: 'The payer’s receipt of a paid payment (when the merchant enables receipts.onResultPage)',
          security: [],
          params: LinkPaymentParams,
          response: { 200: { description: 'The receipt', content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } } }, ...problems(404, 409) },
        },
      },
      async (request, reply) => {
        const { linkId, paymentId } = request.params;
        const receipt = await d.core.receipts.forPayer(linkId, paymentId);
        return reply
          .type('application/pdf')
          .header('Cache-Control', 'no-store')
          .header('Content-Disposition', `inline; filename="receipt-${receipt.payment.refId}.pdf"`)
          .send(await receiptPdf(receipt));
      },
    );
  };
}

/** The result page (or, after a refused cancel, the page with a notice and that status). */
async function sendResultPage(d: Dialog, reply: FastifyReply, status: number, link: LinkRecord, payment: PaymentRecord, locale: Locale, notice?: { title: string; message: string }) {
  const payable = blocker(d.core, link) === undefined;
  return sendHtml(
    reply,
    status,
    createElement(ResultPage, {
      ctx: await pageContext(d, locale, link.country),
      payment,
      link,
      retryUrl: payable ? dialogPath(locale, link.id, injectedOf(payment, link)) : null,
      checkoutUrl: continuePath(payment, locale, link.locale),
      pollUrl: `/pay-by-link/${seg(link.id)}/payments/${seg(payment.id)}`,
      receiptUrl: (await d.core.receipts.onResultPage()) ? `/pay-by-link/${seg(link.id)}/payments/${seg(payment.id)}/receipt.pdf` : null,
      ...(notice ? { notice } : {}),
    }),
    link,
  );
}
