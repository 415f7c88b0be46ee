/** Dates and times for the staff UI, in the browser's locale and zone (the shop's machine). */

/**
 * Building an Intl formatter loads locale data: far slower than using one. The feed renders
 * hundreds of rows on every event, so keep one formatter per locale and options.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

/** "Jan 15, 2026, 10:00 AM"; within the current year without the year ("Jan 15, 10:00 AM"). */
export function formatDateTime(iso: string | null | undefined, locale: string, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sameYear = d.getFullYear() === now.getFullYear();
  return cached(`dt|${locale}|${sameYear}`, () =>
    new Intl.DateTimeFormat(locale, { year: sameYear ? undefined : 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }),
  ).format(d);
}

/**
 * A booking day ("2026-01-15", as statements give it) -> "Jan 15, 2026". A plain date has no
 * time zone: it is formatted as that calendar day, never shifted to the day before.
 */
export function formatDay(day: string | null | undefined, locale: string): string {
  if (!day) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return cached(`day|${locale}`, () => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })).format(d);
}

export function formatTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : cached(`t|${locale}`, () => new Intl.DateTimeFormat(locale, { timeStyle: 'medium' })).format(d);
}

/** "10:42" / "10:42 AM": hours and minutes. */
export function formatClock(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : cached(`hm|${locale}`, () => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' })).format(d);
}

/** "just now", "5 min ago", "yesterday" … */
export function formatRelative(iso: string, locale: string, now = Date.now()): string {
  const diff = (new Date(iso).getTime() - now) / 1000;
  const rtf = cached(`rel|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const abs = Math.abs(diff);
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(diff / 3600), 'hour');
  return rtf.format(Math.round(diff / 86_400), 'day');
}

/** 754 s -> "12:34"; 3 h -> "3:00:00". */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** A <input type="date"> value (local day) -> the RFC 3339 start or end of that day. */
export function dayBoundary(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = end ? new Date(y, m - 1, d + 1, 0, 0, 0, 0) : new Date(y, m - 1, d, 0, 0, 0, 0);
  return date.toISOString();
}

/** An ISO time -> the value of <input type="datetime-local"> in local time. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** <input type="datetime-local"> value -> ISO with zone; '' for empty or invalid. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}
