import type { SendMailOptions } from 'nodemailer';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { CoreContext, Tx } from '../context';
import { DomainError, notFound } from '../errors';
import { newId, randomString, sha256Hex } from '../ids';
import { Checker } from '../validate';
import { enqueue, OutboxWorker } from '../outbox/outbox';
import { DEFAULT_RETRY_SCHEDULE } from '../outbox/schedule';
import type { DeliveryResult, OutboxHandler, OutboxMessage } from '../outbox/types';
import type { Page, PageQuery } from '../store/types';
import { isPayable, linkStatus } from '../links/status';
import { linkUrl } from '../links/view';
import { LOCALES, type LinkRecord, type Locale } from '../links/types';
import type { LinksService } from '../links/service';
import { formatAmount } from '../money';
import { MessagingConfig, type MessagingEnv, type SmsGatewayConfig, type SmtpConfig } from './config';
import { normaliseEmail, normalisePhone } from './addresses';
import { ensureLinkReference, linkTransferDetails } from '../banking/link-transfer';
import { composeEmail, composeSmsText, previewEmailHtml, type ComposeInput } from './compose';
import { buildRawEmail, SmtpSender, sendViaGateway, TRANSPORT_TIMEOUT_MS, writeFileAtomic } from './transports';
import { notificationView, type NotificationView } from './view';
import type { PaymentRecord } from '../payments/types';
import type { Receipt, ReceiptsService } from '../receipts/service';
import { composeReceiptEmail, type ReceiptEmailInput } from './receipt-email';
import { CHANNELS, type Channel, type NotificationFilter, type NotificationPayload, type NotificationRecord, type Transport } from './types';

export const SEND_RATE_LIMIT = { count: 10, windowMs: 3_600_000 } as const;
const MESSAGE_MAX = { email: 1000, sms: 300 } as const;

export interface SendInput {
  channel?: unknown;
  to?: unknown;
  locale?: unknown;
  message?: unknown;
}

export interface NotificationsOptions {
  env?: MessagingEnv;
  /** Where messages go when no SMTP server / SMS gateway is configured: {dataDir}/outbox. */
  outboxDir: string;
  /** The receipt PDF (server/pdf/receipt.ts, passed in by the server: core makes no PDFs itself). */
  receiptPdf?: (receipt: Receipt) => Promise<Buffer>;
}

export interface MessageReport {
  from: string | null;
  to: string | null;
  currency: string;
  email: { count: number; cost: string };
  sms: { count: number; cost: string };
  total: { count: number; cost: string };
  /** Messages priced in an earlier billing currency, kept apart instead of being mixed in. */
  otherCurrencies: { currency: string; channel: Channel; count: number; cost: string }[];
}

export type MessageFormat = 'html' | 'eml' | 'text' | 'json';

/** Delivery-report vocabularies of common gateways, mapped onto ours. */
const DELIVERED = new Set(['delivered', 'delivrd', 'delivered_to_handset', 'read']);
const FAILED = new Set(['failed', 'undelivered', 'undeliv', 'undeliverable', 'rejected', 'rejectd', 'expired', 'expird', 'deleted', 'error']);

/**
 * Email and SMS carrying links, over the shared outbox. `send` validates and enqueues in one
 * transaction; the workers render and deliver (the content is built at delivery time from the
 * link as it is then), record each attempt, and retry on the schedule.
 */
export class NotificationsService {
  readonly config: MessagingConfig;
  readonly workers: OutboxWorker<NotificationPayload>[];
  private readonly smtp = new SmtpSender();
  /** The delivery-report secret of an attempt, from its claim to its delivery; only the hash is stored. */
  private readonly secrets = new WeakMap<OutboxMessage<NotificationPayload>, string>();
  private readonly outboxDir: string;
  private readonly receiptPdf: NotificationsOptions['receiptPdf'];

