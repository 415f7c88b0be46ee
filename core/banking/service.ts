import type { Actor } from '../authorization';
import type { CoreContext, Tx } from '../context';
import { DomainError, notFound, ValidationError } from '../errors';
import { newId } from '../ids';
import { formatAmount, parseAmount } from '../money';
import { isLive, visibleIn, type Mode } from '../mode';
import { toIso } from '../clock';
import type { PaymentTransitions } from '../payments/transitions';
import type { PaymentsService } from '../payments/service';
import { linkStatus } from '../links/status';
import type { PaymentRecord } from '../payments/types';
import { paymentViewIn } from '../payments/present';
import type { PaymentView } from '../payments/view';
import type { Page, PageQuery } from '../store/types';
import type { BankCreditRecord, BankStatementRecord } from '../store/repos/bank';
import { parseStatement, statementAccountIban, type ParsedStatement } from './camt';
import { StatementError } from './statement-error';
import { matchStatement, type MatchCandidate } from './match';
import { normaliseCreditorReference } from './creditor-reference';
import { buildEpcQrPayload } from './epc-qr';
import { bankTransferSettings } from './settings';

/** Prefix of a match candidate that is a link's own reference, not yet a payment. */
const LINK_CANDIDATE = 'link:';

export interface StatementImport {
  id: string;
  livemode: boolean;
  kind: string;
  messageId: string | null;
  account: string | null;
  credits: number;
  matched: { creditId: string; paymentId: string; amount: string }[];
  unmatched: { creditId: string; amount: string; reason: string }[];
  duplicates: number;
  warnings: string[];
  importedAt: string;
}

export interface BankStatementView {
  id: string;
  livemode: boolean;
  kind: string;
  messageId: string | null;
  account: string | null;
  credits: number;
  matched: number;
  unmatched: number;
  duplicates: number;
  importedAt: string;
}

export interface BankCreditView {
  id: string;
  livemode: boolean;
  statementId: string;
  amount: string;
  currency: string;
  bookedOn: string | null;
  debtorName: string | null;
  debtorIban: string | null;
  reference: string | null;
  remittance: string | null;
  status: 'matched' | 'unmatched';
  reason: string | null;
  paymentId: string | null;
  reversed: boolean;
  createdAt: string;
}

const statementView = (s: BankStatementRecord): BankStatementView => ({
  id: s.id,
  livemode: s.livemode,
  kind: s.kind,
  messageId: s.messageId,
  account: s.account,
  credits: s.credits,
  matched: s.matched,
  unmatched: s.unmatched,
  duplicates: s.duplicates,
  importedAt: toIso(s.importedAt),
});

export const creditView = (c: BankCreditRecord): BankCreditView => ({
  id: c.id,
  livemode: c.livemode,
  statementId: c.statementId,
  amount: formatAmount(c.amount, c.currency),
  currency: c.currency,
  bookedOn: c.bookedOn,
  debtorName: c.debtorName,
  debtorIban: c.debtorIban,
  reference: c.reference,
  remittance: c.remittance,
  status: c.status,
  reason: c.reason,
  paymentId: c.paymentId,
  reversed: c.reversed,
  createdAt: toIso(c.createdAt),
});

/**
 * SEPA transfers, confirmed by the only evidence that counts: staff who saw the money, or the
 * bank's own statement. A statement import is one transaction: every credit it brings, every
 * payment it settles and every event, or nothing.
 */
