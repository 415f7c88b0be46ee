import type { LinkRecord, LinkStatus } from './types';
import { linkStatus } from './status';
import { formatAmount, formatAmountOrNull } from '../money';
import { toIso, toIsoOrNull } from '../clock';

/** The link object of API.md: what the API returns and what `link.*` events carry. */
export interface LinkView {
  id: string;
  livemode: boolean;
  /** The methods the payer may choose from; null = every method available in the link's mode. */
  methods: string[] | null;
  type: LinkRecord['type'];
  name: string;
  description: string | null;
  status: LinkStatus;
  enabled: boolean;
  pointOfSaleId: string;
  amount: string | null;
  currency: string;
  minAmount: string | null;
  reuse: LinkRecord['reuse'];
  maxUses: number | null;
  perPaymentAmountLimit: string | null;
  totalAmountLimit: string | null;
  expiresAt: string | null;
  locale: LinkRecord['locale'];
  country: string | null;
  metadata: Record<string, string>;
  refIdBase: string;
  reference: string | null;
  cancellable: boolean;
  callbackUrl: string | null;
  lineItems: { name: string; quantity: number; unitAmount: string }[] | null;
  url: string;
  usage: {
    count: number;
    amount: string;
    pendingCount: number;
    remainingCount: number | null;
    remainingAmount: string | null;
  };
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export function linkUrl(baseUrl: string, link: Pick<LinkRecord, 'id' | 'locale'>): string {
  return `${baseUrl}/${link.locale}/pay-by-link/${link.id}`;
}

export function linkView(link: LinkRecord, now: number, baseUrl: string): LinkView {
  const status = linkStatus(link, now);
  const cur = link.currency;
  const remainingCount = link.maxUses === null ? null : Math.max(0, link.maxUses - link.usedCount - link.pendingCount);
  const remainingAmount =
    link.totalAmountLimit === null ? null : Math.max(0, link.totalAmountLimit - link.usedAmount - link.pendingAmount);
  return {
    id: link.id,
    livemode: link.livemode,
    methods: link.methods,
    type: link.type,
    name: link.name,
    description: link.description,
    status,
    enabled: link.enabled,
    pointOfSaleId: link.pointOfSaleId,
    amount: formatAmountOrNull(link.amount, cur),
    currency: cur,
    minAmount: formatAmountOrNull(link.minAmount, cur),
    reuse: link.reuse,
    maxUses: link.maxUses,
    perPaymentAmountLimit: formatAmountOrNull(link.perPaymentLimit, cur),
    totalAmountLimit: formatAmountOrNull(link.totalAmountLimit, cur),
    expiresAt: toIsoOrNull(link.expiresAt),
    locale: link.locale,
    country: link.country,
    metadata: link.metadata,
    refIdBase: link.refIdBase,
    reference: link.reference,
    cancellable: link.cancellable,
    callbackUrl: link.callbackUrl,
    lineItems: link.lineItems?.map((i) => ({ name: i.name, quantity: i.quantity, unitAmount: formatAmount(i.unitAmount, cur) })) ?? null,
    url: linkUrl(baseUrl, link),
    usage: {
      count: link.usedCount,
      amount: formatAmount(link.usedAmount, cur),
      pendingCount: link.pendingCount,
      remainingCount,
      remainingAmount: remainingAmount === null ? null : formatAmount(remainingAmount, cur),
    },
    lockedUntil: status === 'locked' ? toIsoOrNull(link.lockedUntil) : null,
    createdAt: toIso(link.createdAt),
    updatedAt: toIso(link.updatedAt),
  };
}
