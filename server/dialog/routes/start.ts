import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DomainError, ValidationError } from '../../../core/errors';
import { exponentOf, parseAmount, readAmount } from '../../../core/money';
import type { LinkRecord, Locale } from '../../../core/links/types';
import type { StartPaymentInput } from '../../../core/payments/service';
import { idempotent } from '../../http/idempotency';
import { PROBLEM_STATUS, problem, sendProblem } from '../../http/problem';
import { htmlOrProblems, htmlPages, seeOther } from '../../schemas/common';
import { startPaymentRateLimit, type DialogRateLimit } from '../../http/rate-limits';
import { amountExample, formatMoney, intlLocale, normaliseAmountInput } from '../format';
import { translator } from '../i18n';
import type { PayField, PayFormValues } from '../pages/pay';
import { FormBody, LinkParams, StartPaymentBody, StartPaymentResponse } from '../../schemas/dialog';
import { collectData, field, isForm, nextPath, ownCookie } from '../http';
import { type Dialog, wantedOrDefault, blocker, relativeToUs, tags, wantedOr } from './context';
import { linkOrNotFound, sendUnavailable } from './unavailable';
import { sendPayPage } from './page';

/** POST start: JSON (the API's problem+json on errors) or the dialog's own form (pages). */
export function startRoutes(d: Dialog, options: { rateLimit?: DialogRateLimit | false }): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    // Starting payments: limited per address and per link (server/http/rate-limits.ts).
    const limitStart = await startPaymentRateLimit(base, options.rateLimit);

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
        if (isForm(request)) return await startFromForm(d, request, request.body as FormBody, linkId, reply);
        const contentType = request.headers['content-type'];
        if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
          return sendProblem(reply, problem('unsupported-media-type', 415, 'Send application/json or a form post.'));
        }
        const body = (request.body ?? {}) as StartPaymentBody;
        const started = await idempotent(d.core, request, reply, 201, async (t) => {
          const { locale, ...input } = body;
          const { payment, next } = await d.core.payments.startIn(t, linkId, input as StartPaymentInput, locale);
          return { payment, next };
        });
        // A provider with its own checkout (Stripe) makes it now, outside the start transaction
        // (a replay finds it made): `next` is then its page.
        if (started.payment.status !== 'pending' || !d.core.methods.get(started.payment.method)?.open) return started;
        const next = await d.core.payments.open(started.payment.id, body.locale);
        return { payment: await d.core.payments.get(started.payment.id), next };
      },
    );
  };
}

/** The pay form's fields as typed (kept to show them again), trimmed and cut to sane lengths. */
function formValues(form: FormBody): PayFormValues {
  return {
    amount: (field(form, 'amount') ?? '').slice(0, 40),
    name: (field(form, 'payer[name]') ?? '').trim(),
    email: (field(form, 'payer[email]') ?? '').trim(),
    reference: (field(form, 'reference') ?? '').trim(),
    tip: (field(form, 'tip') ?? 'none').slice(0, 10),
    tipAmount: (field(form, 'tipAmount') ?? '').slice(0, 40),
  };
}

/** A form's start refused: the pay page again with this message (at this field) and status. */
interface Refusal {
  status: number;
  message: string;
  field?: PayField;
}

/** What the page says about the form's own amount and tip before core is asked; undefined when they read. */
type FormInput = { input: Pick<StartPaymentInput, 'amount' | 'tip' | 'tipPercent'> } | { refusal: Refusal };

function amountAndTip(link: LinkRecord, values: PayFormValues, locale: Locale, intl: string): FormInput {
  const t = translator(locale);
  const refuse = (message: string, f: PayField): FormInput => ({ refusal: { status: 422, message, field: f } });
  const example = () => amountExample(link.currency, intl);
  let amount: string | undefined;
  if (link.amount === null) {
    if (!values.amount!.trim()) return refuse(t('error.amountRequired'), 'amount');
    // Read once, by core's rule (core/money.ts); zero goes on to core, which refuses it.
    amount = normaliseAmountInput(values.amount!);
    const read = readAmount(amount, link.currency);
    if ('mistake' in read) {
      if (read.mistake === 'format') return refuse(t('error.amountInvalid', { example: example() }), 'amount');
      if (read.mistake === 'decimals') return refuse(t('error.amountDecimals', { currency: link.currency, count: exponentOf(link.currency), example: example() }), 'amount');
      if (read.mistake === 'too-large') return refuse(t('error.amountTooLarge'), 'amount');
    }
  }
  // The tip: a preset percentage (the server works out the amount), an amount of the payer's own, or none.
  let tip: Pick<StartPaymentInput, 'tip' | 'tipPercent'> = {};
  if (values.tip === 'other' && values.tipAmount!.trim()) {
    const text = normaliseAmountInput(values.tipAmount!);
    const read = readAmount(text, link.currency);
    if ('mistake' in read && (read.mistake === 'format' || read.mistake === 'decimals')) return refuse(t('error.tipInvalid', { example: example() }), 'tip');
    tip = { tip: text };
  } else if (values.tip && values.tip !== 'none' && values.tip !== 'other') {
    const percent = Number(values.tip);
    if (!Number.isFinite(percent)) return refuse(t('error.tipInvalid', { example: example() }), 'tip');
    tip = { tipPercent: percent };
  }
  return { input: { ...(amount !== undefined ? { amount } : {}), ...tip } };
}

