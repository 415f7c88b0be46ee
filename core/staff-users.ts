import type { CoreContext } from './context';
import type { StaffRole, StaffUserRecord } from './store/types';
import type { Tx } from './store/port';
import { DomainError, ValidationError, notFound, type FieldError } from './errors';
import { newId } from './ids';
import { toIso } from './clock';
import { PIN_PATTERN, hashPin, pinMatches, type StoredPin } from './pins';
import { STAFF_ROLES, type Actor } from './authorization';

export interface StaffUserView {
  id: string;
  name: string;
  role: StaffRole;
  createdAt: string;
  updatedAt: string;
}

export function staffUserView(u: StaffUserRecord): StaffUserView {
  return { id: u.id, name: u.name, role: u.role, createdAt: toIso(u.createdAt), updatedAt: toIso(u.updatedAt) };
}

interface StaffUserInput {
  name?: string;
  pin?: string;
  role?: StaffRole;
}

function checkInput(input: Record<string, unknown>, creating: boolean): StaffUserInput {
  const errors: FieldError[] = [];
  const out: StaffUserInput = {};
  for (const key of Object.keys(input)) {
    if (!['name', 'pin', 'role'].includes(key)) errors.push({ path: key, message: 'is not a field of a staff user', code: 'additionalProperties' });
  }
  if (input.name !== undefined || creating) {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length < 1 || name.length > 60) errors.push({ path: 'name', message: 'must be 1-60 characters', code: 'length', params: { min: 1, max: 60 } });
    else out.name = name;
  }
  if (input.pin !== undefined || creating) {
    if (typeof input.pin !== 'string' || !PIN_PATTERN.test(input.pin)) errors.push({ path: 'pin', message: 'must be 4 to 12 digits', code: 'pattern', params: { min: 4, max: 12 } });
    else out.pin = input.pin;
  }
  if (input.role !== undefined || creating) {
    if (!STAFF_ROLES.includes(input.role as StaffRole)) errors.push({ path: 'role', message: `must be one of ${STAFF_ROLES.join(', ')}`, code: 'enum' });
    else out.role = input.role as StaffRole;
  }
  if (errors.length) throw new ValidationError(errors);
  return out;
}

/**
 * Staff users: a name, a role (owner, manager, cashier) and their own PIN, kept as an scrypt hash
 * like the shop's single PIN. The last owner can be neither demoted nor deleted, so a shop never
 * locks itself out of its own settings. A deleted user's sessions end at once.
 */
export class StaffUsersService {
  constructor(private readonly ctx: CoreContext) {}

  async list(): Promise<StaffUserView[]> {
    return (await this.ctx.store.read((t) => t.staffUsers.list())).map(staffUserView);
  }

  async get(id: string): Promise<StaffUserRecord | undefined> {
    return this.ctx.store.read((t) => t.staffUsers.get(id));
  }

  async create(raw: Record<string, unknown>, actor?: Actor): Promise<StaffUserView> {
    const input = checkInput(raw, true);
    const { store, clock, events } = this.ctx;
    const now = clock.now();
    const pin = JSON.stringify(await hashPin(input.pin!, now));
    return store.tx(async (t) => {
      events.actAs(t, actor);
      const record: StaffUserRecord = { id: newId('usr'), name: input.name!, role: input.role!, pin, createdAt: now, updatedAt: now, deletedAt: null };
      await t.staffUsers.insert(record);
      events.append(t, 'staff_user.created', staffUserView(record));
      return staffUserView(record);
    });
  }

  async update(id: string, raw: Record<string, unknown>, actor?: Actor): Promise<StaffUserView> {
    const input = checkInput(raw, false);
    const { store, clock, events } = this.ctx;
    const now = clock.now();
    const newPin = input.pin === undefined ? undefined : JSON.stringify(await hashPin(input.pin, now));
    return store.tx(async (t) => {
      events.actAs(t, actor);
      const u = await t.staffUsers.get(id);
      if (!u) throw notFound('staff user', id);
      const next = { name: input.name ?? u.name, role: input.role ?? u.role, pin: newPin ?? u.pin, updatedAt: now };
      if (u.role === 'owner' && next.role !== 'owner') await this.keepAnOwner(t);
      if (!(await t.staffUsers.update(id, next))) throw notFound('staff user', id);
      // A new PIN or another role: sessions made with the old ones end.
      if (newPin !== undefined || next.role !== u.role) await t.sessions.deleteByStaffUser(id);
      const view = staffUserView({ ...u, ...next });
      events.append(t, 'staff_user.updated', view);
      return view;
    });
  }

  async delete(id: string, actor?: Actor): Promise<void> {
    const { store, clock, events } = this.ctx;
    await store.tx(async (t) => {
      events.actAs(t, actor);
      const u = await t.staffUsers.get(id);
      if (!u) throw notFound('staff user', id);
      if (u.role === 'owner') await this.keepAnOwner(t);
      if (!(await t.staffUsers.delete(id, clock.now()))) throw notFound('staff user', id);
      await t.sessions.deleteByStaffUser(id);
      events.append(t, 'staff_user.deleted', staffUserView(u));
    });
  }

  /** The user when the PIN is theirs; undefined otherwise (unknown user, wrong PIN). */
  async verify(id: string, pin: string): Promise<StaffUserRecord | undefined> {
    const u = await this.get(id);
    if (!u) return undefined;
    return (await pinMatches(JSON.parse(u.pin) as StoredPin, pin)) ? u : undefined;
  }

  private async keepAnOwner(t: Tx): Promise<void> {
    await t.lock('staff-users');
    if ((await t.staffUsers.count('owner')) <= 1) throw new DomainError('conflict', 'The shop needs at least one owner: make another user owner first.');
  }
}
