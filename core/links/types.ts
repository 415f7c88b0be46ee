import type { Minor } from '../money';

export type LinkType = 'payment' | 'accountInfo';
export type Reuse = 'single' | 'multiple';
export const LOCALES = ['en', 'de', 'fr', 'nl'] as const;
export type Locale = (typeof LOCALES)[number];

export const LINK_STATUSES = [
  'enabled',
  'disabled',
  'locked',
  'consumed',
  'expired',
  'cancelled',
  'usage_limit_reached',
  'amount_limit_reached',
] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

export interface LineItem {
  name: string;
  quantity: number;
  unitAmount: Minor;
}

/** A link as stored: facts only. Status is derived from these facts and the clock. */
export interface LinkRecord {
  seq: number;
  id: string;
  type: LinkType;
  name: string;
  description: string | null;
  pointOfSaleId: string;
  amount: Minor | null;
  currency: string;
  minAmount: Minor | null;
  reuse: Reuse;
  maxUses: number | null;
  perPaymentLimit: Minor | null;
  totalAmountLimit: Minor | null;
  expiresAt: number | null;
  locale: Locale;
  country: string | null;
  metadata: Record<string, string>;
  refIdBase: string;
  reference: string | null;
  cancellable: boolean;
  callbackUrl: string | null;
  lineItems: LineItem[] | null;
  enabled: boolean;
  cancelledAt: number | null;
  expiredNotedAt: number | null;
  usedCount: number;
  usedAmount: Minor;
  pendingCount: number;
  pendingAmount: Minor;
  paymentCount: number;
  nextRefSeq: number;
  /** Live money (true) or test mode (false); lists, gets and streams never mix the two. */
  livemode: boolean;
  /** Payment methods the payer may choose; null = every method available in the link's mode. */
  methods: string[] | null;
  /** Lock deadline of the pending payment of a single-use link; null when none is pending. */
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

/** What every new link starts with: not cancelled or noted as expired, nothing used, pending or paid, refIds from 1. */
export const NEW_LINK_STATE = {
  cancelledAt: null,
  expiredNotedAt: null,
  usedCount: 0,
  usedAmount: 0,
  pendingCount: 0,
  pendingAmount: 0,
  paymentCount: 0,
  nextRefSeq: 1,
} as const satisfies Partial<LinkRecord>;
