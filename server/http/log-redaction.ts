import type { FastifyRequest, FastifyServerOptions } from 'fastify';

export const REDACTED = '[redacted]';

/** The secret path segment of SMS delivery-report URLs (`/hooks/sms/{id}/{secret}`). */
function redactDeliveryReportSecret(url: string): string {
  return url.replace(/(\/hooks\/sms\/[^/?#]+\/)[^/?#]+/g, `$1${REDACTED}`);
}

/** Query parameter names (lowercased) that carry a secret wherever they appear in the name. */
const SECRET_PARTS = ['token', 'secret', 'password', 'passwd', 'passphrase', 'apikey', 'signature', 'credential', 'privatekey'];
/** …and names that carry one when they are a whole word of the name (`key`, `api_key`, `X-Amz-Signature`, `code`). */
const SECRET_WORDS = new Set(['key', 'code', 'sig', 'pin', 'otp', 'pwd', 'pass', 'auth', 'authorization', 'session', 'sid', 'jwt', 'bearer', 'cookie', 'hmac']);

/** True for a query parameter name that carries a credential (`token`, `access_token`, `data[password]`, `apiKey`, `sig`…). */
export function isSecretParam(name: string): boolean {
  const lower = name.toLowerCase();
  const squashed = lower.replace(/[^a-z0-9]/g, '');
  if (SECRET_PARTS.some((part) => squashed.includes(part))) return true;
  // Words: split at separators and at camelCase humps (sessionId -> session, id).
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.some((w) => SECRET_WORDS.has(w));
}

/** `scheme://user:password@host` (also inside a query value, decoded): the user info goes. */
const USERINFO = /\/\/[^/?#@\s]*@/g;

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * A request URL as it may be logged: no user info (an absolute-form request target
 * `http://user:pass@host/…`), no value of a secret-bearing query parameter, no URL with user info
 * inside a query value, no delivery-report secret in a path. Everything else stays as sent.
 */
export function redactRequestUrl(url: string): string {
  let out = redactDeliveryReportSecret(url).replace(USERINFO, `//${REDACTED}@`);
  const q = out.indexOf('?');
  if (q === -1) return out;
  const hash = out.indexOf('#', q);
  const query = out.slice(q + 1, hash === -1 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = safeDecode(pair.slice(0, eq));
      const value = pair.slice(eq + 1);
      if (isSecretParam(name)) return `${pair.slice(0, eq)}=${REDACTED}`;
      const decoded = safeDecode(value);
      if (/\/\/[^/?#@\s]*@/.test(decoded)) return `${pair.slice(0, eq)}=${encodeURIComponent(decoded.replace(USERINFO, `//${REDACTED}@`))}`;
      return pair;
    })
    .join('&');
  out = `${out.slice(0, q + 1)}${redacted}${hash === -1 ? '' : out.slice(hash)}`;
  return out;
}

type LoggerOption = FastifyServerOptions['logger'];
type Serializer = (value: unknown) => unknown;

/**
 * Logger options whose request serializer never writes a credential: Fastify's default fields
 * (method, url, host, remote address/port) — or the caller's own `req` serializer — with the
 * url passed through `redactRequestUrl`. Headers are not logged at all.
 */
export function withRequestRedaction(logger: LoggerOption): LoggerOption {
  if (logger === false || logger === undefined || logger === null) return logger;
  const options = (logger === true ? {} : logger) as { serializers?: Record<string, Serializer> };
  const own = options.serializers?.req;
  const req = (request: unknown): unknown => {
    const r = request as FastifyRequest;
    const out = own
      ? (own(request) as Record<string, unknown>)
      : {
          method: r.method,
          url: r.url,
          version: r.headers?.['accept-version'],
          host: r.host,
          remoteAddress: r.ip,
          remotePort: r.socket?.remotePort,
        };
    if (out && typeof out === 'object' && typeof out.url === 'string') return { ...out, url: redactRequestUrl(out.url) };
    return out;
  };
  return { ...(logger === true ? { level: 'info' } : {}), ...options, serializers: { ...options.serializers, req } } as LoggerOption;
}
