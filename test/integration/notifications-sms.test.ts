import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventTypes, newLink, startApp, startGateway, waitFor, waitForStatus, type MsgApp, type TestGateway } from './notifications-fixtures';
import { smsEncoding } from '../../core/notifications/sms-text';

let t: MsgApp | undefined;
let gateway: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  await gateway?.close();
  t = undefined;
  gateway = undefined;
});

const SMS_AUTH = 'Bearer gw-token-0123456789';

describe('SMS through the HTTP gateway', () => {
  it('posts {to, from, text, statusCallbackUrl} with the Authorization value, then takes the delivery report', async () => {
    gateway = await startGateway();
    t = await startApp({ smsUrl: gateway.url, smsAuth: SMS_AUTH });
    await t.api('PATCH', '/api/v1/settings', { merchantName: 'Velo Müller', sms: { sender: 'VeloMuller' } });
    const link = await newLink(t, { country: 'DE' });

    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'sms', to: '0151 23456789' });
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ channel: 'sms', to: '+4915123456789', status: 'queued' });

    const delivered = await waitForStatus(t, res.body.id, ['delivered']);
    expect(delivered).toMatchObject({ status: 'delivered', transport: 'sms-gateway', attempts: 1, sentAt: expect.any(String), deliveredAt: expect.any(String) });

    expect(gateway.requests).toHaveLength(1);
    const { headers, body } = gateway.requests[0]!;
    expect(headers.authorization).toBe(SMS_AUTH);
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(body.to).toBe('+4915123456789');
    expect(body.from).toBe('VeloMuller');
    expect(body.text).toContain(link.url);
    expect(body.text).toContain('Velo Müller');
    expect(body.text).toContain('€129.90');
    const encoding = smsEncoding(body.text);
    expect(encoding).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(body.statusCallbackUrl).toMatch(new RegExp(`^${t.baseUrl}/hooks/sms/${res.body.id}/[A-Za-z0-9]{32}$`));
    expect(gateway.reportResponses).toEqual([{ url: body.statusCallbackUrl, status: 200 }]);

    expect(await eventTypes(t)).toEqual(['notification.queued', 'notification.sent', 'notification.delivered']);
    const delivery = (await t.app.core.events.after(0, 1000)).find((e) => e.type === 'notification.delivered')!;
    expect(delivery.data).toMatchObject({ id: res.body.id, status: 'delivered' });
  });

  it('takes a failed delivery report, and refuses wrong or unknown secrets with 404', async () => {
    gateway = await startGateway();
    gateway.behaviour.report = 'failed';
    t = await startApp({ smsUrl: gateway.url });
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'sms', to: '+31 6 12345678' });
    const failed = await waitForStatus(t, res.body.id, ['failed']);
    expect(failed).toMatchObject({ status: 'failed', sentAt: expect.any(String), lastError: 'Delivery report: failed (absent subscriber)' });
    expect(await eventTypes(t)).toEqual(['notification.queued', 'notification.sent', 'notification.failed']);

    const callback = gateway.requests[0]!.body.statusCallbackUrl;
    const wrong = callback.replace(/[A-Za-z0-9]{32}$/, 'x'.repeat(32));
    for (const url of [wrong, callback.replace(res.body.id, 'ntf_unknown'), `${t.baseUrl}/hooks/sms/${res.body.id}/`]) {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'delivered' }) });
      expect(r.status, url).toBe(404);
    }
    // The right secret still works; a delivered after failed does not change a failed message.
    const again = await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'delivered' }) });
    expect(again.status).toBe(200);
    expect((await t.api('GET', `/api/v1/notifications/${res.body.id}`)).body.status).toBe('failed');
  });

  it('understands a form-encoded report in Twilio’s vocabulary (MessageStatus)', async () => {
    gateway = await startGateway();
    gateway.behaviour.report = null;
    t = await startApp({ smsUrl: gateway.url });
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'sms', to: '+4915123456789' });
    await waitForStatus(t, res.body.id, ['sent']);
    const callback = gateway.requests[0]!.body.statusCallbackUrl;
    const progress = await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'MessageSid=SM1&MessageStatus=sent' });
    expect(progress.status).toBe(200);
    expect((await t.api('GET', `/api/v1/notifications/${res.body.id}`)).body.status).toBe('sent');
    const done = await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'MessageSid=SM1&MessageStatus=delivered' });
    expect(done.status).toBe(200);
    expect((await t.api('GET', `/api/v1/notifications/${res.body.id}`)).body.status).toBe('delivered');
  });

  it('a number without country code is read in the merchant’s country when the link has none', async () => {
    gateway = await startGateway();
    t = await startApp({ smsUrl: gateway.url });
    await t.api('PATCH', '/api/v1/settings', { country: 'NL' });
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'sms', to: '06 12345678' });
    expect(res.status, res.text).toBe(202);
    expect(res.body.to).toBe('+31612345678');
  });
});

describe('SMS without a gateway: the local outbox', () => {
  it('writes the SMS to {dataDir}/outbox/sms as JSON and counts it as sent', async () => {
    t = await startApp();
    const link = await newLink(t, { locale: 'fr', name: 'Facture 12' });
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'sms', to: '+33 6 12 34 56 78' });
    const sent = await waitForStatus(t, res.body.id, ['sent']);
    expect(sent).toMatchObject({ transport: 'local-outbox', to: '+33612345678' });
    const file = JSON.parse(readFileSync(join(t.dataDir, 'outbox', 'sms', `${res.body.id}.json`), 'utf8'));
    expect(file).toMatchObject({ id: res.body.id, to: '+33612345678' });
    expect(file.text).toContain(link.url);
    expect(file.text).toContain('129,90 €'); // French format, with a plain space (GSM-7)
    expect(smsEncoding(file.text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const preview = await t.api('GET', `/api/v1/notifications/${res.body.id}/message`);
    expect(preview.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(preview.text).toBe(file.text);
    await waitFor(async () => (await eventTypes(t!)).includes('notification.sent'));
  });
});
