/**
 * Full request URLs with credentials never reach the log: user info of an absolute-form request
 * target, secret-bearing query parameters, URLs with user info inside a query value, and the
 * SMS delivery-report secret. Log lines are captured from the logger's destination stream.
 */
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listen, makeApp } from './helpers';
import { isSecretParam, redactRequestUrl } from '../../server/http/log-redaction';


const SECRETS = ['hunter2', 'tok-123', 'K3Y', 'p4ss', 'c0de', 's1g', 'abc-session', 'cbpass', 'sms-s3cret'];

/** Sends one raw HTTP/1.1 request (any request target) and resolves with the status line. */
function rawRequest(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('end', () => resolve(data.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('request URLs in the log', () => {
  it('redacts user info, secret query parameters and URLs with credentials in query values; keeps the rest', () => {
    expect(redactRequestUrl('http://admin:hunter2@shop.local:4780/healthz?x=1')).toBe('http://[redacted]@shop.local:4780/healthz?x=1');
    expect(redactRequestUrl('/api/v1/links?limit=5&token=tok-123&api_key=K3Y&cursor=abc')).toBe('/api/v1/links?limit=5&token=[redacted]&api_key=[redacted]&cursor=abc');
    expect(redactRequestUrl('/x?data%5Bpassword%5D=p4ss&data[name]=Jane')).toBe('/x?data%5Bpassword%5D=[redacted]&data[name]=Jane');
    expect(redactRequestUrl('/cb?code=c0de&state=ok&X-Amz-Signature=s1g&sessionId=abc-session')).toBe('/cb?code=[redacted]&state=ok&X-Amz-Signature=[redacted]&sessionId=[redacted]');
    expect(redactRequestUrl('/r?next=https%3A%2F%2Fu%3Acbpass%40example.com%2Fok')).toBe(`/r?next=${encodeURIComponent('https://[redacted]@example.com/ok')}`);
    expect(redactRequestUrl('/hooks/sms/ntf_1/sms-s3cret?x=1')).toBe('/hooks/sms/ntf_1/[redacted]?x=1');
    expect(redactRequestUrl('/en/pay-by-link/pl_abc?data[order]=42&monkey=1&keyboard=2')).toBe('/en/pay-by-link/pl_abc?data[order]=42&monkey=1&keyboard=2');
    for (const name of ['token', 'access_token', 'refreshToken', 'key', 'apiKey', 'API-KEY', 'secret', 'client_secret', 'password', 'signature', 'sig', 'code', 'data[pin]']) expect(isSecretParam(name), name).toBe(true);
    for (const name of ['limit', 'cursor', 'linkId', 'monkey', 'keyboard', 'locale', 'status', 'data[order]']) expect(isSecretParam(name), name).toBe(false);
  });

  it('no log line of a running server carries the credentials of a request URL', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const t = await makeApp({ logger: { level: 'info', stream } });
    let port = 0;
    try {
      port = Number(new URL(await listen(t)).port);
      await rawRequest(port, `http://admin:hunter2@127.0.0.1:${port}/healthz?token=tok-123`);
      await rawRequest(port, `/api/v1/links?limit=5&api_key=K3Y&data%5Bpassword%5D=p4ss&sessionId=abc-session`);
      await rawRequest(port, `/oauth/callback?code=c0de&X-Amz-Signature=s1g&next=https%3A%2F%2Fu%3Acbpass%40example.com%2F`);
      await rawRequest(port, `/hooks/sms/ntf_unknown/sms-s3cret`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await t.close();
    }
    const urls = lines.map((l) => JSON.parse(l) as { req?: { url?: string } }).flatMap((l) => (l.req?.url ? [l.req.url] : []));
    // The requests were logged…
    expect(urls).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/healthz?token=[redacted]'),
        expect.stringContaining('/api/v1/links?limit=5&api_key=[redacted]'),
        expect.stringContaining('/oauth/callback?code=[redacted]'),
        '/hooks/sms/ntf_unknown/[redacted]',
      ]),
    );
    expect(urls).toContain(`http://[redacted]@127.0.0.1:${port}/healthz?token=[redacted]`);
    // …and no line carries any of the secrets.
    const all = lines.join('\n');
    for (const secret of SECRETS) expect(all, secret).not.toContain(secret);
  });
});
