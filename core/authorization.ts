import { DomainError } from './errors';
import type { DeviceRole, StaffRole } from './store/types';

/**
 * Who may do what: the one home of the roles of API.md "Devices, staff users and roles". The
 * server maps each route to an action (server/http/authorize.ts) and asks `authorize`; nothing
 * else decides.
 *
 * - `admin`: an API key, the desktop app's own credential, and the shop's single staff PIN of an
 *   install from before staff users (it is the owner).
 * - `owner`, `manager`, `cashier`: staff users signed in with their own PIN.
 * - `counter`, `display`: paired devices, bound to one point of sale.
 */
export type Role = 'admin' | StaffRole | DeviceRole;

export const STAFF_ROLES: readonly StaffRole[] = ['owner', 'manager', 'cashier'];

export type Action =
  | 'charges.create'
  /** Cancel an unpaid link: the counter's "cancel this charge" (not DELETE, not editing). */
  | 'charges.cancel'
  | 'display.read'
  | 'display.change'
  | 'links.read'
  | 'links.manage'
  | 'payments.read'
  | 'payments.refund'
  | 'payments.confirm'
  | 'events.read'
  | 'pointsOfSale.read'
  | 'settings.read'
  | 'bank.manage'
  | 'notifications.manage'
  /** Day reports and the accountant's export (reading). */
  | 'reports.read'
  /** Closing a day: numbered and unchangeable. */
  | 'reports.close'
  /** Everything else: settings, keys, devices, staff users, webhooks, points of sale. */
  | 'shop.manage';

const CASHIER_UP: readonly Role[] = ['admin', 'owner', 'manager', 'cashier'];
const MANAGER_UP: readonly Role[] = ['admin', 'owner', 'manager'];
const OWNER: readonly Role[] = ['admin', 'owner'];

/** The table. A device's actions hold only for its own point of sale (see `authorize`). */
export const PERMISSIONS: Readonly<Record<Action, readonly Role[]>> = {
  'charges.create': [...CASHIER_UP, 'counter'],
  'charges.cancel': CASHIER_UP,
  'display.read': [...CASHIER_UP, 'counter', 'display'],
  'display.change': [...CASHIER_UP, 'counter'],
  'links.read': [...CASHIER_UP, 'counter'],
  'links.manage': MANAGER_UP,
  'payments.read': [...CASHIER_UP, 'counter'],
  'payments.refund': MANAGER_UP,
  // Staff saw a transfer arrive (the Bank QR charge's "Received"): part of taking a payment.
  'payments.confirm': CASHIER_UP,
  'events.read': [...CASHIER_UP, 'counter', 'display'],
  'pointsOfSale.read': CASHIER_UP,
  'settings.read': CASHIER_UP,
  'bank.manage': MANAGER_UP,
  'notifications.manage': MANAGER_UP,
  // A shop's takings are the manager's business; closing the day is the manager's act (the
  // cashier hands over, the manager counts and closes).
  'reports.read': MANAGER_UP,
  'reports.close': MANAGER_UP,
  'shop.manage': OWNER,
};

/** Who is asking: enough to decide and to record who did it. */
export interface Principal {
  kind: 'apiKey' | 'session' | 'device';
  /** API key id, staff user id, device id, or `staff-pin` (the shop's single PIN). */
  id: string;
  name: string;
  role: Role;
  /** A device's point of sale: everything it does is bound to it. Null for everyone else. */
  pointOfSaleId: string | null;
}

/** Who did something, as recorded in the event's data (`actor`). */
export interface Actor {
  type: Principal['kind'];
  id: string;
  name: string;
  role: Role;
}

export function actorOf(p: Principal): Actor {
  return { type: p.kind, id: p.id, name: p.name, role: p.role };
}

export type Decision = { ok: true } | { ok: false; reason: string };

/** May this role do this action at all (wherever)? */
export function roleMay(role: Role, action: Action): boolean {
  return PERMISSIONS[action].includes(role);
}

/**
 * The decision. `resource` is what the action touches: a principal bound to a point of sale
 * (a device) is allowed only when the resource is known to belong to that same point of sale.
 */
export function authorize(p: Principal, action: Action, resource?: { pointOfSaleId: string | null }): Decision {
  if (!roleMay(p.role, action)) return { ok: false, reason: `A ${p.role} may not do this (${action}).` };
  if (p.pointOfSaleId === null) return { ok: true };
  if (!resource || resource.pointOfSaleId === null) return { ok: false, reason: `This device may act only on its own point of sale (${action}).` };
  if (resource.pointOfSaleId !== p.pointOfSaleId) return { ok: false, reason: 'This device belongs to another point of sale.' };
  return { ok: true };
}

/** `authorize`, throwing `forbidden` (403) when refused. */
export function assertAllowed(p: Principal, action: Action, resource?: { pointOfSaleId: string | null }): void {
  const d = authorize(p, action, resource);
  if (!d.ok) throw new DomainError('forbidden', d.reason);
}

/** The actions a role may do: what the staff UI offers. */
export function allowedActions(role: Role): Action[] {
  return (Object.keys(PERMISSIONS) as Action[]).filter((a) => roleMay(role, a));
}
