/**
 * Security policy of the app's windows as plain functions: which origins are the app, where a
 * window may navigate, which links open in the browser, which permissions a page gets, and the
 * Content-Security-Policy for app pages. The glue (main/security.ts) wires these into Electron.
 */

/** Permissions a page of the app may have; everything else (camera, geolocation, …) is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

/** The origin (`scheme://host:port`) of an http(s) URL, or undefined for anything else. */
export function httpOrigin(url: string | undefined | null): string | undefined {
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  return u.origin;
}

/** Normalizes a list of URLs to their distinct origins (bad entries are dropped). */
export function originsOf(urls: readonly (string | undefined | null)[]): string[] {
  return [...new Set(urls.map(httpOrigin).filter((o): o is string => o !== undefined))];
}

export function isAppUrl(url: string | undefined | null, appOrigins: readonly string[]): boolean {
  const origin = httpOrigin(url);
  return origin !== undefined && appOrigins.includes(origin);
}

/** `will-navigate` / `will-redirect`: a window of the app stays on the app. */
export function isNavigationAllowed(targetUrl: string, appOrigins: readonly string[]): boolean {
  return isAppUrl(targetUrl, appOrigins);
}

export interface ExternalLinkPolicy {
  /** Origins whose pages may open in the default browser (the app's own LAN address: pay links, API docs). */
  origins: readonly string[];
  /** Host names (and their subdomains) that may open in the default browser, e.g. the help site. */
  hosts: readonly string[];
}

/**
 * `setWindowOpenHandler`: no window of the app ever opens another Electron window. An http(s)
 * link on the allow-list goes to the default browser; anything else is dropped.
 */
export function shouldOpenExternally(url: string, policy: ExternalLinkPolicy): boolean {
  const origin = httpOrigin(url);
  if (origin === undefined) return false;
  if (policy.origins.includes(origin)) return true;
  const host = new URL(url).hostname.toLowerCase();
  return policy.hosts.some((h) => {
    const allowed = h.toLowerCase();
    return host === allowed || host.endsWith(`.${allowed}`);
  });
}

/** Permission request/check handlers: only the allow-listed permissions, only for the app's pages. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, appOrigins: readonly string[]): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl, appOrigins);
}

export interface CspOptions {
  /** The embedded server's origin (API calls, event stream, QR images). */
  serverOrigin: string;
  /** Development: Vite's dev server needs inline scripts (React refresh) and a websocket for HMR. */
  dev: boolean;
}

/** The Content-Security-Policy of the app's pages when the server does not send its own. */
export function contentSecurityPolicy({ serverOrigin, dev }: CspOptions): string {
  const connect = ["'self'", serverOrigin, ...(dev ? ['ws:', 'wss:'] : [])];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", serverOrigin, 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['media-src', ["'self'", 'data:']],
    ['connect-src', [...new Set(connect)]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${[...new Set(values)].join(' ')}`).join('; ');
}

export type ResponseHeaders = Record<string, string | string[]>;

/**
 * `session.webRequest.onHeadersReceived`: adds the CSP to documents of the app that came
 * without one. Returns the new headers, or undefined to leave the response alone.
 */
export function withContentSecurityPolicy(
  details: { url: string; resourceType: string; responseHeaders?: ResponseHeaders },
  appOrigins: readonly string[],
  csp: string,
): ResponseHeaders | undefined {
  if (details.resourceType !== 'mainFrame' && details.resourceType !== 'subFrame') return undefined;
  if (!isAppUrl(details.url, appOrigins)) return undefined;
  const headers = details.responseHeaders ?? {};
  if (Object.keys(headers).some((k) => k.toLowerCase() === 'content-security-policy')) return undefined;
  return { ...headers, 'Content-Security-Policy': [csp] };
}
