import { freePort } from '../support/net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from './helpers';
import { eventTypes, newLink, parseMail, startApp, startGateway, startSmtp, waitFor, waitForStatus, type MsgApp, type TestGateway, type TestSmtp } from './notifications-fixtures';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

function track<T extends { close(): Promise<void> }>(thing: T): T {
  open.push(thing);
  return thing;
}

function outboxAttempts(t: MsgApp, notificationId: string) {
  return t.app.core.store.read(async (tx) => tx.outbox.attempts((await tx.notifications.get(notificationId))!.outboxId));
}

describe('retries on the schedule', () => {
  it('a failing SMS gateway is retried on the schedule (0.05 s, 0.05 s), then the message fails for good', async () => {
    const gateway: TestGateway = track(await startGateway());
    gateway.behaviour.status = 503;
    const t = track(await startApp({ smsUrl: gateway.url, retrySchedule: [0.05, 0.05] }));
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'sms', to: '+4915123456789' });

    const failed = await waitForStatus(t, res.body.id, ['failed']);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, lastError: 'SMS gateway answered 503', sentAt: null, failedAt: expect.any(String), nextAttemptAt: null });
    expect(gateway.requests).toHaveLength(3);
    // A new delivery-report secret for every attempt.
    expect(new Set(gateway.requests.map((r) => r.body.statusCallbackUrl)).size).toBe(3);
    const attempts = await outboxAttempts(t, res.body.id);
    expect(attempts.map((a) => [a.attempt, a.ok, a.statusCode])).toEqual([
      [1, false, 503],
      [2, false, 503],
      [3, false, 503],
    ]);
    for (let i = 1; i < attempts.length; i++) expect(attempts[i]!.startedAt - attempts[i - 1]!.startedAt).toBeGreaterThanOrEqual(50);
    expect(await eventTypes(t)).toEqual(['notification.queued', 'notification.failed']);
    const report = await t.api('GET', '/api/v1/reports/messages');
    expect(report.body.sms.count).toBe(0); // never sent: not billed
  });

  it('a temporary SMTP refusal (450) is retried and then goes through', async () => {
    const smtp: TestSmtp = track(await startSmtp());
    let refusals = 1;
    smtp.behaviour.rejectRecipient = () => (refusals-- > 0 ? 450 : undefined);
    const t = track(await startApp({ smtpUrl: smtp.url }));
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'jane@example.com' });
    const sent = await waitForStatus(t, res.body.id, ['sent']);
    expect(sent).toMatchObject({ attempts: 2, lastError: null, transport: 'smtp' });
    expect(smtp.received).toHaveLength(1);
    expect((await outboxAttempts(t, res.body.id)).map((a) => a.ok)).toEqual([false, true]);
  });

  it('a permanent refusal of the recipient (550) fails at once, without retries', async () => {
    const smtp: TestSmtp = track(await startSmtp());
    smtp.behaviour.rejectRecipient = () => 550;
    const t = track(await startApp({ smtpUrl: smtp.url, retrySchedule: [0.05, 0.05, 0.05] }));
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'nobody@example.com' });
    const failed = await waitForStatus(t, res.body.id, ['failed']);
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/^SMTP EENVELOPE: 550/);
  });
});