  constructor(
    private readonly ctx: CoreContext,
    private readonly links: LinksService,
    private readonly receipts: ReceiptsService,
    options: NotificationsOptions,
  ) {
    this.outboxDir = options.outboxDir;
    this.receiptPdf = options.receiptPdf;
    this.config = new MessagingConfig(ctx.store, ctx.settings, options.env ?? {}, () => ctx.config.baseUrl);
    for (const section of this.config.sections()) ctx.settings.register(section);
    const retrySchedule = ctx.config.retrySchedule ?? DEFAULT_RETRY_SCHEDULE;
    // Look for due retries about as often as the shortest delay (tests use 50 ms), at most every second.
    const pollMs = Math.max(20, Math.min(1000, Math.min(...retrySchedule.map((s) => s * 1000), 1000)));
    this.workers = CHANNELS.map(
      (channel) => new OutboxWorker(ctx, this.handler(channel), { retrySchedule, pollMs, leaseMs: TRANSPORT_TIMEOUT_MS * 3, concurrency: 4 }),
    );
  }

  // ---- API -------------------------------------------------------------------------------

  view(n: NotificationRecord): NotificationView {
    return notificationView(n);
  }

  async get(id: string): Promise<NotificationView> {
    return this.view(await this.ctx.store.read((t) => this.record(t, id)));
  }

  async list(filter: NotificationFilter, page: PageQuery): Promise<Page<NotificationView>> {
    const result = await this.ctx.store.read((t) => t.notifications.list(filter, page));
    return { data: result.data.map((n) => this.view(n)), nextCursor: result.nextCursor };
  }

  /**
   * Queues one message with the link to one recipient. Refusals (unknown link, bad address,
   * unpayable link, rate limit) leave nothing behind. Accepted sends count towards the limit.
   */
  async send(linkId: string, input: SendInput): Promise<NotificationView> {
    await this.links.record(linkId); // applies timeouts; 404 for an unknown link
    return this.ctx.store.tx((t) => this.sendIn(t, linkId, input));
  }

  /**
   * `send` inside the caller's transaction (e.g. an Idempotency-Key's). Timeouts are not applied
   * here: a caller that wants them calls `links.record` before opening the transaction.
   */
  async sendIn(t: Tx, linkId: string, input: SendInput): Promise<NotificationView> {
    const { clock, settings } = this.ctx;
    // Held to commit: two sends of one link cannot both pass the rate limit, nor race a cancel.
    await t.links.lock(linkId);
    const now = clock.now();
    const link = await t.links.get(linkId);
    if (!link) throw notFound('link', linkId);
    const c = new Checker();
    const channel = CHANNELS.includes(input.channel as Channel) ? (input.channel as Channel) : c.fail('channel', `must be one of ${CHANNELS.join(', ')}`);
    let recipient: string | undefined;
    if (typeof input.to !== 'string' || input.to.trim() === '') c.fail('to', 'is required');
    else if (channel === 'email') recipient = normaliseEmail(input.to) ?? c.fail('to', 'is not a valid email address');
    else if (channel === 'sms') {
      const phone = normalisePhone(input.to, link.country ?? (await settings.merchant(t)).country);
      if (phone.ok) recipient = phone.e164;
      else c.fail('to', phone.reason);
    }
    let locale: Locale = link.locale;
    if (input.locale !== undefined && input.locale !== null) {
      if (LOCALES.includes(input.locale as Locale)) locale = input.locale as Locale;
      else c.fail('locale', `must be one of ${LOCALES.join(', ')}`);
    }
    const message = channel ? c.optionalText(input.message, 'message', MESSAGE_MAX[channel]) : undefined;
    c.throwIfAny();

    const status = linkStatus(link, now);
    if (!isPayable(status)) {
      throw new DomainError('link-not-usable', `The link is ${status}: only enabled or locked links can be sent.`, { linkStatus: status });
    }
    const recent = await t.notifications.createdSince(link.id, now - SEND_RATE_LIMIT.windowMs);
    if (recent.length >= SEND_RATE_LIMIT.count) {
      const frees = recent[recent.length - SEND_RATE_LIMIT.count]! + SEND_RATE_LIMIT.windowMs;
      const retryAfter = Math.max(1, Math.ceil((frees - now) / 1000));
      throw new DomainError('rate-limited', `This link was sent ${SEND_RATE_LIMIT.count} times in the last hour. Try again in ${retryAfter} s.`, { retryAfter });
    }

    // An email of a link that offers bank transfer carries its EPC QR code: the link needs its own reference.
    if (channel === 'email') await ensureLinkReference(this.ctx, t, link);
    return this.queue(t, { kind: 'link', linkId: link.id, paymentId: null, channel: channel!, recipient: recipient!, locale, message: message ?? null });
  }

