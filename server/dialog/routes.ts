import { createElement } from 'react';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { DomainError, ValidationError } from '../../core/errors';
import { exponentOf, MAX_MAJOR_UNITS, parseAmount } from '../../core/money';
import type { LinkRecord, Locale } from '../../core/links/types';
import type { PaymentRecord } from '../../core/payments/types';
import { publicPaymentView } from '../../core/payments/view';
import type { StartPaymentInput } from '../../core/payments/service';
import { callbackOutcome, callbackTarget } from '../../core/links/callback';
import { CALLBACK_URLS_KEY } from '../../core/webhooks/callback-urls';
import { qrPng, qrSvg } from '../qr';
import { idempotent } from '../http/idempotency';
import { toProblem } from '../http/errors';
import { PROBLEM_STATUS, problem, sendProblem } from '../http/problem';
import { htmlOrProblems, htmlPages, problems, seeOther } from '../schemas/common';
import { startPaymentRateLimit, type DialogRateLimit } from '../http/rate-limits';
import { cancelAction, type PageContext } from './components';
import { amountExample, formatMoney, intlLocale, normaliseAmountInput } from './format';
import { isLocale, LOCALES, localeFromSegment, translator } from './i18n';
import { PayPage, type PayField, type PayFormValues } from './pages/pay';
import { UnavailablePage, UNAVAILABLE_STATUS, type UnavailableKind } from './pages/unavailable';
import { SimCheckoutPage } from './pages/sim';
import { ResultPage } from './pages/result';
import { TransferPage } from './pages/transfer';
import { receiptPdf } from '../pdf/receipt';
import {
  FormBody,
  LinkPaymentParams,
  LinkParams,
  LocaleLinkParams,
  LocaleResultParams,
  PaymentParams,
  PaymentResponse,
  PublicPaymentSchema,
  SimOutcomeBody,
  StartPaymentBody,
  StartPaymentResponse,
} from './schemas';
import { STRIPE_CHECKOUT_ORIGIN, collectData, continuePath, dialogPath, field, injectedOf, isDomain, isForm, loadAsset, nextPath, ownCookie, readCookie, resultPath, seg, sendHtml } from './http';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes answering with HTML pages: their errors become pages, not problem+json. */
    dialogHtml?: boolean;
  }
}


// ---------------------------------------------------------------------------------------------

/**
 * The public customer dialog (API.md, "The customer dialog (public)"): server-rendered pages
 * that work without JavaScript, the JSON endpoints behind them, and the simulator checkout.
 * No auth; link and payment ids are unguessable capabilities. GET never changes state.
 */
