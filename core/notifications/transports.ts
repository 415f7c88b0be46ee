import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type NodemailerError, type SendMailOptions, type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { DeliveryResult } from '../outbox/types';
import type { SmsGatewayConfig, SmtpConfig } from './config';

/** How long one SMTP conversation or gateway request may take; the outbox lease must be longer. */
export const TRANSPORT_TIMEOUT_MS = 20_000;

/** Builds the raw RFC 5322 message (what an .eml file holds). */
export function buildRawEmail(mail: SendMailOptions): Promise<Buffer> {
  return new MailComposer(mail).compile().build();
}

/**
 * Writes a file so that a reader never sees half of it (write, then rename). Messages name
 * customers and carry payment links: the folder is made 0700 and the file 0600 (chmod too, in
 * case a crashed write left the temp file with other modes).
 */
export function writeFileAtomic(dir: string, name: string, content: string | Buffer): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${name}.tmp`);
  writeFileSync(tmp, content, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, join(dir, name));
}

/**
 * SMTP through nodemailer. One transporter per configuration, made again when the settings
 * change; no pooling (a shop sends a handful of messages), no debug logging (the password).
 */
export class SmtpSender {
  private cached: { key: string; transporter: Transporter } | undefined;

  private transporter(config: SmtpConfig): Transporter {
    const key = JSON.stringify(config);
    if (this.cached?.key === key) return this.cached.transporter;
    this.cached?.transporter.close();
    const transporter = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.security === 'tls',
      requireTLS: config.security === 'starttls',
      ignoreTLS: config.security === 'none',
      ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: TRANSPORT_TIMEOUT_MS,
      logger: false,
      debug: false,
    });
    this.cached = { key, transporter };
    return transporter;
  }

  async send(config: SmtpConfig, mail: SendMailOptions): Promise<DeliveryResult> {
    try {
      const info = (await this.transporter(config).sendMail(mail)) as { messageId?: string; response?: string; rejected?: string[] };
      if (info.rejected && info.rejected.length > 0) return { ok: false, retryable: false, error: `recipient rejected: ${info.response ?? ''}`.trim() };
      return { ok: true, responseSnippet: info.response ?? null, info: { providerMessageId: info.messageId ?? null } };
    } catch (err) {
      return smtpFailure(err as NodemailerError);
    }
  }

  close(): void {
    this.cached?.transporter.close();
    this.cached = undefined;
  }
}

/**
 * A rejection of this message or recipient for good (5xx to RCPT or DATA) fails at once; anything
 * else — no network, a timeout, a 4xx, bad credentials that staff may still fix — is retried.
 */
export function smtpFailure(err: NodemailerError): DeliveryResult {
  const permanent = err.permanent === true && (err.code === 'EENVELOPE' || err.code === 'EMESSAGE');
  const detail = [err.code, err.response ?? err.message].filter(Boolean).join(': ');
  return { ok: false, retryable: !permanent, statusCode: err.responseCode ?? null, error: `SMTP ${detail}`.slice(0, 500) };
}

export interface GatewayRequest {
  to: string;
  from: string | null;
  text: string;
  statusCallbackUrl: string;
}

/**
 * The generic HTTP SMS gateway: POST JSON {to, from, text, statusCallbackUrl} with the configured
 * Authorization header; a 2xx answer with {id} means accepted. 4xx (but 408/429) is a refusal of
 * this message; 5xx, 408, 429 and network errors are retried.
 */
export async function sendViaGateway(config: SmsGatewayConfig, body: GatewayRequest): Promise<DeliveryResult> {
  let response: Response;
  try {
    response = await fetch(config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(config.auth ? { authorization: config.auth } : {}) },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(TRANSPORT_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, retryable: true, error: `SMS gateway unreachable: ${cause ?? (err as Error).name ?? 'network error'}` };
  }
  const text = await response.text().catch(() => '');
  const snippet = text.slice(0, 300);
  if (!response.ok) {
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    return { ok: false, retryable, statusCode: response.status, error: `SMS gateway answered ${response.status}`, responseSnippet: snippet };
  }
  let id: unknown;
  try {
    id = (JSON.parse(text) as { id?: unknown }).id;
  } catch {
    id = undefined;
  }
  return {
    ok: true,
    statusCode: response.status,
    responseSnippet: snippet,
    info: { providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 200) : null },
  };
}
