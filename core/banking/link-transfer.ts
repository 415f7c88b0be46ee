/**
 * Paying a link by transfer straight from its email (API.md "Bank transfer": "emails of links
 * that offer the method"). A creditor reference belongs to a payment, but an email is read long
 * before any payment exists — so a single-use link that offers bank transfer gets a reference of
 * its own when its first email is queued. The email's EPC QR code quotes it; a statement credit
 * quoting it pays the link's pending transfer payment, or starts one (BankService.importStatement).
 */
import type { CoreContext } from '../context';
import type { Tx } from '../store/port';
import type { LinkRecord } from '../links/types';
import { buildEpcQrPayload, EPC_NOTE_MAX } from './epc-qr';
import { newCreditorReference } from './references';
import { bankTransferSettings } from './settings';

/** What the email shows beside its link: the details and the EPC QR text. */
export interface LinkTransferDetails {
  accountHolder: string;
  iban: string;
  bic: string | null;
  /** Cents, EUR. */
  amount: number;
  creditorReference: string;
  epcPayload: string;
}

/**
 * Only a single-use link with a fixed amount: the reference then stands for exactly one payment
 * of a known amount (a poster's many payers each need their own, from the dialog).
 */
export function linkTakesEmailTransfer(link: LinkRecord): boolean {
  return link.type === 'payment' && link.amount !== null && (link.reuse === 'single' || link.maxUses === 1) && link.currency === 'EUR';
}

/** Gives the link its reference when its emails should offer a transfer now; idempotent. */
export async function ensureLinkReference(ctx: CoreContext, t: Tx, link: LinkRecord): Promise<string | undefined> {
  if (!linkTakesEmailTransfer(link)) return undefined;
  const existing = await t.bank.linkReference(link.id);
  if (existing) return existing;
  if (!(await ctx.methods.forLink(t, link)).includes('sepa_transfer')) return undefined;
  await t.bank.insertLinkReference(link.id, await newCreditorReference(t), ctx.clock.now());
  return t.bank.linkReference(link.id);
}

/** The transfer details for the link's email, or undefined (no reference, or no bank set up). Reads only. */
export async function linkTransferDetails(ctx: CoreContext, t: Tx, link: LinkRecord): Promise<LinkTransferDetails | undefined> {
  if (!linkTakesEmailTransfer(link)) return undefined;
  const creditorReference = await t.bank.linkReference(link.id);
  if (!creditorReference) return undefined;
  // The merchant may have taken bank transfer off the link or out of settings since it was sent.
  if (!(await ctx.methods.forLink(t, link)).includes('sepa_transfer')) return undefined;
  const s = await bankTransferSettings(ctx.settings, t);
  if (!s.accountHolder || !s.iban) return undefined;
  const input = { accountHolder: s.accountHolder, iban: s.iban, bic: s.bic, amount: link.amount!, creditorReference };
  let epc = buildEpcQrPayload({ ...input, note: (link.reference ?? link.name).slice(0, EPC_NOTE_MAX) });
  // A name in characters a transfer cannot carry (an emoji): the code goes without the note.
  if (!epc.ok) epc = buildEpcQrPayload(input);
  if (!epc.ok) return undefined;
  return { accountHolder: s.accountHolder, iban: s.iban, bic: s.bic, amount: link.amount!, creditorReference, epcPayload: epc.payload };
}
