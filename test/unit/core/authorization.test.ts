import { describe, expect, it } from 'vitest';
import { PERMISSIONS, allowedActions, authorize, roleMay, type Action, type Principal, type Role } from '../../../core/authorization';
import { ROUTE_RULES, ruleFor } from '../../../server/http/authorize';

const staff = (role: Role): Principal => ({ kind: 'session', id: `usr_${role}`, name: role, role, pointOfSaleId: null });
const device = (role: 'counter' | 'display', pointOfSaleId = 'pos_A'): Principal => ({ kind: 'device', id: 'dev_1', name: 'Till 2', role, pointOfSaleId });

describe('the roles of API.md', () => {
  it('cashiers charge and see links, payments and the feed, and nothing more', () => {
    for (const a of ['charges.create', 'charges.cancel', 'links.read', 'payments.read', 'events.read', 'display.change'] as Action[]) expect(roleMay('cashier', a), a).toBe(true);
    for (const a of ['payments.refund', 'links.manage', 'shop.manage', 'bank.manage'] as Action[]) expect(roleMay('cashier', a), a).toBe(false);
  });

  it('managers also refund and manage links, but not the shop', () => {
    for (const a of ['charges.create', 'payments.refund', 'links.manage']) expect(roleMay('manager', a as Action), a).toBe(true);
    expect(roleMay('manager', 'shop.manage')).toBe(false);
  });

  it('owners and API keys do everything', () => {
    for (const a of Object.keys(PERMISSIONS) as Action[]) {
      expect(roleMay('owner', a), a).toBe(true);
      expect(roleMay('admin', a), a).toBe(true);
    }
  });

  it('a counter device charges, shows and reads on its own point of sale only', () => {
    expect(authorize(device('counter'), 'charges.create', { pointOfSaleId: 'pos_A' })).toEqual({ ok: true });
    expect(authorize(device('counter'), 'charges.create', { pointOfSaleId: 'pos_B' }).ok).toBe(false);
    // No resource named: refused, never assumed to be its own.
    expect(authorize(device('counter'), 'payments.read').ok).toBe(false);
    expect(authorize(device('counter'), 'payments.read', { pointOfSaleId: null }).ok).toBe(false);
    for (const a of ['payments.refund', 'links.manage', 'charges.cancel', 'payments.confirm', 'pointsOfSale.read', 'settings.read', 'shop.manage'] as Action[]) {
      expect(authorize(device('counter'), a, { pointOfSaleId: 'pos_A' }).ok, a).toBe(false);
    }
  });

  it('a display device reads its display and its stream, nothing else', () => {
    expect(allowedActions('display').sort()).toEqual(['display.read', 'events.read']);
    expect(authorize(device('display'), 'display.read', { pointOfSaleId: 'pos_A' }).ok).toBe(true);
    expect(authorize(device('display'), 'display.read', { pointOfSaleId: 'pos_B' }).ok).toBe(false);
    expect(authorize(device('display'), 'display.change', { pointOfSaleId: 'pos_A' }).ok).toBe(false);
    expect(authorize(device('display'), 'charges.create', { pointOfSaleId: 'pos_A' }).ok).toBe(false);
  });

  it('staff are not bound to a point of sale', () => {
    expect(authorize(staff('cashier'), 'charges.create', { pointOfSaleId: 'pos_B' }).ok).toBe(true);
    expect(authorize(staff('cashier'), 'payments.refund').ok).toBe(false);
    expect(authorize(staff('manager'), 'payments.refund').ok).toBe(true);
  });
});

describe('the route table', () => {
  it('closes a route it does not list to everyone but owners', () => {
    expect(ruleFor('POST', '/api/v1/some-new-route').action).toBe('shop.manage');
    expect(ruleFor('GET', '/api/v1/devices').action).toBe('shop.manage');
    expect(ruleFor('POST', '/api/v1/staff-users').action).toBe('shop.manage');
    expect(ruleFor('POST', '/api/v1/api-keys').action).toBe('shop.manage');
    expect(ruleFor('PATCH', '/api/v1/settings').action).toBe('shop.manage');
    expect(ruleFor('HEAD', '/api/v1/links').action).toBe('links.read');
  });

  it('names, for every route a device may use, where its point of sale is found', () => {
    for (const [route, rule] of Object.entries(ROUTE_RULES)) {
      const forDevices = roleMay('counter', rule.action) || roleMay('display', rule.action);
      if (forDevices) expect(rule.pos, route).toBeTypeOf('function');
    }
  });
});
