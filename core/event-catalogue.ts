import type { LinkView } from './links/view';
import type { PaymentView } from './payments/view';
import type { NotificationView } from './notifications/view';
import type { WebhookEndpointView } from './webhooks/types';
import type { PointOfSaleView } from './points-of-sale';
import type { DisplayView } from './display/service';
import type { DeviceView } from './devices';
import type { StaffUserView } from './staff-users';
import type { BankCreditView, StatementImport } from './banking/service';

/**
 * The event catalogue: every event type the log holds, with the payload (`data`) it carries.
 * `EventLog.append` is checked against it at compile time, and the lists that name event types
 * elsewhere (the webhook picker, the feed's words, the OpenAPI `type` enum, API.md) are derived
 * from or tested against `EVENT_TYPES`. A pure module: the renderer imports it at run time.
 *
 * Payloads are the object the event is about as it was after the change (API.md "Events"); the
 * staff member or device acting is added as `actor` by the log itself.
 */
export interface EventPayloads {
  'link.created': LinkView;
  'link.updated': LinkView;
  'link.enabled': LinkView;
  'link.disabled': LinkView;
  'link.locked': LinkView;
  'link.unlocked': LinkView;
  'link.consumed': LinkView;
  'link.expired': LinkView;
  'link.cancelled': LinkView;
  'link.limit_reached': LinkView;
  'payment.created': PaymentView;
  'payment.succeeded': PaymentView;
  'payment.failed': PaymentView;
  'payment.abandoned': PaymentView;
  'payment.cancelled': PaymentView;
  'payment.refunded': PaymentView;
  'payment.refund_succeeded': PaymentView;
  'payment.refund_failed': PaymentView;
  'payment.transfer_reversed': PaymentView;
  /** Stripe took the money after the payment had ended here: staff refund it in Stripe. */
  'payment.paid_after_end': PaymentView & { providerReference: string };
  'notification.queued': NotificationView;
  'notification.sent': NotificationView;
  'notification.delivered': NotificationView;
  'notification.failed': NotificationView;
  'webhook_endpoint.created': WebhookEndpointView;
  'webhook_endpoint.updated': WebhookEndpointView;
  'webhook_endpoint.deleted': WebhookEndpointView & { deleted: true };
  'webhook_endpoint.failing': WebhookEndpointView & { deliveryId: string; messageId: string };
  'webhook_endpoint.recovered': WebhookEndpointView;
  'point_of_sale.created': PointOfSaleView;
  'point_of_sale.updated': PointOfSaleView;
  'display.updated': DisplayView;
  'bank_statement.imported': StatementImport;
  'bank_credit.unmatched': BankCreditView;
  'day.closed': { date: string; pointOfSaleId: string | null; livemode: boolean; number: number; closedAt: string };
  'device.paired': DeviceView;
  'device.revoked': DeviceView;
  'staff_user.created': StaffUserView;
  'staff_user.updated': StaffUserView;
  'staff_user.deleted': StaffUserView;
}

export type EventType = keyof EventPayloads;

/** An event type of the catalogue's family, e.g. `EventOf<'payment'>` = 'payment.created' | … */
export type EventOf<F extends string> = Extract<EventType, `${F}.${string}`>;

/**
 * The same types at run time, in the order API.md lists them. `satisfies` plus the exhaustiveness
 * check below make this list and `EventPayloads` one: a type added to one and not the other fails
 * to compile.
 */
export const EVENT_TYPES = [
  'link.created',
  'link.updated',
  'link.enabled',
  'link.disabled',
  'link.locked',
  'link.unlocked',
  'link.consumed',
  'link.expired',
  'link.cancelled',
  'link.limit_reached',
  'payment.created',
  'payment.succeeded',
  'payment.failed',
  'payment.abandoned',
  'payment.cancelled',
  'payment.refunded',
  'payment.refund_succeeded',
  'payment.refund_failed',
  'payment.transfer_reversed',
  'payment.paid_after_end',
  'notification.queued',
  'notification.sent',
  'notification.delivered',
  'notification.failed',
  'webhook_endpoint.created',
  'webhook_endpoint.updated',
  'webhook_endpoint.deleted',
  'webhook_endpoint.failing',
  'webhook_endpoint.recovered',
  'point_of_sale.created',
  'point_of_sale.updated',
  'display.updated',
  'bank_statement.imported',
  'bank_credit.unmatched',
  'day.closed',
  'device.paired',
  'device.revoked',
  'staff_user.created',
  'staff_user.updated',
  'staff_user.deleted',
] as const satisfies readonly EventType[];

// Every catalogue type is in the list (the other direction is the `satisfies` above).
type Missing = Exclude<EventType, (typeof EVENT_TYPES)[number]>;
const _exhaustive: [Missing] extends [never] ? true : { missing: Missing } = true;
void _exhaustive;

export const isEventType = (type: string): type is EventType => (EVENT_TYPES as readonly string[]).includes(type);

/** The family of a type: `payment` of `payment.succeeded`. */
export const eventFamily = (type: EventType): string => type.slice(0, type.indexOf('.'));

/** Events that need someone to act: red in the staff feed, counted as unread, under "Alerts". */
export const ALERT_EVENTS = [
  'webhook_endpoint.failing',
  'notification.failed',
  'payment.transfer_reversed',
  'payment.paid_after_end',
  'payment.refund_failed',
  'bank_credit.unmatched',
] as const satisfies readonly EventType[];
