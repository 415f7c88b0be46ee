/** The Service API's objects as the UI reads them (API.md). */

export type LinkStatus = 'enabled' | 'disabled' | 'locked' | 'consumed' | 'expired' | 'cancelled' | 'usage_limit_reached' | 'amount_limit_reached';
export const LINK_STATUSES: LinkStatus[] = ['enabled', 'disabled', 'locked', 'consumed', 'expired', 'cancelled', 'usage_limit_reached', 'amount_limit_reached'];

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'abandoned' | 'cancelled' | 'partially_refunded' | 'refunded';
export const PAYMENT_STATUSES: PaymentStatus[] = ['pending', 'succeeded', 'failed', 'abandoned', 'cancelled', 'partially_refunded', 'refunded'];

export const LOCALES = ['en', 'de', 'fr', 'nl'] as const;

export interface Link {
  id: string;
  type: 'payment' | 'accountInfo';
  name: string;
  description: string | null;
  status: LinkStatus;
  enabled: boolean;
  pointOfSaleId: string;
  amount: string | null;
  currency: string;
  minAmount: string | null;
  reuse: 'single' | 'multiple';
  maxUses: number | null;
  perPaymentAmountLimit: string | null;
  totalAmountLimit: string | null;
  expiresAt: string | null;
  locale: string;
  country: string | null;
  metadata: Record<string, string>;
  refIdBase: string;
  reference: string | null;
  cancellable: boolean;
  callbackUrl: string | null;
  url: string;
  usage: { count: number; amount: string; pendingCount: number; remainingCount: number | null; remainingAmount: string | null };
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Payment {
  id: string;
  linkId: string;
  refId: string;
  status: PaymentStatus;
  amount: string;
  currency: string;
  method: string;
  reference: string | null;
  payer: { name: string | null; email: string | null } | null;
  metadata: Record<string, string>;
  refundedAmount: string;
  createdAt: string;
  completedAt: string | null;
}

export interface EventItem {
  id: number;
  type: string;
  createdAt: string;
  data: unknown;
}

export interface PointOfSale {
  id: string;
  name: string;
  currency: string;
  isDefault: boolean;
}

export interface MerchantSettings {
  merchantName: string;
  timeZone: string;
  defaultCurrency: string;
  country: string | null;
  defaultLocale: string;
  [section: string]: unknown;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  [extra: string]: unknown;
}

/** GET /api/v1/display: what a point of sale's display shows (staff view). */
export interface DisplayView {
  pointOfSaleId: string;
  mode: 'idle' | 'link' | 'result';
  linkId: string | null;
  paymentId: string | null;
  link: Link | null;
  payment: Payment | null;
  updatedAt: string;
}

/** GET /display/{pointOfSaleId}/state: the public, read-only display state. */
export interface PublicLink {
  name: string;
  description: string | null;
  reference: string | null;
  amount: string | null;
  minAmount: string | null;
  currency: string;
  url: string;
  expiresAt: string | null;
  locale: string;
}

export interface PublicDisplayState {
  pointOfSaleId: string;
  mode: 'idle' | 'link' | 'paying' | 'result';
  merchantName: string;
  locale: string;
  link: PublicLink | null;
  result: { status: string; amount: string; currency: string } | null;
  idleLink: PublicLink | null;
  updatedAt: string;
  serverTime: string;
}

export interface StaffInfo {
  baseUrl: string;
  apiBaseUrl: string;
  version: string;
  pinSet: boolean;
}

export interface DisplayEntry {
  pointOfSaleId: string;
  name: string;
  idleLinkId: string | null;
  path: string;
}

export interface SessionInfo {
  authenticated: boolean;
  method: 'pin' | 'apiKey' | 'bearer' | null;
  pinSet: boolean;
  expiresAt: string | null;
}

// ---- messaging (docs/messaging.md) ------------------------------------------------------------

export type Channel = 'email' | 'sms';
export const CHANNELS: Channel[] = ['email', 'sms'];

export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';
export const NOTIFICATION_STATUSES: NotificationStatus[] = ['queued', 'sending', 'sent', 'delivered', 'failed'];

export type Transport = 'smtp' | 'sms-gateway' | 'local-outbox';

/** One email or SMS carrying a link (GET /api/v1/notifications, `notification.*` events). */
export interface Notification {
  id: string;
  linkId: string;
  channel: Channel;
  to: string;
  locale: string;
  message: string | null;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  transport: Transport | null;
  cost: string | null;
  currency: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
}

export interface MessageReport {
  from: string | null;
  to: string | null;
  currency: string;
  email: { count: number; cost: string };
  sms: { count: number; cost: string };
  total: { count: number; cost: string };
  otherCurrencies: { currency: string; channel: Channel; count: number; cost: string }[];
}

/** settings.email as read (the password is write-only). */
export interface EmailSettings {
  host: string | null;
  port: number | null;
  security: 'starttls' | 'tls' | 'none';
  user: string | null;
  passwordSet: boolean;
  from: string | null;
  transport: 'smtp' | 'local-outbox';
  overriddenByEnvironment: boolean;
}

/** settings.sms as read (the Authorization value is write-only). */
export interface SmsSettings {
  gatewayUrl: string | null;
  authSet: boolean;
  sender: string | null;
  callbackBaseUrl: string | null;
  transport: 'sms-gateway' | 'local-outbox';
  overriddenByEnvironment: boolean;
}

export interface BillingSettings {
  emailPrice: string;
  smsPrice: string;
  currency: string;
}

// ---- webhooks (docs/webhooks.md) --------------------------------------------------------------

export type WebhookEncryption = 'none' | 'aes-256-cbc';
export type WebhookEndpointStatus = 'healthy' | 'failing' | 'disabled';

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  encryption: WebhookEncryption;
  status: WebhookEndpointStatus;
  failingSince: string | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Only in the response that created or rotated it. */
  secret?: string;
  /** Only in the response that created it or switched encryption on. */
  encryptionKey?: string;
}

export type WebhookDeliveryStatus = 'queued' | 'sending' | 'succeeded' | 'failed';

export interface WebhookAttempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  responseSnippet: string | null;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  messageId: string;
  eventId: number | null;
  eventType: string;
  status: WebhookDeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  attempts: WebhookAttempt[];
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}
