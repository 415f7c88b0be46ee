import type { CoreContext, Tx } from '../context';
import { DomainError, notFound } from '../errors';
import { newId } from '../ids';
import { Checker } from '../validate';
import { generateRefIdBase, looksLikePaymentRefId } from '../refid';
import type { Page, PageQuery, LinkFilter } from '../store/types';
import { applyLinkInput, checkLinkConsistency, checkRefIdBase, type LinkDraft, type LinkInput } from './input';
import { isTerminal, linkStatus } from './status';
import type { LinkRecord } from './types';
import { linkView, type LinkView } from './view';
import type { Sweeper } from '../sweeper';
import type { PaymentTransitions } from '../payments/transitions';
import type { DisplayService } from '../display/service';

/** Fields that may still change on a cancelled, consumed or expired link: descriptive ones only. */
const DESCRIPTIVE_FIELDS = new Set(['name', 'description', 'metadata', 'reference']);

export class LinksService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly sweeper: Sweeper,
    private readonly transitions: PaymentTransitions,
    private readonly display: DisplayService,
  ) {}

  view(link: LinkRecord): LinkView {
    return linkView(link, this.ctx.clock.now(), this.ctx.config.baseUrl);
  }

  /** The stored link, after timeouts are applied. Throws not-found. */
  async record(id: string): Promise<LinkRecord> {
    await this.sweeper.run();
    const link = await this.ctx.store.read((t) => t.links.get(id));
    if (!link) throw notFound('link', id);
    return link;
  }

  async get(id: string): Promise<LinkView> {
    return this.view(await this.record(id));
  }

  async list(filter: Omit<LinkFilter, 'now'>, page: PageQuery): Promise<Page<LinkView>> {
    await this.sweeper.run();
    const result = await this.ctx.store.read((t) => t.links.list({ ...filter, now: this.ctx.clock.now() }, page));
    return { data: result.data.map((l) => this.view(l)), nextCursor: result.nextCursor };
  }

  /** Creates a link in one transaction (validation, refId base claim, insert, event). */
  create(input: LinkInput): Promise<LinkView> {
    return this.ctx.store.tx((t) => this.createIn(t, input));
  }

  /** `create` inside the caller's transaction (a charge creates and shows its link at once). */
  async createIn(t: Tx, input: LinkInput): Promise<LinkView> {
    const { clock, events, settings } = this.ctx;
    const merchant = await settings.merchant(t);
    const now = clock.now();
    const c = new Checker();

    let pointOfSaleId: string;
    let posCurrency = merchant.defaultCurrency;
    if (input.pointOfSaleId !== undefined) {
      const pos = typeof input.pointOfSaleId === 'string' ? await t.pointsOfSale.get(input.pointOfSaleId) : undefined;
      if (!pos) c.fail('pointOfSaleId', 'no point of sale with this id');
      pointOfSaleId = pos?.id ?? '';
      posCurrency = pos?.currency ?? posCurrency;
    } else {
      const pos = await t.pointsOfSale.default();
      if (!pos) throw new Error('No default point of sale: the store was not initialised.');
      pointOfSaleId = pos.id;
      posCurrency = pos.currency;
    }

    const draft: LinkDraft = {
      type: 'payment',
      name: '',
      description: null,
      pointOfSaleId,
      amount: null,
      currency: posCurrency,
      minAmount: null,
      reuse: 'single',
      maxUses: null,
      perPaymentLimit: null,
      totalAmountLimit: null,
      expiresAt: null,
      locale: merchant.defaultLocale,
      country: merchant.country,
      metadata: {},
      reference: null,
      cancellable: true,
      callbackUrl: null,
      lineItems: null,
      enabled: true,
    };
    const callbackUrls = (await settings.stored<string[]>(t, 'callbackUrls')) ?? [];
    applyLinkInput(c, draft, input, { now, timeZone: merchant.timeZone, callbackUrls }, true);
    const wantedBase = input.refIdBase === undefined || input.refIdBase === null ? undefined : checkRefIdBase(c, input.refIdBase);
    c.throwIfAny();
    checkLinkConsistency(c, draft);
    c.throwIfAny();

    {
      const refIdBase = await this.claimRefIdBase(t, wantedBase);
      const link: Omit<LinkRecord, 'seq' | 'lockedUntil'> = {
        ...draft,
        id: newId('pl'),
        refIdBase,
        cancelledAt: null,
        expiredNotedAt: null,
        usedCount: 0,
        usedAmount: 0,
        pendingCount: 0,
        pendingAmount: 0,
        paymentCount: 0,
        nextRefSeq: 1,
        createdAt: now,
        updatedAt: now,
      };
      await t.links.insert(link);
      const view = this.view((await t.links.get(link.id))!);
      events.append(t, 'link.created', view);
      return view;
    }
  }

  /**
   * A base is unique across links and payments: it may not be taken, nor be a refId that an
   * existing link's payments could reach (BASE-XXXX); payment refIds skip any that a base took.
   */
  private async claimRefIdBase(t: Tx, wanted: string | undefined): Promise<string> {
    if (wanted !== undefined) {
      const shaped = looksLikePaymentRefId(wanted);
      const reservedByLink = shaped !== undefined && (await t.refIds.exists(shaped.base));
      if (reservedByLink || !(await t.refIds.claim(wanted))) {
        throw new DomainError('ref-id-conflict', `refIdBase ${JSON.stringify(wanted)} is already used by another link or payment.`);
      }
      return wanted;
    }
    for (;;) {
      const base = generateRefIdBase();
      if (await t.refIds.claim(base)) return base;
    }
  }

  async update(id: string, patch: LinkInput): Promise<LinkView> {
    const { store, clock, events, settings } = this.ctx;
    await this.sweeper.run();
    return store.tx(async (t) => {
      await t.links.lock(id);
      const link = await t.links.get(id);
      if (!link) throw notFound('link', id);
      const now = clock.now();
      const status = linkStatus(link, now);
      const fields = Object.keys(patch).filter((k) => patch[k] !== undefined);
      const c = new Checker();
      for (const f of fields) {
        if (!['name', 'description', 'enabled', 'expiresAt', 'expiresOn', 'expiresInMinutes', 'maxUses', 'perPaymentAmountLimit', 'totalAmountLimit', 'metadata', 'locale', 'country', 'reference', 'callbackUrl', 'cancellable', 'amount', 'currency', 'minAmount', 'lineItems'].includes(f)) {
          c.fail(f, 'cannot be changed after creation');
        }
      }
      c.throwIfAny();
      if (isTerminal(status) && fields.some((f) => !DESCRIPTIVE_FIELDS.has(f))) {
        throw new DomainError('link-not-usable', `The link is ${status}; only its name, description, reference and metadata can change.`, {
          linkStatus: status,
        });
      }
      if (link.paymentCount > 0 && fields.some((f) => ['amount', 'currency', 'minAmount', 'lineItems'].includes(f))) {
        throw new DomainError('link-has-payments', 'The amount and currency of a link cannot change once it has payments.');
      }
      const draft: LinkDraft = { ...link };
      const { timeZone } = await settings.merchant(t);
      const callbackUrls = (await settings.stored<string[]>(t, 'callbackUrls')) ?? [];
      applyLinkInput(c, draft, patch, { now, timeZone, callbackUrls }, false);
      c.throwIfAny();
      checkLinkConsistency(c, draft);
      c.throwIfAny();

      const updated: LinkRecord = { ...link, ...draft, updatedAt: now };
      // A new expiry means a new chance to be noted as expired.
      if (updated.expiresAt !== link.expiresAt) updated.expiredNotedAt = null;
      await t.links.updateFields(updated);
      const view = this.view((await t.links.get(id))!);
      events.append(t, 'link.updated', view);
      if (updated.enabled !== link.enabled) events.append(t, updated.enabled ? 'link.enabled' : 'link.disabled', view);
      return view;
    });
  }

  /**
   * Cancels a link and any payment in progress on it, in one transaction. Cancelling twice is
   * fine; cancelling what already ended (consumed, expired, limit reached) is refused.
   */
  async cancel(id: string): Promise<LinkView> {
    const { store, clock, events } = this.ctx;
    await this.sweeper.run();
    return store.tx(async (t) => {
      await t.links.lock(id);
      const link = await t.links.get(id);
      if (!link) throw notFound('link', id);
      const now = clock.now();
      const status = linkStatus(link, now);
      if (status === 'cancelled') return this.view(link);
      if (!['enabled', 'disabled', 'locked'].includes(status)) {
        throw new DomainError('link-not-usable', `A link that is ${status} cannot be cancelled.`, { linkStatus: status });
      }
      for (const p of await t.payments.pendingForLink(id)) await this.transitions.finish(t, p.id, 'cancelled');
      if (!(await t.links.cancel(id, now))) throw new DomainError('conflict', 'The link changed while cancelling; try again.');
      const view = this.view((await t.links.get(id))!);
      events.append(t, 'link.cancelled', view);
      await this.display.onLinkClosed(t, id);
      return view;
    });
  }
}
