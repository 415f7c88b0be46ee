import { ApiError } from '../api/client';
import type { WebhookDelivery, WebhookEncryption, WebhookEndpoint } from '../api/types';
import type { EventType } from '../../../core/event-catalogue';
import { errorToFormErrors, humanizeMessage, type FormErrors, type Translate } from './form-errors';

/**
 * The event types the picker offers, by family, in this order: the ones a merchant's system acts
 * on (staff-only events such as devices, staff users and day closes are left to "all events").
 * Checked against the catalogue (core/event-catalogue.ts) at compile time.
 */
const PICKABLE = [
  'payment.created', 'payment.succeeded', 'payment.failed', 'payment.abandoned', 'payment.cancelled', 'payment.refunded',
  'link.created', 'link.updated', 'link.enabled', 'link.disabled', 'link.locked', 'link.unlocked', 'link.consumed', 'link.expired', 'link.cancelled', 'link.limit_reached',
  'notification.queued', 'notification.sent', 'notification.delivered', 'notification.failed',
  'webhook_endpoint.created', 'webhook_endpoint.updated', 'webhook_endpoint.deleted', 'webhook_endpoint.failing', 'webhook_endpoint.recovered',
  'point_of_sale.created', 'point_of_sale.updated',
  'display.updated',
] as const satisfies readonly EventType[];

/** The event types an endpoint can subscribe to, by family (API.md "Events"). */
export const EVENT_FAMILIES: { family: string; types: string[] }[] = PICKABLE.reduce<{ family: string; types: string[] }[]>((families, type) => {
  const [family, name] = type.split('.') as [string, string];
  const last = families[families.length - 1];
  if (last?.family === family) last.types.push(name);
  else families.push({ family, types: [name] });
  return families;
}, []);

const KNOWN = new Set(['*', ...EVENT_FAMILIES.flatMap((f) => [`${f.family}.*`, ...f.types.map((t) => `${f.family}.${t}`)])]);

/** Same rule as the server: "*", an exact type, or a family wildcard "link.*". */
export function patternCovers(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/**
 * Ticking a pattern on or off in the picker, keeping the list minimal: "*" stands alone; a
 * family wildcard replaces that family's single types; a single type already covered by its
 * family's wildcard cannot be ticked off on its own (the wildcard has to go first); ticking one
 * while "*" is on narrows the list to it.
 */
export function togglePattern(patterns: readonly string[], pattern: string): string[] {
  const on = patterns.includes(pattern);
  if (on) return patterns.filter((p) => p !== pattern);
  if (pattern === '*') return ['*'];
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return [...patterns.filter((p) => p !== '*' && !p.startsWith(prefix)), pattern];
  }
  const rest = patterns.filter((p) => p !== '*');
  if (patternCovers(rest, pattern)) return [...patterns];
  return [...rest, pattern];
}

/** Patterns the picker has no checkbox for (set through the API): shown so they can be removed. */
export function unknownPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((p) => !KNOWN.has(p));
}

/** The endpoint form, as typed. */
export interface EndpointFormValues {
  url: string;
  description: string;
  events: string[];
  encryption: WebhookEncryption;
}

export const ENDPOINT_FIELDS = ['url', 'description', 'events', 'encryption', 'enabled'];

export function emptyEndpointForm(): EndpointFormValues {
  return { url: '', description: '', events: ['*'], encryption: 'none' };
}

export function endpointToForm(e: WebhookEndpoint): EndpointFormValues {
  return { url: e.url, description: e.description ?? '', events: [...e.events], encryption: e.encryption };
}

export function buildEndpointCreateBody(v: EndpointFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { url: v.url.trim(), events: v.events, encryption: v.encryption };
  if (v.description.trim() !== '') body.description = v.description.trim();
  return body;
}

/** PATCH body: only what changed. */
export function buildEndpointPatchBody(v: EndpointFormValues, e: WebhookEndpoint): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (v.url.trim() !== e.url) body.url = v.url.trim();
  const description = v.description.trim() === '' ? null : v.description.trim();
  if (description !== e.description) body.description = description;
  if (JSON.stringify([...v.events].sort()) !== JSON.stringify([...e.events].sort())) body.events = v.events;
  if (v.encryption !== e.encryption) body.encryption = v.encryption;
  return body;
}

/** Secrets the server shows once (create, rotate, switching encryption on). */
export interface RevealedSecrets {
  secret?: string;
  encryptionKey?: string;
  /** Why it is shown: a new endpoint, a rotated secret, or encryption switched on. */
  reason: 'created' | 'rotated' | 'encryption';
}

export function revealedSecrets(e: WebhookEndpoint, reason: RevealedSecrets['reason']): RevealedSecrets | null {
  if (!e.secret && !e.encryptionKey) return null;
  return { reason, ...(e.secret ? { secret: e.secret } : {}), ...(e.encryptionKey ? { encryptionKey: e.encryptionKey } : {}) };
}

/** A delivery that will change by itself soon: poll the log while one is on screen. */
export function deliveryInFlight(d: Pick<WebhookDelivery, 'status'>): boolean {
  return d.status === 'queued' || d.status === 'sending';
}

/** The newest attempt: its status code and duration sum a delivery up in the log. */
export function lastAttempt(d: Pick<WebhookDelivery, 'attempts'>): WebhookDelivery['attempts'][number] | undefined {
  return d.attempts[d.attempts.length - 1];
}

/** The callback URL allow-list editor's rows -> the PATCH value (blank rows dropped). */
export function cleanUrlList(rows: readonly string[]): string[] {
  return rows.map((r) => r.trim()).filter((r) => r !== '');
}

/** Per-row errors of a list setting (`callbackUrls[2]` -> row 2 of the cleaned list), the rest general. */
export interface ListErrors {
  rows: Record<number, string[]>;
  general: string[];
}

export function listErrors(err: unknown, key: string, t: Translate): ListErrors {
  const out: ListErrors = { rows: {}, general: [] };
  if (err instanceof ApiError && err.problem.type === 'validation-error' && Array.isArray(err.problem.errors)) {
    for (const e of err.problem.errors) {
      const m = new RegExp(`^${key}(?:\\[(\\d+)\\]|\\.(\\d+))`).exec(e.path);
      const index = m ? Number(m[1] ?? m[2]) : NaN;
      const message = humanizeMessage(e.message, t);
      if (Number.isInteger(index)) (out.rows[index] ??= []).push(message);
      else out.general.push(message);
    }
    return out;
  }
  const fe: FormErrors = errorToFormErrors(err, [], {}, t);
  out.general.push(...fe.general);
  return out;
}
