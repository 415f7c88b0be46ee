import type { CoreContext, Tx } from '../context';
import { DomainError, notFound } from '../errors';
import { toIso } from '../clock';
import { formatAmount } from '../money';
import { visibleIn, type Mode } from '../mode';
import { SETTINGS_LOCK, type MerchantSettings, type SettingsSection } from '../settings';
import type { Checker } from '../validate';
import type { LineItem, LinkRecord } from '../links/types';
import type { PaymentView } from '../payments/view';
import { paymentViewIn } from '../payments/present';
import { fingerprintOf, newReceiptKey, signReceipt, verifyReceipt, type ReceiptCheck, type StoredReceiptKey } from './signing';

/** Where the private key lives: a settings row no API reads (the `receipts` section shows only the public half). */
const KEY = 'receiptSigningKey';
const OPTIONS = 'receipts';

export interface ReceiptOptions {
  /** The dialog's result page links the payer's receipt (PDF). */
  onResultPage: boolean;
  /** A payer who left an email address gets the receipt by email (default true). */
  email: boolean;
}

export interface PublicKeyView {
  algorithm: 'Ed25519';
  /** The raw 32-byte public key, base64. */
  publicKey: string;
  fingerprint: string;
}

/** Everything a receipt shows, signed. */
export interface Receipt {
  merchant: MerchantSettings;
  payment: PaymentView;
  linkName: string;
  lineItems: (LineItem & { amount: string })[];
  /** What the line items (or the link's amount) come to, without the tip. */
  subtotal: string;
  refunds: { id: string; amount: string; createdAt: string }[];
  /** The QR code's text: facts and the Ed25519 signature. */
  qrText: string;
  fingerprint: string;
}

const RECEIPTABLE = new Set(['succeeded', 'partially_refunded', 'refunded']);

export class ReceiptsService {
  constructor(private readonly ctx: CoreContext) {}

  /** Makes the shop's signing key once (at start; several servers at once make one). */
  async ensureKey(): Promise<void> {
    await this.ctx.store.tx(async (t) => {
      await t.lock(SETTINGS_LOCK);
      if (await t.settings.get<StoredReceiptKey>(KEY)) return;
      await t.settings.set(KEY, newReceiptKey(new Date(this.ctx.clock.now())));
    });
  }

  private async keyIn(t: Tx): Promise<StoredReceiptKey> {
    const key = await t.settings.get<StoredReceiptKey>(KEY);
    if (!key) throw new Error('the receipt signing key is missing (createCore makes it at start)');
    return key;
  }

  publicKey(): Promise<PublicKeyView> {
    return this.ctx.store.read(async (t) => {
      const key = await this.keyIn(t);
      return { algorithm: 'Ed25519', publicKey: key.publicKey, fingerprint: fingerprintOf(key.publicKey) };
    });
  }

  options(t: Tx): Promise<ReceiptOptions> {
    return t.settings.get<ReceiptOptions>(OPTIONS).then((o) => ({ onResultPage: o?.onResultPage === true, email: o?.email !== false }));
  }

  /** Whether the payer's result page offers the receipt. */
  onResultPage(): Promise<boolean> {
    return this.ctx.store.read(async (t) => (await this.options(t)).onResultPage);
  }

