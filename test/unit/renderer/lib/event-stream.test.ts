import { describe, expect, it } from 'vitest';
import { EventCursor, mergeNewestFirst, ResumableEventStream, SseParser, type StreamStatus } from '../../../../renderer/src/lib/event-stream';
import type { EventItem } from '../../../../renderer/src/api/types';

const ev = (id: number, type: EventItem['type'] = 'payment.succeeded'): EventItem => ({ id, type, createdAt: '2026-01-15T10:00:00.000Z', data: { id: `x${id}` } });
const sse = (e: EventItem): string => `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;

/** A fake server connection: push text, end it, or fail it. */
function connection() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const enc = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    push: (text: string) => controller.enqueue(enc.encode(text)),
    end: () => controller.close(),
  };
}

const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('SSE parser', () => {
  it('parses messages split at any byte, with CRLF, comments, multi-line data, id and retry', () => {
    const text = 'retry: 2000\r\n\r\n: heartbeat\n\nid: 7\nevent: payment.succeeded\ndata: {"a":\ndata: 1}\n\ndata: plain\n\n';
    for (let cut = 0; cut < text.length; cut++) {
      const p = new SseParser();
      const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(out, `cut at ${cut}`).toEqual([
        { id: '7', event: 'payment.succeeded', data: '{"a":\n1}' },
        { id: '7', event: 'message', data: 'plain' },
      ]);
      expect(p.retry).toBe(2000);
    }
    const p = new SseParser();
    expect(p.push('retry: 500\ndata: x\n\n')).toEqual([{ id: undefined, event: 'message', data: 'x' }]);
    expect(p.retry).toBe(500);
  });
});

describe('event cursor (resume and dedupe)', () => {
  it('drops events at or below the last id, in any order, and resumes after the last id', () => {
    const c = new EventCursor(2);
    expect(c.accept([ev(3), ev(1), ev(2), ev(5), ev(4)]).map((e) => e.id)).toEqual([3, 4, 5]);
    expect(c.accept([ev(5), ev(4)])).toEqual([]);
    expect(c.accept([ev(6)]).map((e) => e.id)).toEqual([6]);
    expect(c.resumeQuery()).toEqual({ after: 6 });
  });

  it('merges newest first, each id once, capped', () => {
    const merged = mergeNewestFirst([ev(3), ev(2)], [ev(2), ev(4), ev(1)], 3);
    expect(merged.map((e) => e.id)).toEqual([4, 3, 2]);
  });
});

describe('resumable event stream', () => {
  it('reconnects after the server drops the stream and resumes with the last id: no gap, no duplicate', async () => {
    const opened: number[] = [];
    const conns = [connection(), connection()];
    const got: number[] = [];
    const statuses: StreamStatus[] = [];
    const stream = new ResumableEventStream({
      after: 0,
      open: async (after) => {
        opened.push(after);
        return conns[opened.length - 1]!.response;
      },
      onEvents: (events) => got.push(...events.map((e) => e.id)),
      onStatus: (s) => statuses.push(s),
      backoffMs: [0],
      sleep: async () => {},
    });
    stream.start();
    await until(() => opened.length === 1);
    const first = sse(ev(1)) + sse(ev(2));
    conns[0]!.push(first.slice(0, 17));
    conns[0]!.push(first.slice(17) + ': heartbeat\n\n' + sse(ev(3)));
    await until(() => got.length === 3);
    conns[0]!.end(); // the server restarts
    await until(() => opened.length === 2);
    expect(opened).toEqual([0, 3]);
    conns[1]!.push(sse(ev(3)) + sse(ev(2)) + sse(ev(4))); // a replay overlapping what was seen
    await until(() => got.length >= 4);
    stream.stop();
    expect(got).toEqual([1, 2, 3, 4]);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'live', 'stopped']);
  });

  it('keeps trying while the server is down, then resumes where it was', async () => {
    const opened: number[] = [];
    const good = connection();
    const got: number[] = [];
    const stream = new ResumableEventStream({
      after: 41,
      open: async (after) => {
        opened.push(after);
        if (opened.length < 3) throw new TypeError('connection refused');
        return good.response;
      },
      onEvents: (events) => got.push(...events.map((e) => e.id)),
      backoffMs: [0],
      sleep: async () => {},
    });
    stream.start();
    await until(() => opened.length === 3);
    good.push(sse(ev(41)) + sse(ev(42)));
    await until(() => got.length === 1);
    stream.stop();
    expect(opened).toEqual([41, 41, 41]);
    expect(got).toEqual([42]);
  });

  it('treats a silent connection (no heartbeat) as dead and reconnects', async () => {
    const opened: number[] = [];
    const conns = [connection(), connection()];
    const stream = new ResumableEventStream({
      after: 0,
      open: async (after, signal) => {
        opened.push(after);
        const c = conns[opened.length - 1]!;
        signal.addEventListener('abort', () => c.end());
        return c.response;
      },
      onEvents: () => {},
      idleTimeoutMs: 40,
      backoffMs: [0],
      sleep: async () => {},
    });
    stream.start();
    await until(() => opened.length === 2, 3000);
    stream.stop();
  });

  it('refuses an error answer (e.g. 401) and retries instead of reading it as events', async () => {
    let calls = 0;
    const got: EventItem[] = [];
    const ok = connection();
    const stream = new ResumableEventStream({
      after: 0,
      open: async () => {
        calls += 1;
        return calls === 1 ? new Response('{"type":"unauthorized"}', { status: 401 }) : ok.response;
      },
      onEvents: (events) => got.push(...events),
      backoffMs: [0],
      sleep: async () => {},
    });
    stream.start();
    await until(() => calls === 2);
    ok.push(sse(ev(1)));
    await until(() => got.length === 1);
    stream.stop();
  });
});
