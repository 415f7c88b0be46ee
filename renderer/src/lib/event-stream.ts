import type { EventItem } from '../api/types';

/** One dispatched server-sent event. */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser (the WHATWG rules): feed it chunks as they arrive,
 * get whole messages back. Comments (heartbeats) produce nothing but still count as traffic.
 */
export class SseParser {
  /** The server's latest `retry:` (reconnection time, ms). */
  retry: number | undefined;
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return undefined;
      }
      const message: SseMessage = { id: this.id, event: this.event || 'message', data: this.data.join('\n') };
      this.data = [];
      this.event = '';
      return message;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
    }
    return undefined;
  }
}

/**
 * Where the feed is in the event log. Event ids only grow, so an event at or below the last id
 * seen is a repeat (a replay after reconnecting, or the history and the stream overlapping);
 * resuming "after the last id" can neither skip nor repeat an event.
 */
export class EventCursor {
  constructor(public lastId = 0) {}

  /** The events not seen yet, in id order; advances the cursor. */
  accept(events: readonly EventItem[]): EventItem[] {
    const fresh: EventItem[] = [];
    for (const e of [...events].sort((a, b) => a.id - b.id)) {
      if (!Number.isSafeInteger(e.id) || e.id <= this.lastId) continue;
      fresh.push(e);
      this.lastId = e.id;
    }
    return fresh;
  }

  /** The query a manual reconnect resumes with. */
  resumeQuery(): { after: number } {
    return { after: this.lastId };
  }
}

/** Newest first, each id once, at most `cap` events. */
export function mergeNewestFirst(existing: readonly EventItem[], incoming: readonly EventItem[], cap: number): EventItem[] {
  const byId = new Map<number, EventItem>();
  for (const e of existing) byId.set(e.id, e);
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, cap);
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface ResumableStreamOptions {
  /** Opens the stream after this event id (GET /api/v1/events?after=… with Accept: text/event-stream). */
  open: (after: number, signal: AbortSignal) => Promise<Response>;
  /** Only events not seen before, oldest first. */
  onEvents: (events: EventItem[]) => void;
  onStatus?: (status: StreamStatus) => void;
  /** Start after this id (the newest event already shown). */
  after: number;
  /** Waits between reconnects (ms), the last one repeating. */
  backoffMs?: number[];
  /** No byte (not even a heartbeat) for this long: the connection is dead, reconnect. */
  idleTimeoutMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The live event feed over fetch (so a bearer key can go in a header, and every event type
 * arrives, not only those an EventSource listener was registered for). When the connection
 * drops, or the server restarts, it reconnects with `?after=<last id>` and the cursor drops
 * anything already seen: no gaps, no duplicates.
 */
export class ResumableEventStream {
  readonly cursor: EventCursor;
  private controller: AbortController | undefined;
  private running = false;
  private wake: (() => void) | undefined;
  private status: StreamStatus = 'stopped';

  constructor(private readonly options: ResumableStreamOptions) {
    this.cursor = new EventCursor(options.after);
  }

  get currentStatus(): StreamStatus {
    return this.status;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.running = false;
    this.controller?.abort();
    this.wake?.();
    this.setStatus('stopped');
  }

  /** Drop the current connection (if any) and reconnect now (e.g. the browser came back online). */
  reconnectNow(): void {
    this.controller?.abort();
    this.wake?.();
  }

  private setStatus(status: StreamStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }

  private async loop(): Promise<void> {
    const backoff = this.options.backoffMs ?? [500, 1000, 2000, 4000, 5000];
    const sleep = this.options.sleep ?? defaultSleep;
    let failures = 0;
    let retryHint: number | undefined;
    this.setStatus('connecting');
    while (this.running) {
      const controller = new AbortController();
      this.controller = controller;
      let gotData = false;
      try {
        const res = await this.options.open(this.cursor.lastId, controller.signal);
        if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`);
        this.setStatus('live');
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        const parser = new SseParser();
        let idle: ReturnType<typeof setTimeout> | undefined;
        const armIdle = (): void => {
          if (idle) clearTimeout(idle);
          if (this.options.idleTimeoutMs) idle = setTimeout(() => controller.abort(), this.options.idleTimeoutMs);
        };
        armIdle();
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            armIdle();
            const messages = parser.push(decoder.decode(value, { stream: true }));
            const events: EventItem[] = [];
            if (parser.retry !== undefined) retryHint = parser.retry;
            for (const m of messages) {
              if (m.data === '') continue;
              try {
                const parsed = JSON.parse(m.data) as EventItem;
                if (typeof parsed?.id === 'number') events.push(parsed);
              } catch {
                // not an event: ignore
              }
            }
            const fresh = this.cursor.accept(events);
            if (fresh.length > 0) {
              gotData = true;
              this.options.onEvents(fresh);
            }
          }
        } finally {
          if (idle) clearTimeout(idle);
          reader.cancel().catch(() => {});
        }
      } catch {
        // dropped, refused or aborted: reconnect below
      }
      if (!this.running) break;
      failures = gotData ? 0 : failures + 1;
      this.setStatus('reconnecting');
      const wait = Math.max(retryHint ?? 0, backoff[Math.min(Math.max(failures - 1, 0), backoff.length - 1)] ?? 1000);
      const sleeper = new AbortController();
      this.wake = () => sleeper.abort();
      await sleep(failures === 0 ? Math.min(wait, 250) : wait, sleeper.signal);
      this.wake = undefined;
    }
  }
}