/** The dialog's own form: 303 to the checkout, or the page again with a localized error. */
async function startFromForm(d: Dialog, request: FastifyRequest, form: FormBody, linkId: string, reply: FastifyReply) {
  const wanted = field(form, 'locale');
  const link = await linkOrNotFound(d, reply, linkId, await wantedOrDefault(d.core, wanted));
  if (!link) return reply;
  const locale = wantedOr(wanted, link.locale);
  const intl = intlLocale(locale, link.country ?? (await d.core.settings.readMerchant()).country);
  const data = collectData(form);
  const values = formValues(form);
  const refuse = (r: Refusal) => sendPayPage(d, reply, r.status, link, locale, data, values, { message: r.message, ...(r.field ? { field: r.field } : {}) });

  const blocked = blocker(d.core, link);
  if (blocked) return await sendUnavailable(d, reply, blocked, locale, { link, data, request });

  const read = amountAndTip(link, values, locale, intl);
  if ('refusal' in read) return refuse(read.refusal);
  const input: StartPaymentInput = {
    ...read.input,
    ...(values.reference ? { reference: values.reference } : {}),
    ...(field(form, 'method') ? { method: field(form, 'method') } : {}),
    ...(values.name || values.email ? { payer: { name: values.name || null, email: values.email || null } } : {}),
    data,
  };

  try {
    const { payment, next } = await d.core.payments.start(link.id, input, locale);
    if (link.reuse === 'single') {
      const maxAge = Math.max(1, Math.ceil(d.core.config.lockTtlMs / 1000));
      reply.header('Set-Cookie', `${ownCookie(link.id)}=${payment.id}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax`);
    }
    return reply.redirect(next.type === 'redirect' ? relativeToUs(d.core, next.url) : nextPath(locale, link.id, payment.id), 303);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    switch (err.type) {
      case 'not-found':
        return await sendUnavailable(d, reply, 'notFound', locale);
      case 'link-locked':
      case 'link-not-usable': {
        const fresh = await d.core.links.record(link.id);
        return await sendUnavailable(d, reply, blocker(d.core, fresh) ?? 'notPayable', locale, { link: fresh, data, request });
      }
      default:
        return refuse(await refusalOf(d, err, link, locale, intl));
    }
  }
}

/** Core refused the start: what the pay page tells the payer, in their language. */
async function refusalOf(d: Dialog, err: DomainError, link: LinkRecord, locale: Locale, intl: string): Promise<Refusal> {
  const t = translator(locale);
  const status = PROBLEM_STATUS[err.type] ?? 409;
  const money = (minor: number) => formatMoney(minor, link.currency, intl);
  const at = (message: string, f?: PayField): Refusal => ({ status, message, ...(f ? { field: f } : {}) });
  switch (err.type) {
    case 'validation-error': {
      const errors = err instanceof ValidationError ? err.errors : [];
      const first = errors[0]?.path ?? '';
      if (first === 'amount') return at(t('error.amountInvalid', { example: amountExample(link.currency, intl) }), 'amount');
      if (first === 'tip') {
        const max = errors[0]!.code === 'tip-too-high' ? errors[0]!.params?.max : undefined;
        return max !== undefined
          ? at(t('error.tipTooHigh', { max: money(parseAmount(String(max), link.currency)) }), 'tip')
          : at(t('error.tipInvalid', { example: amountExample(link.currency, intl) }), 'tip');
      }
      if (first === 'payer.email') return at(t(/at most/.test(errors[0]!.message) ? 'error.tooLong' : 'error.emailInvalid'), 'payer.email');
      if (first === 'payer.name') return at(t('error.tooLong'), 'payer.name');
      if (first === 'reference') return at(t('error.tooLong'), 'reference');
      return at(t('error.invalid'));
    }
    case 'amount-too-low':
      return at(t('error.amountTooLow', { min: money(link.minAmount ?? 0) }), 'amount');
    case 'per-payment-limit-exceeded':
      return at(t('error.perPaymentLimit', { max: money(link.perPaymentLimit ?? 0) }), 'amount');
    case 'amount-limit-reached': {
      const fresh = await d.core.links.record(link.id);
      const left = fresh.totalAmountLimit === null ? null : fresh.totalAmountLimit - fresh.usedAmount - fresh.pendingAmount;
      return left !== null && left > 0 ? at(t('error.amountLimit', { remaining: money(left) }), 'amount') : at(t('error.amountLimitNoRemaining'), 'amount');
    }
    case 'usage-limit-reached':
      return at(t('error.usageLimit'));
    case 'method-unavailable':
      return at(t('error.methodUnavailable'));
    case 'provider-unavailable':
      return at(t('error.providerUnavailable'));
    default:
      return at(t('error.conflict'));
  }
}
