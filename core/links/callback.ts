/**
 * Callback URLs: where the customer's browser goes after paying (or cancelling).
 *
 * A link's `callbackUrl` is given as an absolute http(s) URL, an index into the merchant's list
 * (`settings.callbackUrls`, e.g. "0"), or two of those comma-separated: the first for succeeded
 * and failed payments, the second for cancelled ones (a comma inside a URL must be
 * percent-encoded). Indexes are resolved when the link is saved, so the link stores one or two
 * absolute URLs. Once the list has entries, every URL's origin must be on it.
 *
 * The redirect target is built from the stored value only (`callbackTarget`): nothing a
 * customer sends can change it.
 */

export const MAX_CALLBACK_URL_LENGTH = 2000;
export const MAX_CALLBACK_URLS = 20;

export type CallbackOutcome = 'succeeded' | 'failed' | 'cancelled';
const OUTCOMES: readonly string[] = ['succeeded', 'failed', 'cancelled'];

/** An absolute http(s) URL without credentials or raw commas; else why not. */
export function httpUrlProblem(text: string): string | undefined {
  if (text.length > MAX_CALLBACK_URL_LENGTH) return `must be at most ${MAX_CALLBACK_URL_LENGTH} characters`;
  if (text.includes(',')) return 'must not contain a comma (percent-encode it as %2C)';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username || url.password) return 'must not contain credentials';
  return undefined;
}

function originOf(text: string): string | undefined {
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
}

/** Whether `url`'s origin is on the list; an empty list allows every origin. */
export function originAllowed(url: string, allowList: readonly string[]): boolean {
  if (allowList.length === 0) return true;
  const origin = originOf(url);
  return origin !== undefined && allowList.some((entry) => originOf(entry) === origin);
}

export type ResolvedCallback = { ok: true; value: string | null } | { ok: false; message: string };

/**
 * Resolves what a caller gave as a link's `callbackUrl` against the merchant's list: indexes
 * become the list's URLs, every URL is checked, and (once the list has entries) its origin must
 * be on it. Returns the value to store: one URL, or "success,cancel".
 */
export function resolveCallbackUrl(value: unknown, allowList: readonly string[]): ResolvedCallback {
  if (value === null || value === '') return { ok: true, value: null };
  if (typeof value !== 'string' || value.length > MAX_CALLBACK_URL_LENGTH) {
    return { ok: false, message: `must be an absolute http(s) URL of at most ${MAX_CALLBACK_URL_LENGTH} characters, an index into settings.callbackUrls, or two of those comma-separated` };
  }
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length > 2) return { ok: false, message: 'give one or two URLs (success and failure, then cancel); percent-encode a comma inside a URL as %2C' };
  const resolved: string[] = [];
  for (const [i, part] of parts.entries()) {
    const which = parts.length === 2 ? (i === 0 ? 'the first (success) URL ' : 'the second (cancel) URL ') : '';
    if (part === '') return { ok: false, message: `${which}is empty` };
    let url = part;
    if (/^\d+$/.test(part)) {
      const index = Number(part);
      const entry = allowList[index];
      if (entry === undefined) {
        return { ok: false, message: `${which}refers to callback URL ${part}, but settings.callbackUrls has ${allowList.length === 0 ? 'no entries' : `entries 0-${allowList.length - 1}`}` };
      }
      url = entry;
    } else {
      const problem = httpUrlProblem(part);
      if (problem) return { ok: false, message: `${which}${problem}` };
      if (!originAllowed(part, allowList)) return { ok: false, message: `${which}must have an origin listed in settings.callbackUrls` };
    }
    resolved.push(url);
  }
  return { ok: true, value: resolved.join(',') };
}

/**
 * Which callback a payment's status leads to: succeeded (also when later refunded), failed, or
 * cancelled (also abandoned: the customer never finished). Null while it is still pending.
 */
export function callbackOutcome(paymentStatus: string): CallbackOutcome | null {
  switch (paymentStatus) {
    case 'succeeded':
    case 'partially_refunded':
    case 'refunded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'cancelled':
    case 'abandoned':
      return 'cancelled';
    default:
      return null;
  }
}

/** The origins a link's stored callbackUrl can send the browser to (e.g. for a CSP form-action). */
export function callbackOrigins(callbackUrl: string | null | undefined): string[] {
  if (!callbackUrl) return [];
  const origins = callbackUrl
    .split(',')
    .map((p) => p.trim())
    .filter((p) => httpUrlProblem(p) === undefined)
    .map((p) => new URL(p).origin);
  return [...new Set(origins)];
}

/**
 * Where the result page sends the customer's browser: the link's stored `callbackUrl` (first URL
 * for succeeded and failed, the second — if any — for cancelled), with `status` and `paymentId`
 * set in its query. Null when the link has no callback, the outcome is not one of the three, or
 * the stored value is not a usable URL. With `allowList` (settings.callbackUrls) given and not
 * empty, a target whose origin is no longer on it is refused too (null).
 */
export function callbackTarget(
  callbackUrl: string | null | undefined,
  outcome: CallbackOutcome,
  paymentId: string,
  allowList?: readonly string[],
): string | null {
  if (!callbackUrl || !OUTCOMES.includes(outcome)) return null;
  const [first, second] = callbackUrl.split(',').map((p) => p.trim());
  const chosen = outcome === 'cancelled' && second ? second : first;
  if (!chosen || httpUrlProblem(chosen) !== undefined) return null;
  if (allowList && !originAllowed(chosen, allowList)) return null;
  const url = new URL(chosen);
  // Our parameters replace any of the same name; the merchant's own query stays as written.
  const kept = url.search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && !/^(status|paymentId)(=|$)/.test(pair));
  kept.push(`status=${outcome}`, `paymentId=${encodeURIComponent(paymentId)}`);
  url.search = `?${kept.join('&')}`;
  return url.href;
}
