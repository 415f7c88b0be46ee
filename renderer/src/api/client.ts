import type { Problem } from './types';
import { MODE_HEADER, type Mode } from '../stores/mode';

export const CSRF_HEADER = 'X-Counterlink-CSRF';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface ApiClientConfig {
  /** '' for same-origin (browser mode), else the server's origin (Electron bridge). */
  baseUrl: string;
  /** Bearer key (Electron); without it, the session cookie is used. */
  apiKey?: string;
  fetchImpl?: typeof fetch;
  /** Called on any 401: the session ended. */
  onUnauthorized?: () => void;
  /** Live or test: sent as `Counterlink-Mode` on every request (API.md "Live and test mode"). */
  mode?: () => Mode | undefined;
  /** Told after every request whether the server answered at all (the "server unreachable" state). */
  onReachable?: (reachable: boolean) => void;
}

/** What a request that never reached the server throws: an ApiError, so every caller handles one kind. */
export const UNREACHABLE = 'server-unreachable';

function unreachable(err: unknown): ApiError {
  const detail = err instanceof Error ? err.message : String(err);
  return new ApiError(0, { type: UNREACHABLE, title: 'The server cannot be reached', status: 0, detail });
}

const isAbort = (err: unknown): boolean => err instanceof Error && err.name === 'AbortError';

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

function toProblem(status: number, text: string): Problem {
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    if (parsed && typeof parsed === 'object' && typeof parsed.type === 'string') {
      return { title: '', detail: '', ...parsed, status } as Problem;
    }
  } catch {
    // not JSON: fall through
  }
  return { type: status >= 500 ? 'internal-error' : 'http-error', title: `HTTP ${status}`, status, detail: text.slice(0, 200) || `HTTP ${status}` };
}

/**
 * The Service API over fetch. Browser mode: relative URLs, the httpOnly session cookie, and the
 * CSRF header on every change. Desktop mode: the bridge's server URL and bearer key.
 */
export class ApiClient {
  private readonly fetchImpl: typeof fetch;

  constructor(readonly config: ApiClientConfig) {
    this.fetchImpl = config.fetchImpl ?? ((input, init) => fetch(input, init));
  }

  get usesCookie(): boolean {
    return !this.config.apiKey;
  }

  url(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    return `${this.config.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.config.apiKey) h.Authorization = `Bearer ${this.config.apiKey}`;
    else h[CSRF_HEADER] = '1';
    const mode = this.config.mode?.();
    if (mode) h[MODE_HEADER] = mode;
    return h;
  }

  /** The mode requests are made in right now (none: the credential's own). */
  get mode(): Mode | undefined {
    return this.config.mode?.();
  }

  /** A raw request with credentials attached (streams, blobs). */
  async fetch(path: string, init: RequestInit & { query?: Query } = {}): Promise<Response> {
    const { query, headers, ...rest } = init;
    let res: Response;
    try {
      res = await this.fetchImpl(this.url(path, query), {
        ...rest,
        credentials: this.config.apiKey ? 'omit' : 'same-origin',
        headers: this.headers((headers as Record<string, string>) ?? {}),
      });
    } catch (err) {
      if (isAbort(err)) throw err; // the caller gave up: says nothing about the server
      this.config.onReachable?.(false);
      throw unreachable(err);
    }
    this.config.onReachable?.(true);
    return res;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    const res = await this.fetch(path, {
      method,
      headers,
      query: options.query,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = await res.text();
    if (!res.ok) {
      if (res.status === 401) this.config.onUnauthorized?.();
      throw new ApiError(res.status, toProblem(res.status, text));
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, ...(signal ? { signal } : {}) });
  }

  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body: body ?? {} });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  /** A text body (a message preview: text/plain, text/html). */
  async text(path: string, query?: Query): Promise<string> {
    const res = await this.fetch(path, { query });
    if (!res.ok) {
      if (res.status === 401) this.config.onUnauthorized?.();
      throw new ApiError(res.status, toProblem(res.status, await res.text()));
    }
    return res.text();
  }

  /** A POST whose body is not JSON (a bank statement's XML), answered with JSON. */
  async postRaw<T>(path: string, body: string | Blob, contentType: string, signal?: AbortSignal): Promise<T> {
    const res = await this.fetch(path, { method: 'POST', body, headers: { Accept: 'application/json', 'Content-Type': contentType }, ...(signal ? { signal } : {}) });
    const text = await res.text();
    if (!res.ok) {
      if (res.status === 401) this.config.onUnauthorized?.();
      throw new ApiError(res.status, toProblem(res.status, text));
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async blob(path: string, query?: Query): Promise<Blob> {
    const res = await this.fetch(path, { query });
    if (!res.ok) {
      if (res.status === 401) this.config.onUnauthorized?.();
      throw new ApiError(res.status, toProblem(res.status, await res.text()));
    }
    return res.blob();
  }
}

export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