  /** Settings section `receipts`: `onResultPage` and `email` to change; the public key and fingerprint to read. */
  section(): SettingsSection {
    return {
      key: OPTIONS,
      read: async (t) => {
        const key = await t.settings.get<StoredReceiptKey>(KEY);
        return { ...(await this.options(t)), algorithm: 'Ed25519', publicKey: key?.publicKey ?? null, fingerprint: key ? fingerprintOf(key.publicKey) : null };
      },
      update: async (t, patch: unknown, c: Checker) => {
        if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return void c.fail(OPTIONS, 'must be an object {onResultPage, email}', 'type', { expected: 'object' });
        const p = patch as Record<string, unknown>;
        const next = await this.options(t);
        for (const k of Object.keys(p)) if (k !== 'onResultPage' && k !== 'email') c.fail(`${OPTIONS}.${k}`, 'is not a known field', 'unknown-field');
        if (p.onResultPage !== undefined) {
          if (typeof p.onResultPage === 'boolean') next.onResultPage = p.onResultPage;
          else c.fail(`${OPTIONS}.onResultPage`, 'must be true or false', 'type', { expected: 'boolean' });
        }
        if (p.email !== undefined) {
          if (typeof p.email === 'boolean') next.email = p.email;
          else c.fail(`${OPTIONS}.email`, 'must be true or false', 'type', { expected: 'boolean' });
        }
        if (c.errors.length === 0) await t.settings.set(OPTIONS, next);
      },
    };
  }

  /** The receipt of a payment the API key's mode may see; 409 payment-not-succeeded unless it was paid. */
  async forPayment(paymentId: string, mode: Mode | undefined): Promise<Receipt> {
    await this.ctx.fresh();
    return this.ctx.store.read(async (t) => {
      const p = await t.payments.get(paymentId);
      if (!p || !visibleIn(p.livemode, mode)) throw notFound('payment', paymentId);
      return this.receiptIn(t, paymentId);
    });
  }

  /** The payer's receipt from the result page: only through its link, only where the merchant offers it. */
  async forPayer(linkId: string, paymentId: string): Promise<Receipt> {
    await this.ctx.fresh();
    return this.ctx.store.read(async (t) => {
      const p = await t.payments.get(paymentId);
      if (!p || p.linkId !== linkId || !(await this.options(t)).onResultPage) throw notFound('payment', paymentId);
      return this.receiptIn(t, paymentId);
    });
  }

  /** The receipt of a paid payment inside the caller's read (the receipt email's attachment); 409 unless paid. */
  async receiptIn(t: Tx, paymentId: string): Promise<Receipt> {
    const p = (await t.payments.get(paymentId))!;
    if (!RECEIPTABLE.has(p.status) || p.completedAt === null) {
      throw new DomainError('payment-not-succeeded', `A ${p.status} payment has no receipt.`, { paymentStatus: p.status });
    }
    const link = (await t.links.get(p.linkId)) as LinkRecord;
    const merchant = await this.ctx.settings.merchant(t);
    const key = await this.keyIn(t);
    const fingerprint = fingerprintOf(key.publicKey);
    const money = (minor: number) => formatAmount(minor, p.currency);
    const base = p.amount - p.tipAmount;
    const items = link.lineItems && link.lineItems.length > 0 ? link.lineItems : [{ name: link.name, quantity: 1, unitAmount: base }];
    const refunds = (await t.reports.refundsOfPayment(p.id)).map((r) => ({ id: r.id, amount: money(r.amount), createdAt: toIso(r.createdAt) }));
    const facts: [string, string][] = [
      ['m', merchant.merchantName],
      ...(merchant.vatId ? ([['v', merchant.vatId]] as [string, string][]) : []),
      ['p', p.id],
      ['r', p.refId],
      ['d', toIso(p.completedAt)],
      ['a', `${money(p.amount)} ${p.currency}`],
      ['t', money(p.tipAmount)],
      ['x', money(p.refundedAmount)],
      ['k', p.method],
      ['f', fingerprint.replace(/ /g, '')],
    ];
    return {
      merchant,
      payment: await paymentViewIn(t, p),
      linkName: link.name,
      lineItems: items.map((i) => ({ ...i, amount: money(i.quantity * i.unitAmount) })),
      subtotal: money(base),
      refunds,
      qrText: signReceipt(facts, key),
      fingerprint,
    };
  }

  /** Checks pasted QR text against this shop's key (the staff UI's "Verify receipt"). */
  verify(text: string): Promise<ReceiptCheck> {
    return this.ctx.store.read(async (t) => verifyReceipt(text, (await this.keyIn(t)).publicKey));
  }
}
