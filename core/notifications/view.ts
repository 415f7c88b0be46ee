import { toIso, toIsoOrNull } from '../clock';
import { formatAmount } from '../money';
import type { NotificationRecord } from './types';

/** The notification object of the API and of `notification.*` events. No secrets in it. */
export interface NotificationView {
  id: string;
  kind: NotificationRecord['kind'];
  linkId: string;
  /** The payment a receipt email is for; null for a link sent to someone. */
  paymentId: string | null;
  channel: NotificationRecord['channel'];
  to: string;
  locale: NotificationRecord['locale'];
  message: string | null;
  status: NotificationRecord['status'];
  attempts: number;
  lastError: string | null;
  transport: NotificationRecord['transport'];
  /** Price of the message (decimal string in `currency`), once sent. */
  cost: string | null;
  currency: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
}

export function notificationView(n: NotificationRecord): NotificationView {
  return {
    id: n.id,
    kind: n.kind,
    linkId: n.linkId,
    paymentId: n.paymentId,
    channel: n.channel,
    to: n.recipient,
    locale: n.locale,
    message: n.message,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError,
    transport: n.transport,
    cost: n.cost === null || n.costCurrency === null ? null : formatAmount(n.cost, n.costCurrency),
    currency: n.costCurrency,
    nextAttemptAt: n.status === 'queued' ? toIsoOrNull(n.nextAttemptAt) : null,
    createdAt: toIso(n.createdAt),
    updatedAt: toIso(n.updatedAt),
    sentAt: toIsoOrNull(n.sentAt),
    deliveredAt: toIsoOrNull(n.deliveredAt),
    failedAt: toIsoOrNull(n.failedAt),
  };
}
