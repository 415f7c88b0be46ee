/**
 * The Service API's objects as the UI reads them (API.md). Where the server builds an object
 * from a core view, the type comes from there (type-only imports, erased at build): one
 * definition of each wire shape, so the UI cannot drift from what the server sends.
 */
import type { LinkStatus } from '../../../core/links/types';
import type { PaymentStatus } from '../../../core/payments/types';
import type { Channel, NotificationStatus } from '../../../core/notifications/types';

export type { LinkStatus, PaymentStatus };
export type { LinkView as Link } from '../../../core/links/view';
export type { PaymentView as Payment } from '../../../core/payments/view';
export type { EventView as EventItem } from '../../../core/events';
export type { DisplayView } from '../../../core/display/service';
export type { PublicLink, PublicDisplayState } from '../../../core/display/public';
export type { NotificationView as Notification } from '../../../core/notifications/view';
export type { Channel, NotificationStatus };
export type { Transport } from '../../../core/notifications/types';
export type {
  WebhookEncryption,
  WebhookEndpointStatus,
  WebhookEndpointView as WebhookEndpoint,
  WebhookAttemptView as WebhookAttempt,
  WebhookDeliveryView as WebhookDelivery,
} from '../../../core/webhooks/types';

export const LINK_STATUSES: LinkStatus[] = ['enabled', 'disabled', 'locked', 'consumed', 'expired', 'cancelled', 'usage_limit_reached', 'amount_limit_reached'];
export const PAYMENT_STATUSES: PaymentStatus[] = ['pending', 'succeeded', 'failed', 'abandoned', 'cancelled', 'partially_refunded', 'refunded'];

export const LOCALES = ['en', 'de', 'fr', 'nl'] as const;

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

export const CHANNELS: Channel[] = ['email', 'sms'];
export const NOTIFICATION_STATUSES: NotificationStatus[] = ['queued', 'sending', 'sent', 'delivered', 'failed'];

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

export type WebhookDeliveryStatus = 'queued' | 'sending' | 'succeeded' | 'failed';