export class BankService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly transitions: PaymentTransitions,
    private readonly payments: Pick<PaymentsService, 'startIn'>,
  ) {}

  /** The EPC069-12 payload of a transfer payment (for its QR code). */
  async epcPayload(paymentId: string, mode?: Mode): Promise<string> {
    return this.ctx.store.read(async (t) => {
      const p = await t.payments.get(paymentId);
      const transfer = p && visibleIn(p.livemode, mode) ? await t.bank.transfer(p.id) : undefined;
      if (!p || !transfer) throw notFound('bank transfer payment', paymentId);
      const r = buildEpcQrPayload({
        accountHolder: transfer.accountHolder,
        iban: transfer.iban,
        bic: transfer.bic ?? undefined,
        amount: p.amount,
        creditorReference: transfer.creditorReference,
        note: p.refId,
      });
      if (!r.ok) throw new DomainError('conflict', `The bank details cannot make an EPC QR code: ${r.errors.map((e) => e.detail).join('; ')}`);
      return r.payload;
    });
  }

  /** Staff saw the money arrive: the payment succeeds (`source: staff`). */
  async confirmTransfer(paymentId: string, rawAmount: unknown, mode?: Mode, actor?: Actor): Promise<PaymentView> {
    const { store } = this.ctx;
    return store.tx(async (t) => {
      this.ctx.events.actAs(t, actor);
      const p = await t.payments.get(paymentId);
      if (!p || !visibleIn(p.livemode, mode)) throw notFound('payment', paymentId);
      if (p.method !== 'sepa_transfer') throw new DomainError('method-mismatch', `This payment is paid by ${p.method}, not by bank transfer.`, { method: p.method });
      await t.links.lock(p.linkId);
      const fresh = (await t.payments.get(paymentId))!;
      if (fresh.status !== 'pending') {
        throw new DomainError('payment-not-pending', `The payment is ${fresh.status}, no longer pending.`, { paymentStatus: fresh.status });
      }
      const transfer = (await t.bank.transfer(paymentId))!;
      const due = p.amount - transfer.amountReceived;
      const amount = rawAmount === undefined || rawAmount === null ? Math.max(due, 0) : parseAmount(rawAmount, p.currency, 'amount');
      await t.bank.addReceived(paymentId, amount, Math.max(0, amount - Math.max(due, 0)), 'staff');
      await t.bank.setSource(paymentId, 'staff');
      return paymentViewIn(t, await this.transitions.finish(t, paymentId, 'succeeded'));
    });
  }

  /** `POST /bank-statements`: parse, check the account, match and apply — in one transaction. */
  async importStatement(body: string | Uint8Array, mode: Mode): Promise<StatementImport> {
    let parsed: ParsedStatement;
    try {
      parsed = parseStatement(body);
    } catch (err) {
      if (err instanceof StatementError) throw new DomainError('statement-invalid', err.detail ?? err.message, { code: err.code });
      throw err;
    }
    const { store, clock, events } = this.ctx;
    const livemode = isLive(mode);
    return store.tx(async (t) => {
      // One import at a time per mode: two overlapping statements must not both count a credit.
      await t.lock(`bank-import:${mode}`);
      const settings = await bankTransferSettings(this.ctx.settings, t);
      const accounts = parsed.statements.map((s) => statementAccountIban(s.account) ?? null);
      if (!settings.iban) {
        throw new DomainError('statement-account-mismatch', 'No bank account is set up: add the IBAN in settings before importing statements.');
      }
      const foreign = accounts.find((a) => a !== settings.iban);
      if (foreign !== undefined) {
        throw new DomainError('statement-account-mismatch', `This statement is for ${foreign ?? 'an account without an IBAN'}, not the configured account.`, {
          account: foreign,
        });
      }
      const now = clock.now();
      const statementId = newId('stmt');
      const candidate = async (p: PaymentRecord | undefined): Promise<MatchCandidate | undefined> => {
        if (!p || p.method !== 'sepa_transfer' || p.livemode !== livemode) return undefined;
        const transfer = await t.bank.transfer(p.id);
        return transfer && { paymentId: p.id, status: p.status, amount: p.amount, amountReceived: transfer.amountReceived };
      };
      // A link's own reference (quoted by the EPC QR in its email) stands for the link's pending
      // transfer payment, or for one this import starts when its money is matched: a "virtual"
      // candidate until then, so the matcher adds up several credits for it as for any payment.
      const byLinkReference = async (ref: string): Promise<MatchCandidate | undefined> => {
        const linkId = await t.bank.linkByReference(ref);
        const link = linkId === undefined ? undefined : await t.links.get(linkId);
        if (!link || link.livemode !== livemode) return undefined;
        const pending = (await t.payments.pendingForLink(link.id)).find((p) => p.method === 'sepa_transfer');
        if (pending) return candidate(pending);
        const open = linkStatus(link, now) === 'enabled';
        return { paymentId: `${LINK_CANDIDATE}${link.id}`, status: open ? 'pending' : 'closed', amount: link.amount ?? 0, amountReceived: 0 };
      };
      const result = await matchStatement(parsed, {
        byCreditorReference: async (ref) => {
          const normal = normaliseCreditorReference(ref);
          const transfer = await t.bank.transferByReference(normal);
          if (transfer) return candidate(await t.payments.get(transfer.paymentId));
          return byLinkReference(normal);
        },
        byRefId: async (refId) => candidate(await t.payments.byRefId(refId)),
        isImported: (key) => t.bank.creditImported(livemode, key),
      });

      const out: StatementImport = {
        id: statementId,
        livemode,
        kind: parsed.kind,
        messageId: parsed.messageId,
        account: accounts[0] ?? null,
        credits: 0,
        matched: [],
        unmatched: [],
        duplicates: 0,
        warnings: parsed.warnings,
        importedAt: toIso(now),
      };
      await t.bank.insertStatement({
        id: statementId,
        livemode,
        kind: parsed.kind,
        messageId: parsed.messageId,
        account: out.account,
        credits: 0,
        matched: 0,
        unmatched: 0,
        duplicates: 0,
        importedAt: now,
      });
      // Virtual candidates become real payments at their first matched credit (once per import).
      const started = new Map<string, string | null>();
      const realPayment = async (paymentId: string): Promise<string | null> => {
        if (!paymentId.startsWith(LINK_CANDIDATE)) return paymentId;
        if (!started.has(paymentId)) started.set(paymentId, await this.startLinkTransfer(t, paymentId.slice(LINK_CANDIDATE.length), payer));
        return started.get(paymentId)!;
      };
      let payer: string | null = null;
      for (let o of result.credits) {
        if (o.type === 'duplicate') {
          out.duplicates++;
          continue;
        }
        if (o.type === 'matched') {
          payer = o.credit.debtorName;
          const paymentId = await realPayment(o.paymentId);
          // The link could not take the payment after all (a limit, paid meanwhile): the money waits for staff.
          o = paymentId === null ? { type: 'unmatched', credit: o.credit, reason: 'payment-not-pending', reference: o.reference, paymentId: null } : { ...o, paymentId };
        } else if (o.type === 'unmatched' && o.paymentId?.startsWith(LINK_CANDIDATE)) {
          o = { ...o, paymentId: null };
        }
        const credit = o.credit;
        const id = newId('bcr');
        const record: Omit<BankCreditRecord, 'seq'> = {
          id,
          livemode,
          statementId,
          dedupeKey: credit.dedupeKey,
          amount: credit.amount,
          currency: credit.currency,
          bookedOn: credit.bookedOn,
          debtorName: credit.debtorName,
          debtorIban: credit.debtorIban,
          reference: o.reference?.value ?? null,
          remittance: credit.remittance,
          status: o.type === 'matched' ? 'matched' : 'unmatched',
          reason: o.type === 'unmatched' ? (o.reason === 'return' ? 'no-reference' : o.reason) : null,
          paymentId: o.type === 'matched' ? o.paymentId : null,
          reversed: false,
          createdAt: now,
        };
        if (!(await t.bank.insertCredit(record))) {
          out.duplicates++; // the same credit twice in this very file
          continue;
        }
        out.credits++;
        if (o.type === 'matched') {
          await this.applyCredit(t, o.paymentId, credit.amount);
          out.matched.push({ creditId: id, paymentId: o.paymentId, amount: formatAmount(credit.amount, credit.currency) });
        } else {
          out.unmatched.push({ creditId: id, amount: formatAmount(credit.amount, credit.currency), reason: record.reason! });
          events.append(t, 'bank_credit.unmatched', creditView({ ...record, seq: 0 }));
        }
      }
      for (const r of result.reversals) {
        if (r.type !== 'flag') continue;
        const paymentId = await realPayment(r.paymentId);
        if (paymentId !== null && (await t.bank.markReversed(paymentId))) {
          const p = (await t.payments.get(paymentId))!;
          events.append(t, 'payment.transfer_reversed', await paymentViewIn(t, p));
        }
      }
      await t.bank.updateStatementCounts(statementId, out.credits, out.matched.length, out.unmatched.length, out.duplicates);
      events.append(t, 'bank_statement.imported', { ...out });
      return out;
    });
  }

  /**
   * Starts the transfer payment a link's own reference stands for; null when the link cannot
   * take it (used, expired, over a limit). Its refusals are all checked before anything is written.
   */
  private async startLinkTransfer(t: Tx, linkId: string, payerName: string | null): Promise<string | null> {
    try {
      const payer = payerName ? { name: payerName.trim().slice(0, 120) || null } : undefined;
      return (await this.payments.startIn(t, linkId, { method: 'sepa_transfer', payer })).payment.id;
    } catch (err) {
      if (err instanceof DomainError) return null;
      throw err;
    }
  }

  /** Money for a pending transfer: counted, and once it reaches the amount the payment succeeds. */
  private async applyCredit(t: Tx, paymentId: string, amount: number): Promise<void> {
    const p = (await t.payments.get(paymentId))!;
    await t.links.lock(p.linkId);
    const transfer = (await t.bank.transfer(paymentId))!;
    const fresh = (await t.payments.get(paymentId))!;
    if (fresh.status !== 'pending') {
      // Settled meanwhile (staff, another import): the money is kept as overpaid for staff to see.
      await t.bank.addReceived(paymentId, amount, amount, 'statement');
      return;
    }
    const received = transfer.amountReceived + amount;
    await t.bank.addReceived(paymentId, amount, Math.max(0, received - Math.max(p.amount, transfer.amountReceived)), 'statement');
    if (received >= p.amount) {
      await t.bank.setSource(paymentId, 'statement');
      await this.transitions.finish(t, paymentId, 'succeeded');
    }
  }

  /** Staff settle an unmatched credit by hand. */
  async assignCredit(creditId: string, paymentId: unknown, mode: Mode): Promise<BankCreditView> {
    if (typeof paymentId !== 'string' || paymentId === '') throw ValidationError.field('paymentId', 'is required');
    const livemode = isLive(mode);
    return this.ctx.store.tx(async (t) => {
      const credit = await t.bank.credit(creditId);
      if (!credit || credit.livemode !== livemode) throw notFound('bank credit', creditId);
      const p = await t.payments.get(paymentId);
      if (!p || p.livemode !== livemode) throw ValidationError.field('paymentId', 'no payment with this id');
      if (p.method !== 'sepa_transfer') throw new DomainError('method-mismatch', `This payment is paid by ${p.method}, not by bank transfer.`, { method: p.method });
      if (p.status !== 'pending') throw new DomainError('payment-not-pending', `The payment is ${p.status}, no longer pending.`, { paymentStatus: p.status });
      if (!(await t.bank.assignCredit(creditId, paymentId))) throw new DomainError('credit-not-assignable', 'This credit is already matched to a payment.');
      await this.applyCredit(t, paymentId, credit.amount);
      return creditView((await t.bank.credit(creditId))!);
    });
  }

  async statements(mode: Mode, page: PageQuery): Promise<Page<BankStatementView>> {
    const r = await this.ctx.store.read((t) => t.bank.statements(isLive(mode), page));
    return { data: r.data.map(statementView), nextCursor: r.nextCursor };
  }

  async credits(mode: Mode, status: 'matched' | 'unmatched' | undefined, page: PageQuery): Promise<Page<BankCreditView>> {
    const r = await this.ctx.store.read((t) => t.bank.credits(isLive(mode), status, page));
    return { data: r.data.map(creditView), nextCursor: r.nextCursor };
  }
}
