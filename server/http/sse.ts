import type { FastifyReply } from 'fastify';

export interface SseConnection {
  /** Writes raw SSE text (one or more complete `field: value\n…\n\n` blocks). */
  write(chunk: string): void;
  close(): void;
}

export interface SseOpenOptions {
  /** A comment line at least this often keeps proxies and sleeping Wi-Fi from dropping the stream. */
  heartbeatMs: number;
  headers?: Record<string, string>;
  /** Runs once, when either side ends the stream. */
  onClose?: () => void;
}

/**
 * Server-sent event responses of one kind (the staff event stream, the display streams): opens
 * them on a hijacked reply with heartbeats, and closes them all at shutdown so the server can stop.
 */
export class SseRegistry {
  private readonly closers = new Set<() => void>();

  get size(): number {
    return this.closers.size;
  }

  closeAll(): void {
    for (const close of [...this.closers]) close();
  }

  open(reply: FastifyReply, options: SseOpenOptions): SseConnection {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
      ...options.headers,
    });
    res.write('retry: 2000\n\n');
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), options.heartbeatMs);
    const close = (): void => {
      if (!this.closers.has(close)) return;
      this.closers.delete(close);
      clearInterval(heartbeat);
      options.onClose?.();
      if (!res.writableEnded) res.end();
    };
    this.closers.add(close);
    res.on('close', close);
    return { write: (chunk) => void res.write(chunk), close };
  }
}
