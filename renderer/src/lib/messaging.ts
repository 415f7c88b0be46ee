import { ApiError } from '../api/client';
import type { Channel, EventItem, Notification, NotificationStatus, Problem } from '../api/types';
import { errorToFormErrors, problemToFormErrors, type FormErrors, type Translate } from './form-errors';

/** The send dialog's state: text as typed; the server validates the address. */
export interface SendFormValues {
  channel: Channel;
  to: string;
  locale: string;
  message: string;
}

export const SEND_FIELDS = ['channel', 'to', 'locale', 'message'];

/** How long a personal note may be (the server's limits). */
export const MESSAGE_MAX: Record<Channel, number> = { email: 1000, sms: 300 };

/** POST /api/v1/links/{id}/send body: the note only when there is one. */
export function buildSendBody(v: SendFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { channel: v.channel, to: v.to.trim(), locale: v.locale };
  if (v.message.trim() !== '') body.message = v.message.trim();
  return body;
}

/**
 * A refused send in words: the validator's errors next to their fields (422), and the two
 * refusals that are about the link or the hour rather than a field — 409 link-not-usable (with
 * the link's status) and 429 rate-limited (with Retry-After in seconds) — above the buttons.
 */
export function sendErrors(err: unknown, t: Translate): FormErrors {
  if (err instanceof ApiError) {
    const p: Problem = err.problem;
    if (p.type === 'link-not-usable') {
      const status = typeof p.linkStatus === 'string' ? p.linkStatus : '';
      return { fields: {}, general: [t('send.linkNotUsable', { status: status ? t(`linkStatus.${status}`, { defaultValue: status }) : '' })] };
    }
    if (p.type === 'rate-limited' || err.status === 429) {
      const seconds = typeof p.retryAfter === 'number' ? p.retryAfter : null;
      return { fields: {}, general: [seconds === null ? t('send.rateLimitedSoon') : t('send.rateLimited', { minutes: Math.max(1, Math.ceil(seconds / 60)) })] };
    }
    return problemToFormErrors(p, SEND_FIELDS, {}, t);
  }
  return errorToFormErrors(err, SEND_FIELDS, {}, t);
}

/**
 * "Retry now" is offered for a message that failed, or waits for its next try after a failed
 * one (the server would take any waiting message, but a fresh one is about to go anyway).
 */
export function canRetry(n: Pick<Notification, 'status' | 'lastError'>): boolean {
  return n.status === 'failed' || (n.status === 'queued' && n.lastError !== null);
}

/** Waiting or going out: worth re-reading now and then (a retry that failed again sends no event). */
export function isInFlight(n: Pick<Notification, 'status'>): boolean {
  return n.status === 'queued' || n.status === 'sending';
}

export interface NotificationFilters {
  channel: Channel | '';
  status: NotificationStatus | '';
  linkId: string;
}

function matches(n: Notification, f: Partial<NotificationFilters>): boolean {
  return (!f.channel || n.channel === f.channel) && (!f.status || n.status === f.status) && (!f.linkId || n.linkId === f.linkId);
}

function notificationOf(e: EventItem): Notification | undefined {
  if (!e.type.startsWith('notification.')) return undefined;
  const d = e.data as Notification | null;
  return d && typeof d === 'object' && typeof d.id === 'string' && typeof d.linkId === 'string' && typeof d.status === 'string' ? d : undefined;
}

const newestFirst = (a: Notification, b: Notification): number => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1);

/**
 * A list of notifications (newest first) with one newer state of a message: a known one is
 * replaced (or dropped when it no longer matches the filters), an older state arriving late is
 * ignored, a new one that matches goes in at its place when `addNew` (the first page).
 */
export function upsertNotification(items: Notification[], n: Notification, filters: Partial<NotificationFilters> = {}, addNew = true): Notification[] {
  const i = items.findIndex((x) => x.id === n.id);
  if (i >= 0) {
    if (items[i]!.updatedAt > n.updatedAt) return items;
    return matches(n, filters) ? items.map((x, j) => (j === i ? n : x)) : items.filter((_, j) => j !== i);
  }
  return addNew && matches(n, filters) ? [...items, n].sort(newestFirst) : items;
}

/** The same for live `notification.*` events (oldest first, so the last word about a message wins). */
export function applyNotificationEvents(items: Notification[], events: EventItem[], filters: Partial<NotificationFilters> = {}, addNew = true): Notification[] {
  let out = items;
  for (const e of events) {
    const n = notificationOf(e);
    if (n) out = upsertNotification(out, n, filters, addNew);
  }
  return out;
}

export type ReportPreset = 'thisMonth' | 'lastMonth' | 'all';
export const REPORT_PRESETS: ReportPreset[] = ['thisMonth', 'lastMonth', 'all'];

/** The query of GET /api/v1/reports/messages for a preset: calendar months in local time, [from, to). */
export function reportPeriod(preset: ReportPreset, now = new Date()): { from?: string; to?: string } {
  if (preset === 'all') return {};
  const start = new Date(now.getFullYear(), now.getMonth() + (preset === 'lastMonth' ? -1 : 0), 1);
  const end = new Date(start.getFullYear(), start.getMonth() + 1, 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/**
 * How to show a message: an email as the server renders it, in a sandboxed frame loading the
 * preview URL (its own CSP allows the inline styles; the session cookie goes along); with a
 * bearer key (desktop) a frame cannot authenticate, and a srcdoc frame would inherit the staff
 * UI's CSP and lose every style, so it shows the text part. An SMS is text either way.
 */
export function previewMode(channel: Channel, usesCookie: boolean): 'frame' | 'text' {
  return channel === 'email' && usesCookie ? 'frame' : 'text';
}

/** A write-only secret in a form: keep what is stored, set a new one, or clear it. */
export interface SecretInput {
  mode: 'keep' | 'set' | 'clear';
  value: string;
}

export const KEEP_SECRET: SecretInput = { mode: 'keep', value: '' };

/** The PATCH value for a write-only secret: undefined (leave it), the new value, or null. */
export function secretPatch(s: SecretInput): string | null | undefined {
  if (s.mode === 'clear') return null;
  if (s.mode === 'set' && s.value !== '') return s.value;
  return undefined;
}

/** Settings text: '' -> null, else trimmed. */
export function nullable(text: string): string | null {
  return text.trim() === '' ? null : text.trim();
}

/**
 * The changed members of one settings section, for PATCH /api/v1/settings { [section]: … }.
 * `current` is the section as read; only keys present in `next` are compared.
 */
export function sectionPatch(current: Record<string, unknown> | undefined, next: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined) continue;
    if (current === undefined || current[k] !== v) out[k] = v;
  }
  return out;
}

/**
 * A settings section's errors: the server names them `email.host`, `billing.smsPrice`; the
 * section's form knows `host`, `smsPrice`. Errors of other sections (there should be none) stay
 * general.
 */
export function sectionErrors(err: unknown, section: string, fields: string[], t: Translate): FormErrors {
  if (err instanceof ApiError && err.problem.type === 'validation-error' && Array.isArray(err.problem.errors)) {
    const prefix = `${section}.`;
    const scoped: Problem = {
      ...err.problem,
      errors: err.problem.errors.map((e) => ({ ...e, path: e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path === section ? '(body)' : e.path })),
    };
    return problemToFormErrors(scoped, fields, {}, t);
  }
  return errorToFormErrors(err, fields, {}, t);
}
