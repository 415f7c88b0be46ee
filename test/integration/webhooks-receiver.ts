import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  n: number;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body as sent (what the signature covers). */
  body: string;
  /** What this receiver answered. */
  status: number;
}

export interface Reply {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Never answer (until the receiver closes). */
  hang?: boolean;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests answered with a 2xx. */
  accepted(): Received[];
  /** Decides each answer; `n` counts requests from 1. Default: 200 "ok". */
  respond: (r: { n: number; body: string; headers: IncomingHttpHeaders }) => Reply;
  close(): Promise<void>;
}

/** A real HTTP receiver on loopback (port 0), recording every request. */
export async function startReceiver(respond?: Receiver['respond']): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = {
    url: '',
    received,
    accepted: () => received.filter((r) => r.status >= 200 && r.status < 300),
    respond: respond ?? (() => ({ status: 200, body: 'ok' })),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const n = received.length + 1;
      const reply = receiver.respond({ n, body, headers: req.headers });
      const status = reply.hang ? 0 : (reply.status ?? 200);
      received.push({ n, path: req.url ?? '/', headers: req.headers, body, status });
      if (reply.hang) {
        hanging.add(res);
        return;
      }
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? '');
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

export { waitFor } from '../support/wait';
