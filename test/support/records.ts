/** Records for tests that write through the store's repositories directly. */
import { NEW_LINK_STATE, type LinkRecord } from '../../core/links/types';

export const RECORD_NOW = 1_768_471_200_000; // 2026-01-15T10:00:00Z

/** A plain single-use link of the default point of sale, test mode, with `over` on top. */
export function linkRecord(id: string, over: Partial<LinkRecord> = {}): Omit<LinkRecord, 'seq' | 'lockedUntil'> {
  return {
    id,
    type: 'payment',
    name: `Link ${id}`,
    description: null,
    pointOfSaleId: 'pos_main',
    amount: 1250,
    currency: 'EUR',
    minAmount: null,
    reuse: 'single',
    maxUses: null,
    perPaymentLimit: null,
    totalAmountLimit: null,
    expiresAt: null,
    locale: 'en',
    country: null,
    metadata: { order: id },
    refIdBase: `B${id}`.slice(0, 13),
    reference: null,
    cancellable: true,
    callbackUrl: null,
    lineItems: null,
    enabled: true,
    ...NEW_LINK_STATE,
    livemode: false,
    methods: null,
    createdAt: RECORD_NOW,
    updatedAt: RECORD_NOW,
    ...over,
  };
}
