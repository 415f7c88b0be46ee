import type { Locale } from '../links/types';
import type { Minor } from '../money';

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a notification carries: a link sent to someone, or the receipt of a succeeded payment. */
export const NOTIFICATION_KINDS = ['link', 'receipt'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** How a message left (or will leave) the machine. */
export type Transport = 'smtp' | 'sms-gateway' | 'local-outbox';

/** A notification as stored: one email or SMS carrying one link to one recipient. */
export interface NotificationRecord {
  seq: number;
  id: string;
  kind: NotificationKind;
  linkId: string;
  /** The paid payment of a `receipt` notification; null for a `link` one. */
  paymentId: string | null;
  channel: Channel;
  /** Normalised recipient: a lower-cased email address or an E.164 phone number. */
  recipient: string;
  locale: Locale;
  /** The merchant's personal note, shown above the link. */
  message: string | null;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  transport: Transport | null;
  /** Price of this message in `costCurrency`, fixed when it reached `sent`. */
  cost: Minor | null;
  costCurrency: string | null;
  /** The gateway's id for an SMS; the Message-ID of an email. */
  providerMessageId: string | null;
  /** sha256 of the delivery-report secret of the latest SMS attempt; the secret itself is never stored. */
  callbackSecretHash: string | null;
  /** The outbox message that carries the delivery. */
  outboxId: string;
  /** Local-outbox file, relative to the outbox folder. */
  file: string | null;
  nextAttemptAt: number | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  failedAt: number | null;
}

/** What the outbox carries for a notification: only its id. Everything else is read at delivery. */
export interface NotificationPayload {
  notificationId: string;
}

export interface NotificationFilter {
  linkId?: string | undefined;
  kind?: NotificationKind | undefined;
  paymentId?: string | undefined;
  channel?: Channel | undefined;
  status?: NotificationStatus | undefined;
}

export interface MessageCounts {
  channel: Channel;
  currency: string | null;
  count: number;
  cost: Minor;
}
