import type { CoreContext, Tx } from '../context';
import { DomainError, notFound } from '../errors';
import { newId } from '../ids';
import { Checker } from '../validate';
import { generateRefIdBase, looksLikePaymentRefId } from '../refid';
import type { Page, PageQuery, LinkFilter } from '../store/types';
import { applyLinkInput, checkLinkConsistency, checkRefIdBase, type LinkDraft, type LinkInput } from './input';
import { isTerminal, linkStatus } from './status';
import { NEW_LINK_STATE, type LinkRecord, type LinkStatus } from './types';
import { linkView, type LinkView } from './view';
import type { PaymentTransitions } from '../payments/transitions';
import type { DisplayService } from '../display/service';
import { isLive, modeOf, visibleIn, type Mode } from '../mode';
import { METHOD_IDS } from '../payments/methods/port';

/** Fields that may still change on a cancelled, consumed or expired link: descriptive ones only. */
const DESCRIPTIVE_FIELDS = new Set(['name', 'description', 'metadata', 'reference']);

export class LinksService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly transitions: PaymentTransitions,
    private readonly display: DisplayService,
  ) {}

  view(link: LinkRecord): LinkView {
    return linkView(link, this.ctx.clock.now(), this.ctx.config.baseUrl);
  }

  /** The link's status now: what `view(link).status` says, without building the rest of the view. */
  status(link: LinkRecord): LinkStatus {
    return linkStatus(link, this.ctx.clock.now());
  }

  /**
   * The stored link, after timeouts are applied. Throws not-found — also for a link of the other
   * mode when `mode` is given (a test key never sees live links, and the other way round).
   */
  async record(id: string, mode?: Mode): Promise<LinkRecord> {
    const link = await this.ctx.freshRead((t) => t.links.get(id));
    if (!link || !visibleIn(link.livemode, mode)) throw notFound('link', id);
    return link;
  }

  async get(id: string, mode?: Mode): Promise<LinkView> {
    return this.view(await this.record(id, mode));
  }

  async list(filter: Omit<LinkFilter, 'now' | 'livemode'>, page: PageQuery, mode?: Mode): Promise<Page<LinkView>> {
    const livemode = mode === undefined ? undefined : isLive(mode);
    const result = await this.ctx.freshRead((t) => t.links.list({ ...filter, livemode, now: this.ctx.clock.now() }, page));
    return { data: result.data.map((l) => this.view(l)), nextCursor: result.nextCursor };
  }

  /** Creates a link in one transaction (validation, refId base claim, insert, event). */
  create(input: LinkInput, mode: Mode = 'test'): Promise<LinkView> {
    return this.ctx.store.tx((t) => this.createIn(t, input, mode));
  }

  /** `create` inside the caller's transaction (a charge creates and shows its link at once). */
  async createIn(t: Tx, input: LinkInput, mode: Mode = 'test'): Promise<LinkView> {
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
    const methods = input.methods === undefined ? ((await t.pointsOfSale.methods(pointOfSaleId)) ?? null) : input.methods;
    c.throwIfAny();
    checkLinkConsistency(c, draft);
    const checkedMethods = this.checkMethods(c, methods, mode, draft.currency, input.methods !== undefined);
    c.throwIfAny();

    {
      const refIdBase = await this.claimRefIdBase(t, wantedBase);
      const link: Omit<LinkRecord, 'seq' | 'lockedUntil'> = {
        ...draft,
        id: newId('pl'),
        refIdBase,
        ...NEW_LINK_STATE,
        livemode: isLive(mode),
        methods: checkedMethods,
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
   * A link's `methods`: known ids, the simulator only in test mode, each for the link's currency
   * (sepa_transfer is EUR only). Defaults inherited from the point of sale (`explicit` false) drop
   * what does not fit instead of refusing the link.
   */
  private checkMethods(c: Checker, value: unknown, mode: Mode, currency: string, explicit: boolean): string[] | null {
    if (value === null || value === undefined) return null;
    if (!Array.isArray(value) || value.length === 0 || value.length > METHOD_IDS.length) {
      if (explicit) c.fail('methods', `must be a non-empty list of payment methods (${METHOD_IDS.join(', ')})`, 'methods-list');
      return null;
    }
    const out: string[] = [];
    value.forEach((m: unknown, i) => {
      const path = `methods[${i}]`;
      const provider = this.ctx.methods.isKnown(m) ? this.ctx.methods.get(m) : undefined;
      let problem: [string, string] | undefined;
      if (!provider) problem = [`is not a payment method (${METHOD_IDS.join(', ')})`, 'method-unknown'];
      else if (!provider.modes.includes(mode)) problem = [`${provider.id} exists in test mode only`, 'method-test-only'];
      else if (provider.currencies !== 'any' && !provider.currencies.includes(currency)) {
        problem = [`${provider.id} takes ${provider.currencies.join(', ')} only, not ${currency}`, 'method-currency'];
      }
      if (problem) {
        if (explicit) c.fail(path, problem[0], problem[1], { method: String(m), currency });
      } else if (!out.includes(provider!.id)) out.push(provider!.id);
    });
    return out.length > 0 ? out : null;
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

  async update(id: string, patch: LinkInput, mode?: Mode): Promise<LinkView> {
    const { store, clock, events, settings } = this.ctx;
    await this.ctx.fresh();
    return store.tx(async (t) => {
      await t.links.lock(id);
      const link = await t.links.get(id);
      if (!link || !visibleIn(link.livemode, mode)) throw notFound('link', id);
      const now = clock.now();
      const status = linkStatus(link, now);
      const fields = Object.keys(patch).filter((k) => patch[k] !== undefined);
      const c = new Checker();
      for (const f of fields) {
        if (!['name', 'description', 'enabled', 'expiresAt', 'expiresOn', 'expiresInMinutes', 'maxUses', 'perPaymentAmountLimit', 'totalAmountLimit', 'metadata', 'locale', 'country', 'reference', 'callbackUrl', 'cancellable', 'amount', 'currency', 'minAmount', 'lineItems', 'methods'].includes(f)) {
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
      const explicit = patch.methods !== undefined || patch.currency !== undefined;
      const methods = this.checkMethods(c, patch.methods !== undefined ? patch.methods : link.methods, modeOf(link.livemode), draft.currency, explicit);
      c.throwIfAny();

      const updated: LinkRecord = { ...link, ...draft, methods, updatedAt: now };
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
  async cancel(id: string, mode?: Mode): Promise<LinkView> {
    const { store, clock, events } = this.ctx;
    await this.ctx.fresh();
    return store.tx(async (t) => {
      await t.links.lock(id);
      const link = await t.links.get(id);
      if (!link || !visibleIn(link.livemode, mode)) throw notFound('link', id);
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
