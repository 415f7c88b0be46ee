import type { Sql } from '../sql/executor';
import { pageOf } from '../sql/page';
import type { Page, PageQuery } from '../types';

/** A sepa_transfer payment's own facts: what the payer was asked to send, what arrived. */
export interface BankTransferRecord {
  paymentId: string;
  creditorReference: string;
  accountHolder: string;
  iban: string;
  bic: string | null;
  amountReceived: number;
  overpaidAmount: number;
  source: 'staff' | 'statement' | null;
  reversed: boolean;
}

export interface BankStatementRecord {
  seq: number;
  id: string;
  livemode: boolean;
  kind: string;
  messageId: string | null;
  account: string | null;
  credits: number;
  matched: number;
  unmatched: number;
  duplicates: number;
  importedAt: number;
}

export interface BankCreditRecord {
  seq: number;
  id: string;
  livemode: boolean;
  statementId: string;
  dedupeKey: string;
  amount: number;
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
  createdAt: number;
}

interface TransferRow {
  payment_id: string;
  creditor_reference: string;
  account_holder: string;
  iban: string;
  bic: string | null;
  amount_received: number;
  overpaid_amount: number;
  source: string | null;
  reversed: number;
}

interface StatementRow {
  seq: number;
  id: string;
  livemode: number;
  kind: string;
  message_id: string | null;
  account: string | null;
  credits: number;
  matched: number;
  unmatched: number;
  duplicates: number;
  imported_at: number;
}

interface CreditRow {
  seq: number;
  id: string;
  livemode: number;
  statement_id: string;
  dedupe_key: string;
  amount: number;
  currency: string;
  booked_on: string | null;
  debtor_name: string | null;
  debtor_iban: string | null;
  reference: string | null;
  remittance: string | null;
  status: string;
  reason: string | null;
  payment_id: string | null;
  reversed: number;
  created_at: number;
}

const toTransfer = (r: TransferRow): BankTransferRecord => ({
  paymentId: r.payment_id,
  creditorReference: r.creditor_reference,
  accountHolder: r.account_holder,
  iban: r.iban,
  bic: r.bic,
  amountReceived: r.amount_received,
  overpaidAmount: r.overpaid_amount,
  source: r.source as BankTransferRecord['source'],
  reversed: r.reversed === 1,
});

const toStatement = (r: StatementRow): BankStatementRecord => ({
  seq: r.seq,
  id: r.id,
  livemode: r.livemode === 1,
  kind: r.kind,
  messageId: r.message_id,
  account: r.account,
  credits: r.credits,
  matched: r.matched,
  unmatched: r.unmatched,
  duplicates: r.duplicates,
  importedAt: r.imported_at,
});

const toCredit = (r: CreditRow): BankCreditRecord => ({
  seq: r.seq,
  id: r.id,
  livemode: r.livemode === 1,
  statementId: r.statement_id,
  dedupeKey: r.dedupe_key,
  amount: r.amount,
  currency: r.currency,
  bookedOn: r.booked_on,
  debtorName: r.debtor_name,
  debtorIban: r.debtor_iban,
  reference: r.reference,
  remittance: r.remittance,
  status: r.status as BankCreditRecord['status'],
  reason: r.reason,
  paymentId: r.payment_id,
  reversed: r.reversed === 1,
  createdAt: r.created_at,
});

export type BankRepo = ReturnType<typeof bankRepo>;

