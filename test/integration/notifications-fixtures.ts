/**
 * Fixtures of the messaging tests: a real SMTP server (smtp-server) and a local HTTP SMS gateway
 * in the test process, and the kit's app (test/support/app.ts) listening on port 0 so the
 * workers run and the gateway can call back.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { expect } from 'vitest';
import type { CreateAppOptions } from '../../server/create-app';
import { startApp as startKitApp, type RunningApp } from '../support/app';
import { AUTH } from '../support/keys';

export { decodeQr } from '../support/qr';
export { waitFor } from '../support/wait';
export const AUTH_HEADER = AUTH;

// ---- SMTP -----------------------------------------------------------------------------------

export interface ReceivedMail {
  envelopeTo: string[];
  raw: Buffer;
}

export interface SmtpBehaviour {
  /** Refuse a recipient with this SMTP reply code (e.g. 550 permanent, 450 temporary). */
  rejectRecipient?: (address: string) => number | undefined;
  /** Refuse the whole message at DATA with this reply code. */
  rejectData?: () => number | undefined;
}

export interface TestSmtp {
  port: number;
  url: string;
  user: string;
  pass: string;
  received: ReceivedMail[];
  behaviour: SmtpBehaviour;
  close(): Promise<void>;
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/** `port`: listen there (0: any free port), e.g. to bring back a server that was down. */
export async function startSmtp(user = 'shop@example.com', pass = 'Smtp-Pa55word-xyz', port = 0): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const behaviour: SmtpBehaviour = {};
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) callback(null, { user });
      else callback(smtpError(535, 'Authentication failed'));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const code = behaviour.rejectRecipient?.(address.address);
      callback(code ? smtpError(code, code >= 500 ? 'No such user here' : 'Try again later') : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = behaviour.rejectData?.();
        if (code) return callback(smtpError(code, code >= 500 ? 'Message refused' : 'Mailbox busy, try later'));
        received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${bound}`,
    user,
    pass,
    received,
    behaviour,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function parseMail(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw, { keepCidLinks: true });
}

// ---- SMS gateway ----------------------------------------------------------------------------

export interface GatewayRequestSeen {
  headers: IncomingMessage['headers'];
  body: { to: string; from: string | null; text: string; statusCallbackUrl: string };
}

export interface TestGateway {
  url: string;
  requests: GatewayRequestSeen[];
  /** What to answer: a status code (default 202 with {id}); `report` posts a delivery report afterwards. */
  behaviour: { status?: number; report?: 'delivered' | 'failed' | null; reportDelayMs?: number };
  /** Delivery-report responses we got back from the app. */
  reportResponses: { url: string; status: number }[];
  close(): Promise<void>;
}

export async function startGateway(): Promise<TestGateway> {
  const requests: GatewayRequestSeen[] = [];
  const reportResponses: { url: string; status: number }[] = [];
  const behaviour: TestGateway['behaviour'] = { report: 'delivered', reportDelayMs: 10 };
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GatewayRequestSeen['body'];
      requests.push({ headers: req.headers, body });
      const status = behaviour.status ?? 202;
      const id = `gw-${++n}`;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? { id } : { error: 'unavailable' }));
      if (status < 300 && behaviour.report) {
        const report = behaviour.report;
        setTimeout(() => {
          fetch(body.statusCallbackUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id, status: report, ...(report === 'failed' ? { error: 'absent subscriber' } : {}) }),
          }).then(
            (r) => reportResponses.push({ url: body.statusCallbackUrl, status: r.status }),
            () => reportResponses.push({ url: body.statusCallbackUrl, status: 0 }), // the app was closed meanwhile
          );
        }, behaviour.reportDelayMs ?? 10);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    requests,
    behaviour,
    reportResponses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- the app --------------------------------------------------------------------------------

export interface MsgApp extends RunningApp {
  /** The listening base URL ('http://127.0.0.1:0' when not listening). */
  baseUrl: string;
  /** JSON over real HTTP when listening (inject otherwise), with the API key. */
  api: RunningApp['fetch'];
}

/** The kit's app for the messaging tests: real HTTP, system clock, short retry schedule. `listen: false` leaves the workers stopped. */
export async function startApp(options: Partial<CreateAppOptions> & { listen?: boolean } = {}): Promise<MsgApp> {
  const t = await startKitApp({ listen: true, retrySchedule: [0.05, 0.05], prefix: 'counterlink-msg-', ...options });
  return { ...t, baseUrl: t.url || 'http://127.0.0.1:0', api: t.fetch };
}

export async function newLink(t: MsgApp, body: Record<string, unknown> = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await t.api('POST', '/api/v1/links', { name: 'Invoice 2026-014', amount: '129.90', description: 'Bike service', ...body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** Polls a notification until its status is one of `statuses`. */
export async function waitForStatus(t: MsgApp, id: string, statuses: string[], timeoutMs = 10_000): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.api('GET', `/api/v1/notifications/${id}`);
    if (statuses.includes(res.body?.status)) return res.body;
    if (Date.now() > until) throw new Error(`notification ${id} still ${res.body?.status} (wanted ${statuses.join('|')}): ${res.text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A pino destination that keeps every log line, to search it for secrets. */
export function logCapture(): { stream: Writable; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, text: () => lines.join('') };
}

export async function eventTypes(t: MsgApp, prefix = 'notification.'): Promise<string[]> {
  return (await t.app.core.events.after(0, 100_000))
    .map((e) => e.type)
    .filter((type) => type.startsWith(prefix));
}
