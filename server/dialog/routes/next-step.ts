import { createElement } from 'react';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError, ValidationError } from '../../../core/errors';
import type { LinkRecord, Locale } from '../../../core/links/types';
import type { PaymentRecord } from '../../../core/payments/types';
import { qrPng, qrSvg } from '../../qr';
import { htmlOrProblems, problems, seeOther } from '../../schemas/common';
import { LOCALES, translator } from '../i18n';
import { SimCheckoutPage } from '../pages/sim';
import { TransferPage } from '../pages/transfer';
import { FormBody, LinkPaymentParams, LocaleResultParams, PaymentParams, PaymentResponse, SimOutcomeBody } from '../../schemas/dialog';
import { field, isDomain, isForm, nextPath, resultPath, seg, sendHtml } from '../http';
import { type Dialog, wantedOrDefault, html, pageContext, relativeToUs, tags, wantedOr } from './context';
import { linkAndPayment, sendUnavailable } from './unavailable';

/**
 * The next step of a started payment. Generic: the payment's provider says what the payer does
 * now — go to its page (Stripe Checkout, the simulator), or pay by transfer with the details and
 * the EPC QR shown here. The simulator's own checkout (TEST only) lives here too.
 */
export function nextStepRoutes(d: Dialog): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/:locale/pay-by-link/:linkId/next/:paymentId', { schema: { hide: true, params: LocaleResultParams }, config: html }, async (request, reply) => {
      const { linkId, paymentId } = request.params;
      const found = await linkAndPayment(d, reply, request.params.locale, linkId, paymentId);
      if (!found) return reply;
      const { link, payment, locale } = found;
      if (payment.status !== 'pending') return reply.redirect(resultPath(locale, linkId, paymentId), 303);
      // Stripe: the Checkout Session is made here if it is not yet (a charge started in one transaction).
      const next = await d.core.payments.open(paymentId, locale);
      if (next.type === 'redirect') return reply.redirect(relativeToUs(d.core, next.url), 303);
      return sendHtml(
        reply,
        200,
        createElement(TransferPage, {
          ctx: await pageContext(d, locale, link.country),
          link,
          payment,
          transfer: next,
          statusUrl: `/pay-by-link/${seg(linkId)}/payments/${seg(paymentId)}`,
          resultUrl: resultPath(locale, linkId, paymentId),
          languages: Object.fromEntries(LOCALES.map((l) => [l, nextPath(l, linkId, paymentId)])),
        }),
        link,
      );
    });

    /** The transfer's EPC QR code ("GiroCode"), public like the payment's status. */
    app.get(
      '/pay-by-link/:linkId/payments/:paymentId/epc-qr',
      {
        schema: {
          tags,
          summary: 'The EPC QR code of a bank-transfer payment, for the payer’s banking app',
          security: [],
          params: LinkPaymentParams,
          querystring: { type: 'object', properties: { format: { type: 'string', enum: ['png', 'svg'] } }, additionalProperties: false },
          produces: ['image/png', 'image/svg+xml'],
          response: { 200: { description: 'The EPC QR code', content: { 'image/png': { schema: Type.String({ format: 'binary' }) }, 'image/svg+xml': { schema: Type.String({ format: 'binary' }) } } }, ...problems(404) },
        },
      },
      async (request, reply) => {
        const { linkId, paymentId } = request.params;
        await d.core.payments.recordForLink(linkId, paymentId);
        const payload = await d.core.bank.epcPayload(paymentId);
        reply.header('Cache-Control', 'no-store');
        if ((request.query as { format?: string }).format === 'svg') return reply.type('image/svg+xml').send(await qrSvg(payload, 320));
        return reply.type('image/png').send(await qrPng(payload, 320));
      },
    );

    // --- the simulator ------------------------------------------------------------------------

    app.get(
      '/sim/checkout/:paymentId',
      { schema: { hide: true, params: PaymentParams, querystring: { type: 'object', properties: { locale: { type: 'string', maxLength: 35 } } } }, config: html },
      async (request, reply) => {
        const s = await simPayment(d, reply, request.params.paymentId, (request.query as { locale?: string }).locale);
        if (!s) return reply;
        return await sendSimPage(d, reply, 200, s);
      },
    );

    app.post(
      '/sim/checkout/:paymentId',
      {
        schema: {
          tags,
          summary: 'Decide a simulator payment (TEST only)',
          description: 'JSON: 200 with the payment. A form post gets 303 to the result page. 409 when the payment is no longer pending.',
          security: [],
          params: PaymentParams,
          body: {
            content: {
              'application/json': { schema: SimOutcomeBody },
              'application/x-www-form-urlencoded': { schema: FormBody },
            },
          },
          response: { 200: PaymentResponse, 303: seeOther('Form post: on to the result page'), ...htmlOrProblems(404, 409, 422) },
        },
      },
      async (request, reply) => {
        const { paymentId } = request.params;
        if (!isForm(request)) {
          const body = request.body as SimOutcomeBody | undefined;
          if (!body || typeof body !== 'object') throw ValidationError.field('outcome', 'is required');
          const p = await d.core.payments.record(paymentId);
          if (p.method !== 'simulator') throw new DomainError('not-found', `No simulator payment with id ${JSON.stringify(paymentId)}.`);
          return { payment: await d.core.payments.complete(paymentId, body.outcome) };
        }

        const form = request.body as FormBody;
        const s = await simPayment(d, reply, paymentId, field(form, 'locale'));
        if (!s) return reply;
        const outcome = field(form, 'outcome');
        if (outcome !== 'succeeded' && outcome !== 'failed' && outcome !== 'abandoned') {
          return await sendSimPage(d, reply, 422, s, translator(s.locale)('error.invalid'));
        }
        try {
          await d.core.payments.complete(paymentId, outcome);
        } catch (err) {
          if (!isDomain(err, 'payment-not-pending')) throw err;
          const fresh = { ...s, payment: await d.core.payments.record(paymentId) };
          const t = translator(s.locale);
          return await sendSimPage(d, reply, 409, fresh, t('sim.notPending', { status: t(`paymentStatus.${fresh.payment.status}`) }));
        }
        return reply.redirect(resultPath(s.locale, s.link.id, paymentId), 303);
      },
    );
  };
}

interface SimPayment {
  payment: PaymentRecord;
  link: LinkRecord;
  locale: Locale;
}

/** A simulator payment and its link; undefined after answering with the 404 page. */
async function simPayment(d: Dialog, reply: FastifyReply, paymentId: string, wanted: string | undefined): Promise<SimPayment | undefined> {
  let payment: PaymentRecord | undefined;
  try {
    payment = await d.core.payments.record(paymentId);
  } catch (err) {
    if (!isDomain(err, 'not-found')) throw err;
  }
  // The simulator exists in test mode only: a live payment has no simulated checkout.
  if (!payment || payment.method !== 'simulator' || payment.livemode) {
    await sendUnavailable(d, reply, 'notFound', await wantedOrDefault(d.core, wanted));
    return undefined;
  }
  const link = await d.core.links.record(payment.linkId);
  return { payment, link, locale: wantedOr(wanted, link.locale) };
}

async function sendSimPage(d: Dialog, reply: FastifyReply, status: number, s: SimPayment, error?: string) {
  return sendHtml(
    reply,
    status,
    createElement(SimCheckoutPage, {
      ctx: await pageContext(d, s.locale, s.link.country),
      payment: s.payment,
      link: s.link,
      resultUrl: resultPath(s.locale, s.link.id, s.payment.id),
      ...(error ? { error } : {}),
    }),
    s.link,
  );
}
