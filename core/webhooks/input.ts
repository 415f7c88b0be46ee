import type { Checker } from '../validate';
import { ENCRYPTIONS, type WebhookEncryption } from './types';
import { LIMITS } from '../limits';

export const MAX_EVENT_PATTERNS = 50;
/** "*", "link.*", "payment.succeeded", "webhook_endpoint.failing"… */
const EVENT_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

/** Whether an endpoint subscribed with `patterns` gets events of `type`. */
export function matchesEvent(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** An absolute http(s) URL without credentials. LAN addresses and localhost are fine. */
export function checkEndpointUrl(c: Checker, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > LIMITS.url) return c.fail('url', `must be an absolute http(s) URL of at most ${LIMITS.url} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return c.fail('url', 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return c.fail('url', 'must use http or https');
  if (url.username || url.password) return c.fail('url', 'must not contain credentials');
  return value;
}

/** A non-empty list of event types or wildcards ("link.*", "*"); duplicates dropped. */
export function checkEventPatterns(c: Checker, value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_EVENT_PATTERNS) {
    return c.fail('events', `must be a list of 1-${MAX_EVENT_PATTERNS} event types, e.g. ["payment.succeeded", "link.*"] or ["*"]`);
  }
  let ok = true;
  value.forEach((p: unknown, i) => {
    if (typeof p !== 'string' || p.length > 100 || !EVENT_PATTERN.test(p)) {
      c.fail(`events[${i}]`, 'must be an event type such as payment.succeeded, a wildcard such as link.*, or *');
      ok = false;
    }
  });
  return ok ? [...new Set(value as string[])] : undefined;
}

export function checkEncryption(c: Checker, value: unknown): WebhookEncryption | undefined {
  if (typeof value === 'string' && (ENCRYPTIONS as readonly string[]).includes(value)) return value as WebhookEncryption;
  return c.fail('encryption', `must be one of ${ENCRYPTIONS.join(', ')}`);
}
