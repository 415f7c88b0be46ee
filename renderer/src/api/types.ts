/**
 * The Service API's objects as the UI reads them (API.md). Where the server builds an object
 * from a core view, the type comes from there (type-only imports, erased at build): one
 * definition of each wire shape, so the UI cannot drift from what the server sends.
 */
import type { Action } from '../../../core/authorization';
import type { LinkStatus } from '../../../core/links/types';
import type { PaymentStatus } from '../../../core/payments/types';
import type { Channel, NotificationStatus } from '../../../core/notifications/types';

export type { LinkStatus, PaymentStatus };
import type { LinkView } from '../../../core/links/view';
import type { BankTransferView, PaymentView } from '../../../core/payments/view';
import type { NextStep } from '../../../core/payments/methods/port';
import type { EventView } from '../../../core/events';
import type { PublicBankTransfer, PublicDisplayState as CorePublicDisplayState } from '../../../core/display/public';
import type { DisplayView as CoreDisplayView } from '../../../core/display/service';
export type { PublicLink } from '../../../core/display/public';
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

/**
 * Issue 8 (API.md "Live and test mode", "Bank transfer (SEPA) and bank statements"): the fields
 * the server adds to its objects. Optional here so the UI works with a server from before; the
 * core views gain them as required fields and these intersections stay compatible.
 */
export interface Livemode {
  /** false: a test-mode object; null: shared by both modes (events about settings, counters). */
  livemode?: boolean | null;
}

export type Link = Omit<LinkView, 'livemode' | 'methods'> & Livemode & { methods?: string[] | null };
export type EventItem = Omit<EventView, 'livemode'> & Livemode;

/** `payment.bankTransfer` of a `sepa_transfer` payment. */
export type BankTransferInfo = BankTransferView;
export type BankTransferCredit = BankTransferView['credits'][number];

export type Payment = Omit<PaymentView, 'livemode' | 'providerReference' | 'bankTransfer'> &
  Livemode & {
    providerReference?: string | null;
    bankTransfer?: BankTransferInfo | null;
  };

/** `GET /api/v1/display`: what a counter's display shows, with the link and payment on show. */
export type DisplayView = Omit<CoreDisplayView, 'link' | 'payment'> & { link: Link | null; payment: Payment | null };

/** What `next` of a started payment says the payer does: for a transfer, the details to pay with. */
export type BankTransferInstructions = Extract<NextStep, { type: 'bank_transfer' }>;

/** The counter display's bank transfer (the EPC QR's public URL, amount, holder, reference). */
export type DisplayBankTransfer = PublicBankTransfer;

export type PublicDisplayState = Omit<CorePublicDisplayState, 'bankTransfer'> & {
  /** Present while the charge on show is paid by transfer: the display shows the EPC QR itself. */
  bankTransfer?: DisplayBankTransfer | null;
  /** The mode of the link on show, once the server says (TEST on the display). */
  livemode?: boolean | null;
};

/** `POST /api/v1/charges` answer: the link, and with `method: "sepa_transfer"` its transfer payment. */
export type ChargeResult = Link & { payment?: Payment | null };

/** settings.bankTransfer. */
export type { BankTransferSettings } from '../../../core/banking/settings';

export const DEFAULT_HOLD_DAYS = 7;

export type PaymentMethodId = 'simulator' | 'sepa_transfer' | 'stripe' | (string & {});

/** `GET /api/v1/payment-methods` entries, for the request's mode. */
export interface PaymentMethodInfo {
  id: PaymentMethodId;
  livemode: boolean;
  available: boolean;
  reason: null | 'not-configured' | 'offline' | 'test-only' | (string & {});
}

export type StatementKind = 'camt.052' | 'camt.053' | 'camt.054';

export type UnmatchedReason = 'no-reference' | 'unknown-reference' | 'payment-not-pending' | (string & {});

/** `POST /api/v1/bank-statements`: what one import did. */
export type { StatementImport } from '../../../core/banking/service';
/** `GET /api/v1/bank-statements` entries: the import history, with counts. */
export type { BankStatementView as BankStatement } from '../../../core/banking/service';
/** `GET /api/v1/bank-credits` entries. */
export type { BankCreditView as BankCredit } from '../../../core/banking/service';

export const LINK_STATUSES: LinkStatus[] = ['enabled', 'disabled', 'locked', 'consumed', 'expired', 'cancelled', 'usage_limit_reached', 'amount_limit_reached'];
export const PAYMENT_STATUSES: PaymentStatus[] = ['pending', 'succeeded', 'failed', 'abandoned', 'cancelled', 'partially_refunded', 'refunded'];

export const LOCALES = ['en', 'de', 'fr', 'nl'] as const;

export interface PointOfSale {
  id: string;
  name: string;
  currency: string;
  isDefault: boolean;
  /** Tips offered on the payment page for this counter's charges and links. */
  tips?: { enabled: boolean; presets: number[] };
}

export interface MerchantSettings {
  merchantName: string;
  timeZone: string;
  defaultCurrency: string;
  country: string | null;
  defaultLocale: string;
  address?: string | null;
  vatId?: string | null;
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
  errors?: { path: string; message: string; code?: string; params?: Record<string, unknown> }[];
  [extra: string]: unknown;
}

/** `GET /api/v1/devices/me`: a paired device's own point of sale and the shop's formatting settings. */
export interface DeviceSelf {
  device: { id: string; name: string; role: DeviceRole; pointOfSaleId: string };
  pointOfSale: PointOfSale;
  merchant: Pick<MerchantSettings, 'merchantName' | 'timeZone' | 'defaultCurrency' | 'country' | 'defaultLocale'>;
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

export type StaffRole = 'owner' | 'manager' | 'cashier';
export type DeviceRole = 'counter' | 'display';

/** What a role may do: the UI offers only these. One home, core/authorization.ts (types only cross). */
export type { Action };

export interface SessionInfo {
  authenticated: boolean;
  method: 'pin' | 'apiKey' | 'bearer' | 'device' | null;
  pinSet: boolean;
  expiresAt: string | null;
  user?: { id: string; name: string; role: string } | null;
  role?: string | null;
  actions?: Action[];
  /** Staff users to pick from at sign-in. */
  users?: { id: string; name: string }[];
}

export interface StaffUser {
  id: string;
  name: string;
  role: StaffRole;
  createdAt: string;
  updatedAt: string;
}

export interface Device {
  id: string;
  name: string;
  role: DeviceRole;
  pointOfSaleId: string;
  createdAt: string;
  lastSeenAt: string | null;
}

export interface PairingCode {
  code: string;
  expiresAt: string;
  role: DeviceRole;
  pointOfSaleId: string;
}

// ---- messaging (docs/messaging.md) ------------------------------------------------------------

// One home: the lists and the report type are core's (core/notifications/types.ts is a pure module).
export { CHANNELS, NOTIFICATION_STATUSES } from '../../../core/notifications/types';
export type { MessageReport } from '../../../core/notifications/service';

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
