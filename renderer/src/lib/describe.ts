import type { TFunction } from 'i18next';
import type { EventItem, Link, Notification, Payment, WebhookEndpoint } from '../api/types';
import { formatMoney } from './amount';
import { ALERT_EVENTS, type EventType } from '../../../core/event-catalogue';

export interface EventDescription {
  title: string;
  detail: string;
  tone: 'green' | 'red' | 'amber' | 'blue' | 'gray' | 'violet';
  /** Where a click on it goes. */
  to: string | null;
}

/** The colour of an event in the feed; the catalogue (core/event-catalogue.ts) names the types. */
const TONES: Partial<Record<EventType, EventDescription['tone']>> = {
  'payment.succeeded': 'green',
  'day.closed': 'violet',
  'payment.failed': 'red',
  'payment.created': 'blue',
  'payment.refunded': 'amber',
  'payment.abandoned': 'gray',
  'payment.cancelled': 'gray',
  'link.created': 'violet',
  'link.cancelled': 'red',
  'link.expired': 'amber',
  'link.consumed': 'green',
  'link.limit_reached': 'amber',
  'notification.queued': 'gray',
  'notification.sent': 'blue',
  'notification.delivered': 'green',
  'notification.failed': 'red',
  'webhook_endpoint.failing': 'red',
  'webhook_endpoint.recovered': 'green',
  'payment.transfer_reversed': 'red',
  'payment.paid_after_end': 'red',
  'payment.refund_succeeded': 'amber',
  'payment.refund_failed': 'red',
  'bank_statement.imported': 'blue',
  'bank_credit.unmatched': 'amber',
};

/** Events that need someone to act: red in the feed, counted as unread, under "Alerts". */
const ALERTS = new Set<EventType>(ALERT_EVENTS);

export function isAlert(e: Pick<EventItem, 'type'>): boolean {
  return ALERTS.has(e.type);
}

/** One event in words, for the feed and a link's timeline. Unknown types still read sensibly. */
export function describeEvent(e: EventItem, t: TFunction, locale: string): EventDescription {
  const tone = TONES[e.type] ?? 'gray';
  const known = /^[a-z_]+\.[a-z_]+$/.test(e.type) ? t(`events.${e.type}`, { defaultValue: '' }) : '';
  const title = known || e.type;
  if (e.type.startsWith('payment.')) {
    const p = e.data as Partial<Payment> | null;
    const amount = p?.amount && p.currency ? formatMoney(e.type === 'payment.refunded' ? p.refundedAmount ?? p.amount : p.amount, p.currency, locale) : '';
    const hasTip = e.type !== 'payment.refunded' && p?.tipAmount && p.currency && !/^0+(?:\.0+)?$/.test(p.tipAmount);
    const tip = hasTip ? t('feed.tip', { amount: formatMoney(p.tipAmount!, p.currency!, locale) }) : '';
    return { title, detail: [amount, tip, p?.refId].filter(Boolean).join(' · '), tone, to: p?.id ? `/payments/${p.id}` : null };
  }
  if (e.type.startsWith('link.')) {
    const l = e.data as Partial<Link> | null;
    const amount = l?.amount && l.currency ? formatMoney(l.amount, l.currency, locale) : '';
    return { title, detail: [l?.name, amount].filter(Boolean).join(' · '), tone, to: l?.id ? `/links/${l.id}` : null };
  }
  if (e.type.startsWith('notification.')) {
    const n = e.data as Partial<Notification> | null;
    const channel = n?.channel ? t(`channels.${n.channel}`, { defaultValue: n.channel }) : '';
    const kind = n?.kind === 'receipt' ? t('feed.receiptEmail') : null;
    const detail = [kind, channel && n?.to ? `${channel} · ${n.to}` : (n?.to ?? ''), e.type === 'notification.failed' ? n?.lastError : null].filter(Boolean).join(' · ');
    return { title, detail, tone, to: n?.id ? `/messages/${n.id}` : null };
  }
  if (e.type.startsWith('webhook_endpoint.')) {
    const w = e.data as Partial<WebhookEndpoint> & { deleted?: boolean } | null;
    const detail = [w?.url, e.type === 'webhook_endpoint.failing' ? w?.lastError : null].filter(Boolean).join(' · ');
    return { title, detail, tone, to: w?.id && !w.deleted && e.type !== 'webhook_endpoint.deleted' ? `/webhooks/${w.id}` : null };
  }
  if (e.type.startsWith('bank_statement.')) {
    const st = e.data as { kind?: string; matched?: unknown; unmatched?: unknown; messageId?: string } | null;
    const count = (v: unknown): number | null => (Array.isArray(v) ? v.length : typeof v === 'number' ? v : null);
    const matched = count(st?.matched);
    const unmatched = count(st?.unmatched);
    const figures = [matched !== null ? `${t('bank.matched')}: ${matched}` : '', unmatched ? `${t('bank.unmatched')}: ${unmatched}` : ''].filter(Boolean).join(', ');
    return { title, detail: [st?.kind, figures].filter(Boolean).join(' · '), tone, to: '/bank' };
  }
  if (e.type.startsWith('bank_credit.')) {
    const c = e.data as { amount?: string; currency?: string; debtorName?: string | null; reason?: string | null } | null;
    const amount = c?.amount ? formatMoney(c.amount, c.currency ?? 'EUR', locale) : '';
    const reason = c?.reason ? t(`bank.reason.${c.reason}`, { defaultValue: c.reason }) : '';
    return { title, detail: [amount, c?.debtorName, reason].filter(Boolean).join(' · '), tone, to: '/bank' };
  }
  if (e.type === 'day.closed') {
    const d = e.data as { date?: string; number?: number } | null;
    return { title, detail: [d?.date, d?.number !== undefined ? `#${d.number}` : ''].filter(Boolean).join(' · '), tone, to: '/reports' };
  }
  if (e.type === 'display.updated') {
    const d = e.data as { mode?: string } | null;
    return { title, detail: d?.mode ? t(`events.displayMode.${d.mode}`, { defaultValue: d.mode }) : '', tone, to: null };
  }
  if (e.type.startsWith('device.') || e.type.startsWith('staff_user.')) {
    const who = e.data as { name?: string; role?: string } | null;
    const role = who?.role ? t(`staff.roles.${who.role}`, { defaultValue: who.role }) : '';
    return { title, detail: [who?.name, role].filter(Boolean).join(' · '), tone, to: '/settings/staff' };
  }
  const data = e.data as Record<string, unknown> | null;
  const hint = data && typeof data === 'object' ? (['name', 'to', 'url', 'status'].map((k) => data[k]).find((v) => typeof v === 'string') as string | undefined) : undefined;
  return { title, detail: hint ?? '', tone, to: null };
}
