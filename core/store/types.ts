/**
 * What the store hands to core: pages, filters and the records that have no aggregate module of
 * their own in core. Row shapes (snake_case, as the tables hold them) stay in `repos/`.
 */
import type { LinkStatus } from '../links/types';
import type { PaymentStatus } from '../payments/types';
import type { TipSettings } from '../payments/tips';

/** One page of a newest-first list; `nextCursor` is opaque to callers. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

/** Where the next page starts: after `seq`, or, in a list ordered by a time column, after `(key, seq)`. */
export interface CursorPosition {
  seq: number;
  key?: number;
}

export function encodeCursor(at: CursorPosition): string {
  return Buffer.from(at.key === undefined ? `s${at.seq}` : `k${at.key}.${at.seq}`).toString('base64url');
}

/** Undefined for a cursor we did not make: the caller reports it as a validation error. */
export function decodeCursor(cursor: string): CursorPosition | undefined {
  const text = Buffer.from(cursor, 'base64url').toString();
  const bySeq = /^s(\d{1,15})$/.exec(text);
  if (bySeq) return { seq: Number(bySeq[1]) };
  const byKey = /^k(\d{1,15})\.(\d{1,15})$/.exec(text);
  return byKey ? { key: Number(byKey[1]), seq: Number(byKey[2]) } : undefined;
}

export interface PointOfSaleRecord {
  id: string;
  name: string;
  currency: string;
  isDefault: boolean;
  /** Default payment methods of its links and charges; null = every method available. */
  methods: string[] | null;
  /** Tips on or off, with up to three preset percentages; undefined/null = off. */
  tips?: TipSettings | null;
  createdAt: number;
  updatedAt: number;
}

export interface EventRecord {
  id: number;
  /** null: about something both modes share (points of sale, settings). */
  livemode: boolean | null;
  type: string;
  createdAt: number;
  data: unknown;
}

export interface DisplayRecord {
  pointOfSaleId: string;
  mode: 'idle' | 'link' | 'result';
  linkId: string | null;
  paymentId: string | null;
  resultUntil: number | null;
  updatedAt: number;
}

export interface EventQuery {
  /** Only this mode's events (and the shared ones). */
  livemode?: boolean | undefined;
  after?: number | undefined;
  before?: number | undefined;
  linkId?: string | undefined;
  order: 'asc' | 'desc';
  limit: number;
}

export interface SessionRecord {
  id: string;
  tokenHash: string;
  method: 'pin' | 'api_key';
  apiKeyId: string | null;
  /** Signed in as this staff user (method pin); null: the shop's single PIN or an API key. */
  staffUserId: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** `any`: a staff credential (the desktop app's) that chooses the mode per request. */
export type KeyMode = 'live' | 'test' | 'any';

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  role: string;
  mode: KeyMode;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface LinkFilter {
  now: number;
  livemode?: boolean | undefined;
  status?: LinkStatus | undefined;
  pointOfSaleId?: string | undefined;
  createdAfter?: number | undefined;
  createdBefore?: number | undefined;
  expiresAfter?: number | undefined;
  expiresBefore?: number | undefined;
  q?: string | undefined;
}

export interface PaymentFilter {
  livemode?: boolean | undefined;
  /** Search: refId, reference, payer name or email (contains, any case), or the amount. */
  q?: string | undefined;
  method?: string | undefined;
  linkId?: string | undefined;
  pointOfSaleId?: string | undefined;
  status?: PaymentStatus | undefined;
  createdAfter?: number | undefined;
  createdBefore?: number | undefined;
}

export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number;
  body: string;
  createdAt: number;
}

export type DeviceRole = 'counter' | 'display';

export interface PairingCodeRecord {
  codeHash: string;
  role: DeviceRole;
  pointOfSaleId: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface DeviceRecord {
  id: string;
  name: string;
  role: DeviceRole;
  pointOfSaleId: string;
  createdAt: number;
  lastSeenAt: number | null;
  revokedAt: number | null;
}

export type StaffRole = 'owner' | 'manager' | 'cashier';

export interface StaffUserRecord {
  id: string;
  name: string;
  role: StaffRole;
  /** The scrypt hash of the PIN, as JSON (see core/pins.ts). */
  pin: string;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}