  /**
   * The receipt email of a payment that just succeeded, inside that transaction (the hook of
   * `PaymentTransitions.finish`): queued when the payer left an email address and the merchant
   * has `receipts.email` on. The conditional finish has one winner, and a unique index on
   * (payment_id) of receipts backs it: one receipt email per payment. Email only, never SMS.
   */
  async queueReceiptIn(t: Tx, payment: PaymentRecord): Promise<NotificationView | undefined> {
    if (!payment.payerEmail) return undefined;
    const recipient = normaliseEmail(payment.payerEmail);
    if (!recipient) return undefined;
    if (!(await this.receipts.options(t)).email) return undefined;
    if ((await t.notifications.list({ kind: 'receipt', paymentId: payment.id }, { limit: 1 })).data.length > 0) return undefined;
    const link = (await t.links.get(payment.linkId))!;
    return this.queue(t, { kind: 'receipt', linkId: link.id, paymentId: payment.id, channel: 'email', recipient, locale: link.locale, message: null });
  }

  /** One message into the outbox and its notification row, in the caller's transaction; the worker is woken after commit. */
  private async queue(t: Tx, m: Pick<NotificationRecord, 'kind' | 'linkId' | 'paymentId' | 'channel' | 'recipient' | 'locale' | 'message'>): Promise<NotificationView> {
    const now = this.ctx.clock.now();
    const id = newId('ntf');
    const outbox = await enqueue<NotificationPayload>(this.ctx, t, m.channel, { notificationId: id });
    await t.notifications.insert({
      ...m,
      id,
      status: 'queued',
      attempts: 0,
      lastError: null,
      transport: null,
      cost: null,
      costCurrency: null,
      providerMessageId: null,
      callbackSecretHash: null,
      outboxId: outbox.id,
      file: null,
      nextAttemptAt: outbox.nextAttemptAt,
      createdAt: now,
      updatedAt: now,
      sentAt: null,
      deliveredAt: null,
      failedAt: null,
    });
    const v = this.view((await t.notifications.get(id))!);
    this.ctx.events.append(t, 'notification.queued', v);
    this.kickAfterCommit(t, v.channel);
    return v;
  }

  /** Staff's "retry now": a failed (or still waiting) message is due at once. */
  async retry(id: string): Promise<NotificationView> {
    const { store, clock, events } = this.ctx;
    return store.tx(async (t) => {
      const now = clock.now();
      const n = await this.record(t, id);
      if (n.status !== 'failed' && n.status !== 'queued') {
        throw new DomainError('conflict', `The notification is ${n.status}: only failed or queued notifications can be retried.`, { notificationStatus: n.status });
      }
      const link = (await t.links.get(n.linkId))!;
      const status = linkStatus(link, now);
      // A receipt is sent whatever became of its link; a link is sent only while it can be paid.
      if (n.kind === 'link' && !isPayable(status)) throw new DomainError('link-not-usable', `The link is ${status}: it is not sent any more.`, { linkStatus: status });
      if (!(await t.outbox.requeue(n.outboxId, now))) throw new DomainError('conflict', 'The notification is being sent right now.');
      await t.notifications.change(id, { status: 'queued', nextAttemptAt: now, failedAt: null, updatedAt: now }, ['failed', 'queued']);
      const v = this.view((await t.notifications.get(id))!);
      events.append(t, 'notification.queued', v);
      this.kickAfterCommit(t, v.channel);
      return v;
    });
  }

  /** Messages that reached `sent` in [from, to), per channel, priced as they were when sent. */
  async report(from?: number, to?: number): Promise<MessageReport> {
    const { currency, rows } = await this.ctx.store.read(async (t) => ({
      currency: (await this.config.billing(t)).currency,
      rows: await t.notifications.sentCounts(from, to),
    }));
    const sums = { email: { count: 0, cost: 0 }, sms: { count: 0, cost: 0 } };
    const other: MessageReport['otherCurrencies'] = [];
    for (const r of rows) {
      if (r.currency === null || r.currency === currency) {
        sums[r.channel].count += r.count;
        sums[r.channel].cost += r.cost;
      } else {
        other.push({ currency: r.currency, channel: r.channel, count: r.count, cost: formatAmount(r.cost, r.currency) });
      }
    }
    const money = (minor: number) => formatAmount(minor, currency);
    return {
      from: from === undefined ? null : new Date(from).toISOString(),
      to: to === undefined ? null : new Date(to).toISOString(),
      currency,
      email: { count: sums.email.count, cost: money(sums.email.cost) },
      sms: { count: sums.sms.count, cost: money(sums.sms.cost) },
      total: { count: sums.email.count + sums.sms.count + other.reduce((n, o) => n + o.count, 0), cost: money(sums.email.cost + sums.sms.cost) },
      otherCurrencies: other,
    };
  }