export function dialogRoutes(core: Core, options: { rateLimit?: DialogRateLimit | false } = {}): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    // Starting payments: limited per address and per link (server/http/rate-limits.ts).
    const limitStart = await startPaymentRateLimit(base, options.rateLimit);
    const css = loadAsset('dialog.css', 'text/css; charset=utf-8');
    const js = loadAsset('dialog.js', 'text/javascript; charset=utf-8');
    const tags = ['dialog'];
    const html = { dialogHtml: true };

    async function ctxFor(locale: Locale, country?: string | null): Promise<PageContext> {
      const merchant = (await core.settings.readMerchant());
      return {
        locale,
        intl: intlLocale(locale, country ?? merchant.country),
        t: translator(locale),
        merchantName: merchant.merchantName,
        timeZone: merchant.timeZone,
        assets: { css: css.url, js: js.url },
      };
    }

    const defaultLocale = async () => (await core.settings.readMerchant()).defaultLocale;

    /** A page for a link that cannot be paid (or does not exist), with its status code. */
    async function unavailable(
      reply: FastifyReply,
      kind: UnavailableKind,
      locale: Locale,
      link?: LinkRecord,
      data: Record<string, string> = {},
      request?: FastifyRequest,
      status = UNAVAILABLE_STATUS[kind],
    ) {
      const ctx = await ctxFor(locale, link?.country);
      const own = kind === 'locked' && link && request ? await ownPending(request, link, locale) : undefined;
      const languages = link ? Object.fromEntries(LOCALES.map((l) => [l, dialogPath(l, link.id, data)])) : undefined;
      return sendHtml(
        reply,
        status,
        createElement(UnavailablePage, {
          ctx,
          kind,
          now: core.clock.now(),
          ...(link ? { linkName: link.name, lockedUntil: link.lockedUntil, retryUrl: dialogPath(locale, link.id, data) } : {}),
          ...(languages ? { languages } : {}),
          ...(own ? { own } : {}),
        }),
        link,
      );
    }

    /** The pending payment this browser started on a locked link, if the cookie names one. */
    async function ownPending(request: FastifyRequest, link: LinkRecord, locale: Locale) {
      const paymentId = readCookie(request, ownCookie(link.id));
      if (!paymentId || paymentId.length > 100) return undefined;
      let payment: PaymentRecord;
      try {
        payment = await core.payments.recordForLink(link.id, paymentId);
      } catch (err) {
        if (isDomain(err, 'not-found')) return undefined;
        throw err;
      }
      if (payment.status !== 'pending') return undefined;
      return {
        checkoutUrl: continuePath(payment, locale, link.locale),
        cancelAction: link.cancellable ? cancelAction(link.id, payment.id) : null,
      };
    }

    /** Why a link cannot be paid now, or undefined when it can. */
    function blocker(link: LinkRecord): UnavailableKind | undefined {
      if (link.type !== 'payment') return 'notPayable';
      const status = core.links.view(link).status;
      return status === 'enabled' ? undefined : status;
    }

    async function payPage(reply: FastifyReply, status: number, link: LinkRecord, locale: Locale, data: Record<string, string>, values?: PayFormValues, error?: { message: string; field?: PayField }) {
      const remaining = link.totalAmountLimit === null ? null : link.totalAmountLimit - link.usedAmount - link.pendingAmount;
      const limits = [link.perPaymentLimit, remaining].filter((v): v is number => v !== null);
      const methods = await core.payments.methodsForLink(link);
      return sendHtml(
        reply,
        status,
        createElement(PayPage, {
          ctx: await ctxFor(locale, link.country),
          link,
          maxAmount: limits.length ? Math.max(0, Math.min(...limits)) : null,
          data,
          methods,
          tips: await core.payments.tipsForLink(link),
          languages: Object.fromEntries(LOCALES.map((l) => [l, dialogPath(l, link.id, data)])),
          ...(values ? { values } : {}),
          ...(error ? { error } : {}),
        }),
        link,
        methods.includes('stripe') ? [STRIPE_CHECKOUT_ORIGIN] : [],
      );
    }

    /** Loads a link for a page; undefined after answering with the 404 page. */
    async function linkOrNotFound(reply: FastifyReply, linkId: string, locale: Locale): Promise<LinkRecord | undefined> {
      try {
        return await core.links.record(linkId);
      } catch (err) {
        if (!isDomain(err, 'not-found')) throw err;
        await unavailable(reply, 'notFound', locale);
        return undefined;
      }
    }

    // Errors of pages and form posts become pages; JSON keeps the API's problem+json.
    app.setErrorHandler(async (error, request, reply) => {
      const p = toProblem(error);
      if (p.status >= 500) request.log.error({ err: error }, 'unhandled error');
      if (!request.routeOptions.config?.dialogHtml && !isForm(request)) return sendProblem(reply, p);
      const params = (request.params ?? {}) as { locale?: string };
      const body = (isForm(request) ? request.body : undefined) as FormBody | undefined;
      const wanted = field(body, 'locale');
      const locale = localeFromSegment(params.locale) ?? (isLocale(wanted) ? wanted : (await defaultLocale()));
      // A malformed id is as unknown as a missing one; anything else is "something went wrong".
      if (p.status === 404 || p.type === 'validation-error') return await unavailable(reply, 'notFound', locale);
      if (p.type === 'rate-limited') return await unavailable(reply, 'busy', locale);
      return await unavailable(reply, 'error', locale, undefined, {}, undefined, p.status);
    });
    app.addHook('onSend', async (_request, reply) => {
      if (!reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    });

    // --- assets -------------------------------------------------------------------------------

    for (const asset of [css, js]) {
      app.get(
        asset.url.split('?')[0]!,
        { schema: { hide: true, querystring: { type: 'object', properties: { v: { type: 'string' } } } } },
        async (request, reply) => {
          const versioned = (request.query as { v?: string }).v === asset.version;
          return reply
            .header('Cache-Control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
            .header('X-Content-Type-Options', 'nosniff')
            .type(asset.type)
            .send(asset.body);
        },
      );
    }

    // --- the dialog ---------------------------------------------------------------------------

    app.get(
      '/:locale/pay-by-link/:linkId',
      { schema: { hide: true, params: LocaleLinkParams }, config: html },
      async (request, reply) => {
        const segmentLocale = localeFromSegment(request.params.locale);
        const data = collectData(request.query as Record<string, unknown>);
        const link = await linkOrNotFound(reply, request.params.linkId, segmentLocale ?? (await defaultLocale()));
        if (!link) return reply;
        // An unsupported locale segment shows the link in its own language (no redirect, no 404).
        const locale = segmentLocale ?? link.locale;
        const blocked = blocker(link);
        if (blocked) return await unavailable(reply, blocked, locale, link, data, request);
        return await payPage(reply, 200, link, locale, data);
      },
    );

    /** Without a locale: the link's own language. */
    app.get('/pay-by-link/:linkId', { schema: { hide: true, params: LinkParams }, config: html }, async (request, reply) => {
      const link = await linkOrNotFound(reply, request.params.linkId, (await defaultLocale()));
      if (!link) return reply;
      return reply.redirect(dialogPath(link.locale, link.id, collectData(request.query as Record<string, unknown>)), 302);
    });

    // --- start a payment ----------------------------------------------------------------------

    app.post(
      '/pay-by-link/:linkId/payments',
      {
        schema: {
          tags,
          summary: 'Start paying a link (the customer dialog)',
          description:
            'JSON: 201 with the payment and where to send the payer next. A form post (the dialog without JavaScript) gets 303 to the checkout page, or the dialog again with the error.',
          security: [],
          params: LinkParams,
          body: {
            content: {
              'application/json': { schema: StartPaymentBody },
              'application/x-www-form-urlencoded': { schema: FormBody },
            },
          },
          response: { 201: StartPaymentResponse, 303: seeOther('Form post: on to the checkout page'), ...htmlOrProblems(404, 409, 422, 429, 503), ...htmlPages(403, 410, 423) },
        },
        ...(limitStart ? { preValidation: limitStart } : {}),
      },
      async (request, reply) => {
        const { linkId } = request.params;
        if (isForm(request)) return await startFromForm(request, request.body as FormBody, linkId, reply);
        const contentType = request.headers['content-type'];
        if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
          return sendProblem(reply, problem('unsupported-media-type', 415, 'Send application/json or a form post.'));
        }
        const body = (request.body ?? {}) as StartPaymentBody;
        const started = await idempotent(core, request, reply, 201, async (t) => {
          const { locale, ...input } = body;
          const { payment, next } = await core.payments.startIn(t, linkId, input as StartPaymentInput, locale);
          return { payment, next };
        });
        // A provider with its own checkout (Stripe) makes it now, outside the start transaction
        // (a replay finds it made): `next` is then its page.
        if (started.payment.status !== 'pending' || !core.methods.get(started.payment.method)?.open) return started;
        const next = await core.payments.open(started.payment.id, body.locale);
        return { payment: await core.payments.get(started.payment.id), next };
      },
    );

    /** The dialog's own form: 303 to the checkout, or the page again with a localized error. */
    async function startFromForm(request: FastifyRequest, form: FormBody, linkId: string, reply: FastifyReply) {
      const wanted = field(form, 'locale');
      const link = await linkOrNotFound(reply, linkId, isLocale(wanted) ? wanted : (await defaultLocale()));
      if (!link) return reply;
      const locale = isLocale(wanted) ? wanted : link.locale;
      const t = translator(locale);
      const intl = intlLocale(locale, link.country ?? (await core.settings.readMerchant()).country);
      const money = (minor: number) => formatMoney(minor, link.currency, intl);
      const data = collectData(form);
      const values: PayFormValues = {
        amount: (field(form, 'amount') ?? '').slice(0, 40),
        name: (field(form, 'payer[name]') ?? '').trim(),
        email: (field(form, 'payer[email]') ?? '').trim(),
        reference: (field(form, 'reference') ?? '').trim(),
        tip: (field(form, 'tip') ?? 'none').slice(0, 10),
        tipAmount: (field(form, 'tipAmount') ?? '').slice(0, 40),
      };
      const refuse = (status: number, message: string, f?: PayField) => payPage(reply, status, link, locale, data, values, { message, ...(f ? { field: f } : {}) });

      const blocked = blocker(link);
      if (blocked) return await unavailable(reply, blocked, locale, link, data, request);

      let amount: string | undefined;
      if (link.amount === null) {
        const exp = exponentOf(link.currency);
        const example = amountExample(link.currency, intl);
        if (!values.amount!.trim()) return refuse(422, t('error.amountRequired'), 'amount');
        amount = normaliseAmountInput(values.amount!);
        const m = /^(\d+)(?:\.(\d+))?$/.exec(amount);
        if (!m) return refuse(422, t('error.amountInvalid', { example }), 'amount');
        if ((m[2] ?? '').length > exp) return refuse(422, t('error.amountDecimals', { currency: link.currency, count: exp, example }), 'amount');
        if (m[1]!.replace(/^0+/, '').length > String(MAX_MAJOR_UNITS).length || Number(m[1]) > MAX_MAJOR_UNITS) {
          return refuse(422, t('error.amountTooLarge'), 'amount');
        }
      }
      // The tip: a preset percentage (the server works out the amount), an amount of the payer's own, or none.
      let tip: Pick<StartPaymentInput, 'tip' | 'tipPercent'> = {};
      if (values.tip === 'other' && values.tipAmount!.trim()) {
        const text = normaliseAmountInput(values.tipAmount!);
        const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
        if (!m || (m[2] ?? '').length > exponentOf(link.currency)) return refuse(422, t('error.tipInvalid', { example: amountExample(link.currency, intl) }), 'tip');
        tip = { tip: text };
      } else if (values.tip && values.tip !== 'none' && values.tip !== 'other') {
        const percent = Number(values.tip);
        if (!Number.isFinite(percent)) return refuse(422, t('error.tipInvalid', { example: amountExample(link.currency, intl) }), 'tip');
        tip = { tipPercent: percent };
      }
      const input: StartPaymentInput = {
        ...(amount !== undefined ? { amount } : {}),
        ...tip,
        ...(values.reference ? { reference: values.reference } : {}),
        ...(field(form, 'method') ? { method: field(form, 'method') } : {}),
        ...(values.name || values.email ? { payer: { name: values.name || null, email: values.email || null } } : {}),
        data,
      };

      try {
        const { payment, next } = await core.payments.start(link.id, input, locale);
        if (link.reuse === 'single') {
          const maxAge = Math.max(1, Math.ceil(core.config.lockTtlMs / 1000));
          reply.header('Set-Cookie', `${ownCookie(link.id)}=${payment.id}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax`);
        }
        // Redirect steps on our own origin stay relative (the simulator); others go where they say.
        const target = next.type === 'redirect' ? (next.url.startsWith(core.config.baseUrl) ? next.url.slice(core.config.baseUrl.length) : next.url) : nextPath(locale, link.id, payment.id);
        return reply.redirect(target, 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const status = PROBLEM_STATUS[err.type] ?? 409;
        switch (err.type) {
          case 'not-found':
            return await unavailable(reply, 'notFound', locale);
          case 'link-locked':
          case 'link-not-usable': {
            const fresh = await core.links.record(link.id);
            return await unavailable(reply, blocker(fresh) ?? 'notPayable', locale, fresh, data, request);
          }
          case 'validation-error': {
            const errors = err instanceof ValidationError ? err.errors : [];
            const first = errors[0]?.path ?? '';
            if (first === 'amount') return refuse(status, t('error.amountInvalid', { example: amountExample(link.currency, intl) }), 'amount');
            if (first === 'tip') {
              const max = errors[0]!.code === 'tip-too-high' ? errors[0]!.params?.max : undefined;
              return max !== undefined
                ? refuse(status, t('error.tipTooHigh', { max: money(parseAmount(String(max), link.currency)) }), 'tip')
                : refuse(status, t('error.tipInvalid', { example: amountExample(link.currency, intl) }), 'tip');
            }
            if (first === 'payer.email') return refuse(status, t(/at most/.test(errors[0]!.message) ? 'error.tooLong' : 'error.emailInvalid'), 'payer.email');
            if (first === 'payer.name') return refuse(status, t('error.tooLong'), 'payer.name');
            if (first === 'reference') return refuse(status, t('error.tooLong'), 'reference');
            return refuse(status, t('error.invalid'));
          }
          case 'amount-too-low':
            return refuse(status, t('error.amountTooLow', { min: money(link.minAmount ?? 0) }), 'amount');
          case 'per-payment-limit-exceeded':
            return refuse(status, t('error.perPaymentLimit', { max: money(link.perPaymentLimit ?? 0) }), 'amount');
          case 'amount-limit-reached': {
            const fresh = await core.links.record(link.id);
            const left = fresh.totalAmountLimit === null ? null : fresh.totalAmountLimit - fresh.usedAmount - fresh.pendingAmount;
            return left !== null && left > 0
              ? refuse(status, t('error.amountLimit', { remaining: money(left) }), 'amount')
              : refuse(status, t('error.amountLimitNoRemaining'), 'amount');
          }
          case 'usage-limit-reached':
            return refuse(status, t('error.usageLimit'));
          case 'method-unavailable':
            return refuse(status, t('error.methodUnavailable'));
          case 'provider-unavailable':
            return refuse(status, t('error.providerUnavailable'));
          default:
            return refuse(status, t('error.conflict'));
        }
      }
    }

    // --- payment status and the payer's cancel ------------------------------------------------

    app.get(
      '/pay-by-link/:linkId/payments/:paymentId',
      { schema: { tags, summary: 'A payment’s status, as the payer’s browser may see it', security: [], params: LinkPaymentParams, response: { 200: PublicPaymentSchema, ...problems(404) } } },
      async (request) => publicPaymentView(await core.payments.recordForLink(request.params.linkId, request.params.paymentId)),
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
        if (!isForm(request)) return { payment: await core.payments.cancelByPayer(linkId, paymentId) };

        const wanted = field(request.body as FormBody, 'locale');
        const link = await linkOrNotFound(reply, linkId, isLocale(wanted) ? wanted : (await defaultLocale()));
        if (!link) return reply;
        const locale = isLocale(wanted) ? wanted : link.locale;
        try {
          await core.payments.cancelByPayer(linkId, paymentId);
          return reply.redirect(resultPath(locale, linkId, paymentId), 303);
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          if (err.type === 'not-found') return await unavailable(reply, 'notFound', locale);
          const t = translator(locale);
          const message = err.type === 'not-cancellable' ? t('result.cancelRefused.notCancellable') : t('result.cancelRefused.notPending');
          return await resultPage(reply, PROBLEM_STATUS[err.type] ?? 409, link, await core.payments.recordForLink(linkId, paymentId), locale, {
            title: t('result.cancelRefused.title'),
            message,
          });
        }
      },
    );

    /** A payment page's link and payment (and the page's language); undefined after the 404 page. */
    async function linkAndPayment(reply: FastifyReply, localeSegment: string, linkId: string, paymentId: string) {
      const segmentLocale = localeFromSegment(localeSegment);
      const link = await linkOrNotFound(reply, linkId, segmentLocale ?? (await defaultLocale()));
      if (!link) return undefined;
      const locale = segmentLocale ?? link.locale;
      try {
        return { link, locale, payment: await core.payments.recordForLink(linkId, paymentId) };
      } catch (err) {
        if (!isDomain(err, 'not-found')) throw err;
        await unavailable(reply, 'notFound', locale);
        return undefined;
      }
    }

    // --- the next step of a started payment ---------------------------------------------------

    /**
     * Generic: the payment's provider says what the payer does now — go to its page (the
     * simulator, later a PSP), or pay by transfer with the details and the EPC QR shown here.
     */
    app.get(
      '/:locale/pay-by-link/:linkId/next/:paymentId',
      { schema: { hide: true, params: LocaleResultParams }, config: html },
      async (request, reply) => {
        const { linkId, paymentId } = request.params;
        const found = await linkAndPayment(reply, request.params.locale, linkId, paymentId);
        if (!found) return reply;
        const { link, payment, locale } = found;
        if (payment.status !== 'pending') return reply.redirect(resultPath(locale, linkId, paymentId), 303);
        // Stripe: the Checkout Session is made here if it is not yet (a charge started in one transaction).
        const next = await core.payments.open(paymentId, locale);
        if (next.type === 'redirect') return reply.redirect(next.url.startsWith(core.config.baseUrl) ? next.url.slice(core.config.baseUrl.length) : next.url, 303);
        return sendHtml(
          reply,
          200,
          createElement(TransferPage, {
            ctx: await ctxFor(locale, link.country),
            link,
            payment,
            transfer: next,
            statusUrl: `/pay-by-link/${seg(linkId)}/payments/${seg(paymentId)}`,
            resultUrl: resultPath(locale, linkId, paymentId),
            languages: Object.fromEntries(LOCALES.map((l) => [l, nextPath(l, linkId, paymentId)])),
          }),
          link,
        );
      },
    );

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
        await core.payments.recordForLink(linkId, paymentId);
        const payload = await core.bank.epcPayload(paymentId);
        reply.header('Cache-Control', 'no-store');
        if ((request.query as { format?: string }).format === 'svg') return reply.type('image/svg+xml').send(await qrSvg(payload, 320));
        return reply.type('image/png').send(await qrPng(payload, 320));
      },
    );

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
        await core.sweeper.run();
        const receipt = await core.receipts.forPayer(linkId, paymentId);
        return reply
          .type('application/pdf')
          .header('Cache-Control', 'no-store')
          .header('Content-Disposition', `inline; filename="receipt-${receipt.payment.refId}.pdf"`)
          .send(await receiptPdf(receipt));
      },
    );

    // --- the result page ----------------------------------------------------------------------

    async function resultPage(reply: FastifyReply, status: number, link: LinkRecord, payment: PaymentRecord, locale: Locale, notice?: { title: string; message: string }) {
      const payable = blocker(link) === undefined;
      return sendHtml(
        reply,
        status,
        createElement(ResultPage, {
          ctx: await ctxFor(locale, link.country),
          payment,
          link,
          retryUrl: payable ? dialogPath(locale, link.id, injectedOf(payment, link)) : null,
          checkoutUrl: continuePath(payment, locale, link.locale),
          pollUrl: `/pay-by-link/${seg(link.id)}/payments/${seg(payment.id)}`,
          receiptUrl: (await core.receipts.onResultPage()) ? `/pay-by-link/${seg(link.id)}/payments/${seg(payment.id)}/receipt.pdf` : null,
          ...(notice ? { notice } : {}),
        }),
        link,
      );
    }

    app.get(
      '/:locale/pay-by-link/:linkId/result/:paymentId',
      { schema: { hide: true, params: LocaleResultParams }, config: html },
      async (request, reply) => {
        const { linkId, paymentId } = request.params;
        const found = await linkAndPayment(reply, request.params.locale, linkId, paymentId);
        if (!found) return reply;
        const { link, locale } = found;
        // Never trust the redirect alone: a pending payment's provider is asked what became of it
        // (bounded; if it does not answer, the page shows "pending" and polls).
        const payment = found.payment.status === 'pending' ? await core.payments.reconcile(found.payment.id) : found.payment;
        // Back to the merchant: built from the stored link and payment only (core/links/callback.ts),
        // and only to an origin still on settings.callbackUrls; otherwise the page shows the result.
        const outcome = callbackOutcome(payment.status);
        const target = outcome ? callbackTarget(link.callbackUrl, outcome, payment.id, (await core.store.read((t) => core.settings.stored<string[]>(t, CALLBACK_URLS_KEY))) ?? []) : null;
        if (target) return reply.header('Cache-Control', 'no-store').redirect(target, 303);
        return await resultPage(reply, 200, link, payment, locale);
      },
    );

    // --- the simulator ------------------------------------------------------------------------

    /** A simulator payment and its link; undefined after answering with the 404 page. */
    async function simPayment(reply: FastifyReply, paymentId: string, wanted: string | undefined): Promise<{ payment: PaymentRecord; link: LinkRecord; locale: Locale } | undefined> {
      let payment: PaymentRecord | undefined;
      try {
        payment = await core.payments.record(paymentId);
      } catch (err) {
        if (!isDomain(err, 'not-found')) throw err;
      }
      // The simulator exists in test mode only: a live payment has no simulated checkout.
      if (!payment || payment.method !== 'simulator' || payment.livemode) {
        await unavailable(reply, 'notFound', isLocale(wanted) ? wanted : (await defaultLocale()));
        return undefined;
      }
      const link = await core.links.record(payment.linkId);
      return { payment, link, locale: isLocale(wanted) ? wanted : link.locale };
    }

    async function simPage(reply: FastifyReply, status: number, s: { payment: PaymentRecord; link: LinkRecord; locale: Locale }, error?: string) {
      return sendHtml(
        reply,
        status,
        createElement(SimCheckoutPage, {
          ctx: await ctxFor(s.locale, s.link.country),
          payment: s.payment,
          link: s.link,
          resultUrl: resultPath(s.locale, s.link.id, s.payment.id),
          ...(error ? { error } : {}),
        }),
        s.link,
      );
    }

    app.get(
      '/sim/checkout/:paymentId',
      { schema: { hide: true, params: PaymentParams, querystring: { type: 'object', properties: { locale: { type: 'string', maxLength: 35 } } } }, config: html },
      async (request, reply) => {
        const s = await simPayment(reply, request.params.paymentId, (request.query as { locale?: string }).locale);
        if (!s) return reply;
        return await simPage(reply, 200, s);
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
          const p = await core.payments.record(paymentId);
          if (p.method !== 'simulator') throw new DomainError('not-found', `No simulator payment with id ${JSON.stringify(paymentId)}.`);
          return { payment: await core.payments.complete(paymentId, body.outcome) };
        }

        const form = request.body as FormBody;
        const s = await simPayment(reply, paymentId, field(form, 'locale'));
        if (!s) return reply;
        const outcome = field(form, 'outcome');
        if (outcome !== 'succeeded' && outcome !== 'failed' && outcome !== 'abandoned') {
          return await simPage(reply, 422, s, translator(s.locale)('error.invalid'));
        }
        try {
          await core.payments.complete(paymentId, outcome);
        } catch (err) {
          if (!isDomain(err, 'payment-not-pending')) throw err;
          const fresh = { ...s, payment: await core.payments.record(paymentId) };
          const t = translator(s.locale);
          return await simPage(reply, 409, fresh, t('sim.notPending', { status: t(`paymentStatus.${fresh.payment.status}`) }));
        }
        return reply.redirect(resultPath(s.locale, s.link.id, paymentId), 303);
      },
    );
  };
}
