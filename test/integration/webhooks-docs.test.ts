import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type Running } from './webhooks-app';
import { waitFor } from './webhooks-receiver';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The receiver sample of docs/webhooks.md, exactly as written there. */
function docsSample(): string {
  const doc = readFileSync(join(ROOT, 'docs', 'webhooks.md'), 'utf8');
  const match = /<!-- receiver-sample -->\s*```js\n([\s\S]*?)```/.exec(doc);
  if (!match) throw new Error('docs/webhooks.md has no receiver sample');
  return match[1]!;
}

interface Sample {
  port: number;
  lines: { id: string; type: string; data: { id: string } }[];
  child: ChildProcess;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
const apps: Running[] = [];

/** Runs the sample with node, in a folder where `standardwebhooks` resolves from the project. */
async function runSample(env: Record<string, string>): Promise<Sample> {
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'test-artifacts', 'webhooks-docs-'));
  dirs.push(dir);
  const file = join(dir, 'receiver.mjs');
  writeFileSync(file, docsSample());
  const child = spawn(process.execPath, [file], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const sample: Sample = { port: 0, lines: [], child };
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const complete = out.split('\n');
    out = complete.pop()!;
    for (const line of complete) if (line.trim()) sample.lines.push(JSON.parse(line));
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    const m = /listening on (\d+)/.exec(err);
    if (m) sample.port = Number(m[1]);
  });
  await waitFor(() => sample.port !== 0 || child.exitCode !== null, 10_000, 'the sample receiver to listen');
  if (sample.port === 0) throw new Error(`sample receiver exited: ${err}`);
  return sample;
}

afterEach(async () => {
  for (const c of children.splice(0)) c.kill();
  for (const a of apps.splice(0)) await a.app.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('docs/webhooks.md receiver sample', () => {
  it('verifies real deliveries with standardwebhooks, drops duplicates, and refuses forgeries', async () => {
    const t = await startApp();
    apps.push(t);
    const created = await t.api('POST', '/api/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/', enabled: false, events: ['link.*', 'payment.*'] });
    const sample = await runSample({ WEBHOOK_SECRET: created.body.secret });
    await t.api('PATCH', `/api/v1/webhook-endpoints/${created.body.id}`, { url: `http://127.0.0.1:${sample.port}/webhooks`, enabled: true });

    const { paymentId } = await t.paidLink();
    await waitFor(() => sample.lines.length === 5, 10_000, 'five verified events');
    expect(sample.lines.map((l) => l.type)).toEqual(['link.created', 'payment.created', 'link.locked', 'payment.succeeded', 'link.consumed']);
    expect(sample.lines[3]!.data.id).toBe(paymentId);
    await t.app.core.webhooks.dispatcher.idle();
    const log = (await t.api('GET', `/api/v1/webhook-deliveries?endpointId=${created.body.id}`)).body.data;
    expect(log.map((d: { attempts: { statusCode: number }[] }) => d.attempts[0]!.statusCode)).toEqual([204, 204, 204, 204, 204]);

    // A redelivery is accepted (2xx) but handled once.
    await t.api('POST', `/api/v1/webhook-deliveries/${log[0].id}/redeliver`);
    await waitFor(async () => (await t.app.core.webhooks.delivery(log[0].id)).attemptCount === 2, 10_000, 'the redelivery');
    await t.app.core.webhooks.dispatcher.idle();
    expect(await t.app.core.webhooks.delivery(log[0].id)).toMatchObject({ status: 'succeeded' });
    expect(sample.lines).toHaveLength(5);

    // Someone without the secret gets a 400.
    const forged = await fetch(`http://127.0.0.1:${sample.port}/webhooks`, {
      method: 'POST',
      headers: { 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: JSON.stringify({ type: 'payment.succeeded', data: {} }),
    });
    expect(forged.status).toBe(400);
    expect(sample.lines).toHaveLength(5);
  });

  it('decrypts the aes-256-cbc variant to the plain payload', async () => {
    const t = await startApp();
    apps.push(t);
    const created = await t.api('POST', '/api/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/', enabled: false, events: ['payment.*'], encryption: 'aes-256-cbc' });
    const sample = await runSample({ WEBHOOK_SECRET: created.body.secret, WEBHOOK_ENCRYPTION_KEY: created.body.encryptionKey });
    await t.api('PATCH', `/api/v1/webhook-endpoints/${created.body.id}`, { url: `http://127.0.0.1:${sample.port}/webhooks`, enabled: true });

    const { paymentId } = await t.paidLink();
    await waitFor(() => sample.lines.length === 2, 10_000, 'two decrypted events');
    const payment = (await t.api('GET', `/api/v1/payments/${paymentId}`)).body;
    expect(sample.lines[1]).toEqual({ id: expect.stringMatching(/^msg_/), type: 'payment.succeeded', data: payment });
  });
});
