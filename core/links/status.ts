import type { LinkRecord, LinkStatus } from './types';
import type { Minor } from '../money';

type StatusFacts = Pick<
  LinkRecord,
  'cancelledAt' | 'reuse' | 'usedCount' | 'usedAmount' | 'pendingCount' | 'expiresAt' | 'enabled' | 'maxUses' | 'totalAmountLimit' | 'amount' | 'minAmount'
>;

/** The smallest payment the link could still take: its fixed amount, its minimum, or one minor unit. */
export function smallestPayment(link: Pick<LinkRecord, 'amount' | 'minAmount'>): Minor {
  return link.amount ?? link.minAmount ?? 1;
}

/**
 * Derives what a caller sees, in the precedence of DESIGN.md:
 * cancelled > consumed > expired > disabled > usage_limit_reached > amount_limit_reached > locked > enabled.
 * The store's SQL filter (`linkStatusSql`) mirrors this; a property test keeps them in step.
 */
export function linkStatus(link: StatusFacts, now: number): LinkStatus {
  if (link.cancelledAt !== null) return 'cancelled';
  if (link.reuse === 'single' && link.usedCount > 0) return 'consumed';
  if (link.expiresAt !== null && now >= link.expiresAt) return 'expired';
  if (!link.enabled) return 'disabled';
  if (link.reuse === 'multiple') {
    if (link.maxUses !== null && link.usedCount >= link.maxUses) return 'usage_limit_reached';
    if (link.totalAmountLimit !== null && link.totalAmountLimit - link.usedAmount < smallestPayment(link)) {
      return 'amount_limit_reached';
    }
  }
  if (link.reuse === 'single' && link.pendingCount > 0) return 'locked';
  return 'enabled';
}

/** Terminal statuses never come back; limit-reached ones reopen when a limit is raised. */
export function isTerminal(status: LinkStatus): boolean {
  return status === 'cancelled' || status === 'consumed' || status === 'expired';
}

/** What a customer may still pay or be sent: an enabled link, or a locked one (the lock may lapse). */
export function isPayable(status: LinkStatus): boolean {
  return status === 'enabled' || status === 'locked';
}