export function bankRepo(sql: Sql) {
  return {
    insertTransfer: async (r: BankTransferRecord): Promise<void> => {
      await sql.run(
        `INSERT INTO bank_transfers (payment_id, creditor_reference, account_holder, iban, bic, amount_received, overpaid_amount, source, reversed)
         VALUES (@paymentId, @creditorReference, @accountHolder, @iban, @bic, @amountReceived, @overpaidAmount, @source, @reversed)`,
        { ...r },
      );
    },
    transfer: async (paymentId: string): Promise<BankTransferRecord | undefined> => {
      const r = await sql.get<TransferRow>('SELECT * FROM bank_transfers WHERE payment_id = @paymentId', { paymentId });
      return r && toTransfer(r);
    },
    /** Creditor references are stored normalised (upper case, no spaces): compare them that way. */
    transferByReference: async (creditorReference: string): Promise<BankTransferRecord | undefined> => {
      const r = await sql.get<TransferRow>('SELECT * FROM bank_transfers WHERE creditor_reference = @creditorReference', { creditorReference });
      return r && toTransfer(r);
    },
    /** The creditor reference a link's emails quote, if it has one. */
    linkReference: async (linkId: string): Promise<string | undefined> =>
      (await sql.get<{ creditor_reference: string }>('SELECT creditor_reference FROM bank_link_references WHERE link_id = @linkId', { linkId }))?.creditor_reference,
    linkByReference: async (creditorReference: string): Promise<string | undefined> =>
      (await sql.get<{ link_id: string }>('SELECT link_id FROM bank_link_references WHERE creditor_reference = @creditorReference', { creditorReference }))?.link_id,
    /** False when the link has one already (two sends at once: the first wins, both read it back). */
    insertLinkReference: async (linkId: string, creditorReference: string, now: number): Promise<boolean> =>
      (await sql.run(
        `INSERT INTO bank_link_references (creditor_reference, link_id, created_at) VALUES (@creditorReference, @linkId, @now)
         ON CONFLICT (link_id) DO NOTHING`,
        { linkId, creditorReference, now },
      )) === 1,
    /** Whether a payment or a link already has this reference. */
    referenceTaken: async (creditorReference: string): Promise<boolean> =>
      (await sql.get<{ n: number }>(
        `SELECT 1 AS n FROM bank_transfers WHERE creditor_reference = @creditorReference
         UNION ALL SELECT 1 AS n FROM bank_link_references WHERE creditor_reference = @creditorReference`,
        { creditorReference },
      )) !== undefined,
    /** Adds money that arrived; the caller holds the payment's link lock. */
    addReceived: async (paymentId: string, amount: number, overpaid: number, source: 'staff' | 'statement'): Promise<void> => {
      await sql.run(
        `UPDATE bank_transfers SET amount_received = amount_received + @amount, overpaid_amount = overpaid_amount + @overpaid,
           source = COALESCE(source, @source) WHERE payment_id = @paymentId`,
        { paymentId, amount, overpaid, source },
      );
    },
    setSource: async (paymentId: string, source: 'staff' | 'statement'): Promise<void> => {
      await sql.run('UPDATE bank_transfers SET source = @source WHERE payment_id = @paymentId', { paymentId, source });
    },
    markReversed: async (paymentId: string): Promise<boolean> =>
      (await sql.run('UPDATE bank_transfers SET reversed = 1 WHERE payment_id = @paymentId AND reversed = 0', { paymentId })) === 1,

    insertStatement: async (r: Omit<BankStatementRecord, 'seq'>): Promise<void> => {
      await sql.run(
        `INSERT INTO bank_statements (id, livemode, kind, message_id, account, credits, matched, unmatched, duplicates, imported_at)
         VALUES (@id, @livemode, @kind, @messageId, @account, @credits, @matched, @unmatched, @duplicates, @importedAt)`,
        { ...r },
      );
    },
    statements: (livemode: boolean, page: PageQuery): Promise<Page<BankStatementRecord>> =>
      pageOf<StatementRow, BankStatementRecord>(sql, 'SELECT s.* FROM bank_statements s', ['s.livemode = @livemode'], { livemode: livemode ? 1 : 0 }, page, toStatement, 's'),

    updateStatementCounts: async (id: string, credits: number, matched: number, unmatched: number, duplicates: number): Promise<void> => {
      await sql.run('UPDATE bank_statements SET credits = @credits, matched = @matched, unmatched = @unmatched, duplicates = @duplicates WHERE id = @id', {
        id,
        credits,
        matched,
        unmatched,
        duplicates,
      });
    },
    /** False when this credit was imported before (the same file twice, overlapping statements). */
    insertCredit: async (r: Omit<BankCreditRecord, 'seq'>): Promise<boolean> =>
      (await sql.run(
        `INSERT INTO bank_credits (id, livemode, statement_id, dedupe_key, amount, currency, booked_on, debtor_name, debtor_iban, reference,
           remittance, status, reason, payment_id, reversed, created_at)
         VALUES (@id, @livemode, @statementId, @dedupeKey, @amount, @currency, @bookedOn, @debtorName, @debtorIban, @reference,
           @remittance, @status, @reason, @paymentId, @reversed, @createdAt)
         ON CONFLICT (livemode, dedupe_key) DO NOTHING`,
        { ...r },
      )) === 1,
    creditImported: async (livemode: boolean, dedupeKey: string): Promise<boolean> =>
      (await sql.get('SELECT 1 AS one FROM bank_credits WHERE livemode = @livemode AND dedupe_key = @dedupeKey', { livemode: livemode ? 1 : 0, dedupeKey })) !==
      undefined,
    credit: async (id: string): Promise<BankCreditRecord | undefined> => {
      const r = await sql.get<CreditRow>('SELECT * FROM bank_credits WHERE id = @id', { id });
      return r && toCredit(r);
    },
    creditsOfPayment: async (paymentId: string): Promise<BankCreditRecord[]> =>
      (await sql.all<CreditRow>('SELECT * FROM bank_credits WHERE payment_id = @paymentId ORDER BY seq', { paymentId })).map(toCredit),
    credits: (livemode: boolean, status: 'matched' | 'unmatched' | undefined, page: PageQuery): Promise<Page<BankCreditRecord>> => {
      const clauses = ['c.livemode = @livemode'];
      const params: Record<string, string | number> = { livemode: livemode ? 1 : 0 };
      if (status) {
        clauses.push('c.status = @status');
        params.status = status;
      }
      return pageOf<CreditRow, BankCreditRecord>(sql, 'SELECT c.* FROM bank_credits c', clauses, params, page, toCredit, 'c');
    },
    /** Conditional: an unmatched credit is given to a payment once. */
    assignCredit: async (id: string, paymentId: string): Promise<boolean> =>
      (await sql.run(`UPDATE bank_credits SET status = 'matched', reason = NULL, payment_id = @paymentId WHERE id = @id AND status = 'unmatched'`, {
        id,
        paymentId,
      })) === 1,
    markCreditReversed: async (id: string): Promise<void> => {
      await sql.run('UPDATE bank_credits SET reversed = 1 WHERE id = @id', { id });
    },
  };
}
