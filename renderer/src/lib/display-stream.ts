import { SseParser } from './event-stream';

export interface DisplayStreamHandlers<S> {
  onState: (state: S) => void;
  onConnected: (connected: boolean) => void;
  /** 401/403: the token no longer works here (revoked on the hub). The stream stops. */
  onRevoked: () => void;
  /** 404: no such point of sale. The stream keeps trying (it may be a restore in progress). */
  onMissing?: () => void;
  retryMs?: number;
}

/**
 * A paired display's state stream (`/display/{posId}/events`) over fetch, so its device token
 * goes in the Authorization header (EventSource cannot send one, and a token in the URL would
 * end up in logs). Reconnects after drops; stops for good when the hub says the token is dead.
 */
export function openDisplayStream<S>(url: string, token: string, handlers: DisplayStreamHandlers<S>, fetchImpl: typeof fetch = (i, o) => fetch(i, o)): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const retryMs = handlers.retryMs ?? 2000;

  const again = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void connect(), retryMs);
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    controller = new AbortController();
    try {
      const res = await fetchImpl(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, signal: controller.signal, cache: 'no-store', credentials: 'omit' });
      if (res.status === 401 || res.status === 403) {
        stopped = true;
        handlers.onRevoked();
        return;
      }
      if (res.status === 404) handlers.onMissing?.();
      if (!res.ok || !res.body) throw new Error(`display stream answered ${res.status}`);
      handlers.onConnected(true);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const m of parser.push(decoder.decode(value, { stream: true }))) {
          if (!m.data) continue;
          try {
            handlers.onState(JSON.parse(m.data) as S);
          } catch {
            // a malformed message: ignore it
          }
        }
      }
    } catch {
      // dropped or unreachable: try again below
    }
    if (stopped) return;
    // The stream ended: the hub restarted, or revoked this tablet (its next request says which).
    handlers.onConnected(false);
    again();
  };

  void connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    controller?.abort();
  };
}