describe('offline: the outbox waits for the network', () => {
  it('keeps retrying while the SMTP server is unreachable and delivers once it is back', async () => {
    const port = await freePort();
    const t = track(await startApp({ smtpUrl: `smtp://127.0.0.1:${port}`, retrySchedule: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2] }));
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'jane@example.com' });
    await waitFor(async () => ((await t.app.core.store.read((tx) => tx.notifications.get(res.body.id)))!.attempts >= 2 ? true : undefined));
    const queued = (await t.api('GET', `/api/v1/notifications/${res.body.id}`)).body;
    expect(queued).toMatchObject({ status: expect.stringMatching(/^(queued|sending)$/), lastError: expect.stringMatching(/^SMTP /) });

    // The network comes back: a server appears on that port.
    const smtp = await startSmtpOn(port);
    track(smtp);
    const sent = await waitForStatus(t, res.body.id, ['sent']);
    expect(sent.lastError).toBeNull();
    expect(smtp.received).toHaveLength(1);
  });

  it('"retry now" sends a failed message again; a sent one cannot be retried', async () => {
    const port = await freePort();
    const t = track(await startApp({ smtpUrl: `smtp://127.0.0.1:${port}`, retrySchedule: [0.05] }));
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'jane@example.com' });
    const failed = await waitForStatus(t, res.body.id, ['failed']);
    expect(failed.attempts).toBe(2);

    const smtp = track(await startSmtpOn(port));
    const retry = await t.api('POST', `/api/v1/notifications/${res.body.id}/retry`);
    expect(retry.status, retry.text).toBe(202);
    expect(retry.body).toMatchObject({ id: res.body.id, status: 'queued', failedAt: null });
    const sent = await waitForStatus(t, res.body.id, ['sent']);
    expect(sent.attempts).toBe(3);
    expect(smtp.received).toHaveLength(1);
    expect(await eventTypes(t)).toEqual(['notification.queued', 'notification.failed', 'notification.queued', 'notification.sent']);

    const again = await t.api('POST', `/api/v1/notifications/${res.body.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('conflict');
    expect((await t.api('POST', '/api/v1/notifications/ntf_unknown/retry')).status).toBe(404);
  });

  it('after a restart, queued messages are delivered exactly once', async () => {
    const smtp = track(await startSmtp());
    const gateway = track(await startGateway());
    const dataDir = makeTempDir('counterlink-restart-');

    // The shop was offline: messages were accepted, then the app was closed before any went out.
    const first = await startApp({ dataDir, listen: false, smtpUrl: smtp.url, smsUrl: gateway.url });
    const link = await newLink(first);
    const ids: string[] = [];
    for (const body of [
      { channel: 'email', to: 'a@example.com' },
      { channel: 'email', to: 'b@example.com' },
      { channel: 'sms', to: '+4915123456789' },
    ]) {
      const res = await first.api('POST', `/api/v1/links/${link.id}/send`, body);
      expect(res.status, res.text).toBe(202);
      ids.push(res.body.id);
    }
    await first.close();
    expect(smtp.received).toHaveLength(0);

    const second = track(await startApp({ dataDir, smtpUrl: smtp.url, smsUrl: gateway.url }));
    for (const id of ids) await waitForStatus(second, id, ['sent', 'delivered']);
    await second.app.core.notifications.idle();
    await new Promise((r) => setTimeout(r, 300)); // would a duplicate still come?
    expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['a@example.com', 'b@example.com']);
    expect(gateway.requests).toHaveLength(1);
    for (const id of ids) expect((await second.api('GET', `/api/v1/notifications/${id}`)).body.attempts).toBe(1);
  });

  it('two app instances on one database never send a message twice', async () => {
    const smtp = track(await startSmtp());
    const dataDir = makeTempDir('counterlink-twice-');
    const seed = await startApp({ dataDir, listen: false });
    const link = await newLink(seed, { reuse: 'multiple' });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await seed.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: `c${i}@example.com` })).body.id);
    await seed.close();

    const a = track(await startApp({ dataDir, smtpUrl: smtp.url }));
    const b = track(await startApp({ dataDir, smtpUrl: smtp.url }));
    for (const id of ids) await waitForStatus(a, id, ['sent']);
    await Promise.all([a.app.core.notifications.idle(), b.app.core.notifications.idle()]);
    expect(smtp.received).toHaveLength(8);
    const ids2 = await Promise.all(smtp.received.map(async (m) => (await parseMail(m.raw)).headers.get('x-counterlink-notification')));
    expect(new Set(ids2).size).toBe(8);
  });
});

/** An SMTP server on a given port (the "network is back" moment). */
async function startSmtpOn(port: number): Promise<TestSmtp> {
  const { SMTPServer } = await import('smtp-server');
  const received: TestSmtp['received'] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, url: `smtp://127.0.0.1:${port}`, user: '', pass: '', received, behaviour: {}, close: () => new Promise<void>((r) => server.close(() => r())) };
}