  /**
   * The message for a preview: the .eml as written to the local outbox (or as it would be
   * sent), the HTML with the QR code inline, or the SMS text.
   */
  async messageContent(id: string, format: MessageFormat | undefined): Promise<{ contentType: string; body: string | Buffer; format: MessageFormat }> {
    const { n, input, receipt } = await this.ctx.store.read(async (t) => {
      const n = await this.record(t, id);
      if (n.kind === 'receipt') return { n, input: undefined, receipt: await this.receiptEmailInput(t, n) };
      return { n, input: await this.composeInput(t, n, (await t.links.get(n.linkId))!), receipt: undefined };
    });
    const stored = n.file ? join(this.outboxDir, n.file) : undefined;
    const file = stored && existsSync(stored) ? stored : undefined;
    if (receipt) {
      // The PDF is made when the email is sent; a preview of one not yet sent shows the email without it.
      const { mail, html } = composeReceiptEmail(receipt);
      if (format === 'eml') return { contentType: 'message/rfc822', body: file ? readFileSync(file) : await buildRawEmail(mail), format };
      if (format === 'text') return { contentType: 'text/plain; charset=utf-8', body: mail.text as string, format };
      return { contentType: 'text/html; charset=utf-8', body: html, format: 'html' };
    }
    if (!input) throw new Error('unreachable');
    if (n.channel === 'sms') {
      const text = file ? (JSON.parse(readFileSync(file, 'utf8')) as { text: string }).text : composeSmsText(input);
      if (format === 'json') return { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ to: n.recipient, text }), format };
      return { contentType: 'text/plain; charset=utf-8', body: text, format: 'text' };
    }
    if (format === 'eml') {
      const raw = file ? readFileSync(file) : await buildRawEmail((await composeEmail(input)).mail);
      return { contentType: 'message/rfc822', body: raw, format };
    }
    if (format === 'text') return { contentType: 'text/plain; charset=utf-8', body: (await composeEmail(input)).mail.text as string, format };
    return { contentType: 'text/html; charset=utf-8', body: await previewEmailHtml(input), format: 'html' };
  }

  /**
   * A delivery report from the SMS gateway, authenticated by the per-message secret in its URL.
   * False (-> 404) for an unknown notification or a wrong secret: the two look the same.
   */
  async deliveryReport(id: string, secret: string, report: Record<string, unknown>): Promise<boolean> {
    const { store, clock, events } = this.ctx;
    const n = await store.read((t) => t.notifications.get(id));
    const expected = Buffer.from(n?.callbackSecretHash ?? sha256Hex('no secret'), 'hex');
    const given = Buffer.from(sha256Hex(secret), 'hex');
    const match = timingSafeEqual(expected, given);
    if (!n || n.channel !== 'sms' || n.callbackSecretHash === null || !match) return false;

    const raw = [report.status, report.MessageStatus, report.state, report.stat].find((v) => typeof v === 'string') as string | undefined;
    const status = raw?.trim().toLowerCase();
    const detail = [report.error, report.errorMessage, report.ErrorMessage, report.errorCode, report.ErrorCode, report.err]
      .filter((v) => typeof v === 'string' || typeof v === 'number')
      .map(String)[0];
    if (!status || (!DELIVERED.has(status) && !FAILED.has(status))) return true; // progress reports (sent, queued…): nothing to record
    await store.tx(async (t) => {
      const now = clock.now();
      const changed = DELIVERED.has(status)
        ? await t.notifications.change(id, { status: 'delivered', deliveredAt: now, updatedAt: now }, ['sent', 'sending'])
        : await t.notifications.change(
            id,
            { status: 'failed', failedAt: now, updatedAt: now, lastError: `Delivery report: ${status}${detail ? ` (${detail.slice(0, 200)})` : ''}` },
            ['sent', 'sending'],
          );
      if (changed) {
        const v = this.view((await t.notifications.get(id))!);
        events.append(t, v.status === 'delivered' ? 'notification.delivered' : 'notification.failed', v);
      }
    });
    return true;
  }

  /** For tests and shutdown: resolves when no message is due or in flight. */
  async idle(timeoutMs?: number): Promise<void> {
    await Promise.all(this.workers.map((w) => w.idle(timeoutMs)));
  }

  close(): void {
    this.smtp.close();
  }

  // ---- delivery ---------------------------------------------------------------------------

  private async record(t: Tx, id: string): Promise<NotificationRecord> {
    const n = await t.notifications.get(id);
    if (!n) throw notFound('notification', id);
    return n;
  }

  /** Wakes the channel's worker once the message is committed (never for a rolled-back send). */
  private kickAfterCommit(t: Tx, channel: Channel): void {
    t.afterCommit(() => this.workers.find((w) => w.kind === channel)?.kick());
  }

  /** What the receipt email needs, read in one transaction (the PDF is made outside it). */
  private async receiptEmailInput(t: Tx, n: NotificationRecord): Promise<ReceiptEmailInput & { receipt: Receipt }> {
    const receipt = await this.receipts.receiptIn(t, n.paymentId!);
    const p = (await t.payments.get(n.paymentId!))!;
    return {
      notificationId: n.id,
      merchant: receipt.merchant,
      locale: n.locale,
      to: n.recipient,
      from: await this.config.mailFrom(t),
      refId: p.refId,
      amount: p.amount,
      currency: p.currency,
      completedAt: p.completedAt!,
      receipt,
    };
  }

  private async composeInput(t: Tx, n: NotificationRecord, link: LinkRecord): Promise<ComposeInput> {
    return {
      notificationId: n.id,
      link,
      url: linkUrl(this.ctx.config.baseUrl, link),
      merchant: await this.ctx.settings.merchant(t),
      locale: n.locale,
      message: n.message,
      to: n.recipient,
      from: await this.config.mailFrom(t),
      bankTransfer: n.channel === 'email' ? await linkTransferDetails(this.ctx, t, link) : undefined,
    };
  }

  private handler(channel: Channel): OutboxHandler<NotificationPayload> {
    const { clock, events } = this.ctx;
    return {
      kind: channel,
      onAttemptStarted: async (t, m) => {
        const now = clock.now();
        let callbackSecretHash: string | undefined;
        if (channel === 'sms') {
          const secret = randomString(32);
          this.secrets.set(m, secret);
          callbackSecretHash = sha256Hex(secret);
        }
        await t.notifications.change(
          m.payload.notificationId,
          { status: 'sending', attempts: m.attempts, updatedAt: now, ...(callbackSecretHash ? { callbackSecretHash } : {}) },
          ['queued', 'sending', 'failed'],
        );
      },
      deliver: (m) => this.deliver(channel, m),
      onSucceeded: async (t, m, result) => {
        const now = clock.now();
        const id = m.payload.notificationId;
        const n = await t.notifications.get(id);
        if (!n) return;
        const billing = await this.config.billing(t);
        const details = {
          transport: (result.info?.transport as Transport | undefined) ?? null,
          providerMessageId: (result.info?.providerMessageId as string | null | undefined) ?? null,
          file: (result.info?.file as string | null | undefined) ?? null,
          cost: channel === 'email' ? billing.emailPrice : billing.smsPrice,
          costCurrency: billing.currency,
          sentAt: now,
          lastError: null,
          nextAttemptAt: null,
          updatedAt: now,
        };
        // A delivery report may already have moved it on (the gateway called back before it answered us).
        if (!(await t.notifications.change(id, { ...details, status: 'sent' }, ['sending']))) await t.notifications.change(id, details);
        events.append(t, 'notification.sent', this.view((await t.notifications.get(id))!));
      },
      onFailed: async (t, m, result, final, next) => {
        const now = clock.now();
        const id = m.payload.notificationId;
        const error = (result.error ?? 'delivery failed').slice(0, 1000);
        const transport = (result.info?.transport as Transport | undefined) ?? undefined;
        const changed = await t.notifications.change(
          id,
          final
            ? { status: 'failed', lastError: error, failedAt: now, nextAttemptAt: null, updatedAt: now, transport }
            : { status: 'queued', lastError: error, nextAttemptAt: next, updatedAt: now, transport },
          ['sending'],
        );
        if (changed && final) events.append(t, 'notification.failed', this.view((await t.notifications.get(id))!));
      },
    };
  }

  /** Reads everything one attempt needs in one read, then does the I/O outside any transaction. */
  private async deliver(channel: Channel, m: OutboxMessage<NotificationPayload>): Promise<DeliveryResult> {
    const receipt = await this.ctx.store.read(async (t) => {
      const n = await t.notifications.get(m.payload.notificationId);
      return n?.kind === 'receipt' ? { n, input: await this.receiptEmailInput(t, n), smtp: await this.config.smtp(t) } : undefined;
    });
    if (receipt) return this.deliverReceipt(receipt.n, receipt.input, receipt.smtp);
    const found = await this.ctx.store.read(async (t) => {
      const n = await t.notifications.get(m.payload.notificationId);
      if (!n) return undefined;
      const link = (await t.links.get(n.linkId))!;
      return {
        n,
        link,
        input: await this.composeInput(t, n, link),
        smtp: channel === 'email' ? await this.config.smtp(t) : null,
        gateway: channel === 'sms' ? await this.config.smsGateway(t) : null,
        sender: channel === 'sms' ? (await this.config.sms(t)).sender : null,
      };
    });
    if (!found) return { ok: false, retryable: false, error: 'notification not found' };
    const { n, link, input } = found;
    const status = linkStatus(link, this.ctx.clock.now());
    // Offline for a while? Then the invoice may have been paid or cancelled meanwhile: don't send a dead link.
    if (!isPayable(status)) return { ok: false, retryable: false, error: `Not sent: the link is ${status}.` };
    return channel === 'email' ? this.deliverEmail(n, input, found.smtp) : this.deliverSms(n, input, found.gateway, found.sender, this.secrets.get(m));
  }

  private async deliverEmail(n: NotificationRecord, input: ComposeInput, smtp: SmtpConfig | null): Promise<DeliveryResult> {
    const { mail } = await composeEmail(input);
    return this.sendEmail(n, mail, smtp);
  }

  private async sendEmail(n: NotificationRecord, mail: SendMailOptions, smtp: SmtpConfig | null): Promise<DeliveryResult> {
    if (smtp) {
      const result = await this.smtp.send(smtp, mail);
      return { ...result, info: { ...result.info, transport: 'smtp' } };
    }
    const file = `email/${n.id}.eml`;
    writeFileAtomic(join(this.outboxDir, 'email'), `${n.id}.eml`, await buildRawEmail(mail));
    return { ok: true, info: { transport: 'local-outbox', file, providerMessageId: mail.messageId ?? null } };
  }

  /** The receipt email with the staff's receipt PDF, made now (refunds so far included). */
  private async deliverReceipt(n: NotificationRecord, input: ReceiptEmailInput & { receipt: Receipt }, smtp: SmtpConfig | null): Promise<DeliveryResult> {
    if (!this.receiptPdf) return { ok: false, retryable: false, error: 'No receipt PDF renderer is configured.' };
    const { mail } = composeReceiptEmail({ ...input, pdf: await this.receiptPdf(input.receipt) });
    return this.sendEmail(n, mail, smtp);
  }

  private async deliverSms(
    n: NotificationRecord,
    input: ComposeInput,
    gateway: SmsGatewayConfig | null,
    sender: string | null,
    secret: string | undefined,
  ): Promise<DeliveryResult> {
    const text = composeSmsText(input);
    if (gateway) {
      if (!secret) return { ok: false, retryable: true, error: 'internal: no callback secret for this attempt', info: { transport: 'sms-gateway' } };
      const statusCallbackUrl = `${gateway.callbackBaseUrl.replace(/\/+$/, '')}/hooks/sms/${n.id}/${secret}`;
      const result = await sendViaGateway(gateway, { to: n.recipient, from: gateway.sender, text, statusCallbackUrl });
      return { ...result, info: { ...result.info, transport: 'sms-gateway' } };
    }
    const file = `sms/${n.id}.json`;
    const body = { id: n.id, to: n.recipient, from: sender, text, linkId: n.linkId, createdAt: new Date(this.ctx.clock.now()).toISOString() };
    writeFileAtomic(join(this.outboxDir, 'sms'), `${n.id}.json`, `${JSON.stringify(body, null, 2)}\n`);
    return { ok: true, info: { transport: 'local-outbox', file } };
  }
}
