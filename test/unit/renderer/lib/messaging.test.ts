import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { ApiError } from '../../../../renderer/src/api/client';
import type { EventItem, Notification, Problem } from '../../../../renderer/src/api/types';
import {
  applyNotificationEvents,
  buildSendBody,
  canRetry,
  isInFlight,
  KEEP_SECRET,
  nullable,
  previewMode,
  reportPeriod,
  secretPatch,
  sectionErrors,
  sectionPatch,
  sendErrors,
  upsertNotification,
} from '../../../../renderer/src/lib/messaging';
import { clearFieldErrors, humanizeMessage } from '../../../../renderer/src/lib/form-errors';
import { describeEvent, isAlert } from '../../../../renderer/src/lib/describe';
import { countsAsUnread, isNotable } from '../../../../renderer/src/stores/feed';

/** A stand-in for i18next's t: the key with its variables, so tests see what was asked for. */
const t = ((key: string, vars?: Record<string, unknown>) => (vars && Object.keys(vars).length > 0 ? `${key} ${JSON.stringify(vars)}` : key)) as never;

const ntf = (over: Partial<Notification> = {}): Notification => ({
  id: 'ntf_1',
  kind: 'link',
  paymentId: null,
  linkId: 'pl_1',
  channel: 'email',
  to: 'jane@example.com',
  locale: 'en',
  message: null,
  status: 'queued',
  attempts: 0,
  lastError: null,
  transport: null,
  cost: null,
  currency: null,
  nextAttemptAt: null,
  createdAt: '2026-01-15T10:00:00.000Z',
  updatedAt: '2026-01-15T10:00:00.000Z',
  sentAt: null,
  deliveredAt: null,
  failedAt: null,
  ...over,
});
let nextId = 1;
const ev = (type: EventItem['type'], data: unknown): EventItem => ({ id: nextId++, type, createdAt: '2026-01-15T10:00:00.000Z', data });
const apiError = (status: number, problem: Partial<Problem>) => new ApiError(status, { title: '', detail: '', status, type: 'x', ...problem } as Problem);

describe('the send dialog', () => {
  it('sends channel, trimmed address and locale; the note only when there is one', () => {
    expect(buildSendBody({ channel: 'email', to: ' jane@example.com ', locale: 'de', message: '  ' })).toEqual({ channel: 'email', to: 'jane@example.com', locale: 'de' });
    expect(buildSendBody({ channel: 'sms', to: '0151 23456789', locale: 'en', message: ' Thanks! ' })).toEqual({ channel: 'sms', to: '0151 23456789', locale: 'en', message: 'Thanks!' });
  });

  it('puts a 422 at its field, translated where the message is known', () => {
    const errors = sendErrors(apiError(422, { type: 'validation-error', errors: [{ path: 'to', message: 'is not a valid email address' }, { path: 'message', message: 'must be at most 300 characters' }] }), t);
    expect(errors.fields).toEqual({ to: ['errors.email'], message: ['must be at most 300 characters'] });
    expect(errors.general).toEqual([]);
  });

  it('says why a link cannot be sent (409) and when to try again (429)', () => {
    expect(sendErrors(apiError(409, { type: 'link-not-usable', linkStatus: 'cancelled', detail: 'The link is cancelled…' }), t).general).toEqual([
      'send.linkNotUsable {"status":"linkStatus.cancelled {\\"defaultValue\\":\\"cancelled\\"}"}',
    ]);
    expect(sendErrors(apiError(429, { type: 'rate-limited', retryAfter: 61 }), t).general).toEqual(['send.rateLimited {"minutes":2}']);
    expect(sendErrors(apiError(429, { type: 'rate-limited', retryAfter: 5 }), t).general).toEqual(['send.rateLimited {"minutes":1}']);
    expect(sendErrors(apiError(429, { type: 'rate-limited' }), t).general).toEqual(['send.rateLimitedSoon']);
    expect(sendErrors(new Error('offline'), t)).toEqual({ fields: {}, general: ['offline'] });
  });

  it('translates the address messages of the server', () => {
    expect(humanizeMessage('is not a valid email address', t)).toBe('errors.email');
    expect(humanizeMessage('is not a valid phone number', t)).toBe('errors.phone');
    expect(humanizeMessage('is not a valid phone number')).toBe('is not a valid phone number');
  });
});

describe('notifications in lists', () => {
  it('offers "retry now" for a failed message and one waiting after a failed try, not a fresh one', () => {
    expect(canRetry(ntf({ status: 'failed', lastError: 'x' }))).toBe(true);
    expect(canRetry(ntf({ status: 'queued', lastError: 'HTTP 503' }))).toBe(true);
    expect(canRetry(ntf({ status: 'queued' }))).toBe(false);
    expect(canRetry(ntf({ status: 'sent' }))).toBe(false);
    expect(isInFlight(ntf({ status: 'sending' }))).toBe(true);
    expect(isInFlight(ntf({ status: 'delivered' }))).toBe(false);
  });

  it('follows notification.* events: replaces, adds new ones on top, ignores late older states and other events', () => {
    const a = ntf({ id: 'ntf_a', createdAt: '2026-01-15T10:00:00.000Z' });
    let items = [a];
    const sent = { ...a, status: 'sent' as const, updatedAt: '2026-01-15T10:00:01.000Z' };
    items = applyNotificationEvents(items, [ev('notification.sent', sent), ev('payment.created', { id: 'ntf_a', linkId: 'pl_1', status: 'pending' })]);
    expect(items).toEqual([sent]);
    // The queued event arriving after the sent one (out of order) does not undo it.
    expect(applyNotificationEvents(items, [ev('notification.queued', a)])).toEqual([sent]);
    const b = ntf({ id: 'ntf_b', createdAt: '2026-01-15T11:00:00.000Z' });
    expect(applyNotificationEvents(items, [ev('notification.queued', b)]).map((n) => n.id)).toEqual(['ntf_b', 'ntf_a']);
    // Not on the first page: new ones are not inserted.
    expect(applyNotificationEvents(items, [ev('notification.queued', b)], {}, false)).toEqual([sent]);
  });

  it('respects the filters: another link or status is not added, and a row leaves when it stops matching', () => {
    const a = ntf({ id: 'ntf_a' });
    expect(upsertNotification([], ntf({ linkId: 'pl_2' }), { linkId: 'pl_1' })).toEqual([]);
    expect(upsertNotification([], a, { channel: 'sms' })).toEqual([]);
    const failed = { ...a, status: 'failed' as const, updatedAt: '2026-01-15T10:05:00.000Z' };
    expect(upsertNotification([a], failed, { status: 'queued' })).toEqual([]);
    expect(upsertNotification([a], failed, { status: 'failed' })).toEqual([failed]);
  });
});

describe('message report periods', () => {
  it('this month and last month are calendar months in local time, [from, to); all time has no bounds', () => {
    const now = new Date(2026, 0, 15, 12, 0);
    expect(reportPeriod('thisMonth', now)).toEqual({ from: new Date(2026, 0, 1).toISOString(), to: new Date(2026, 1, 1).toISOString() });
    // January: last month is December of the year before.
    expect(reportPeriod('lastMonth', now)).toEqual({ from: new Date(2025, 11, 1).toISOString(), to: new Date(2026, 0, 1).toISOString() });
    expect(reportPeriod('all', now)).toEqual({});
  });
});

describe('message previews', () => {
  it('frames an email when the session cookie can load it; text otherwise', () => {
    expect(previewMode('email', true)).toBe('frame');
    expect(previewMode('email', false)).toBe('text');
    expect(previewMode('sms', true)).toBe('text');
  });
});

describe('settings sections', () => {
  it('sends a write-only secret only when it is set or cleared', () => {
    expect(secretPatch(KEEP_SECRET)).toBeUndefined();
    expect(secretPatch({ mode: 'set', value: '' })).toBeUndefined();
    expect(secretPatch({ mode: 'set', value: 'pw' })).toBe('pw');
    expect(secretPatch({ mode: 'clear', value: 'ignored' })).toBeNull();
  });

  it('patches only what changed (the secret always when given)', () => {
    const current = { host: 'smtp.example.com', port: 587, security: 'starttls', user: null, passwordSet: true };
    expect(sectionPatch(current, { host: 'smtp.example.com', port: 465, security: 'starttls', user: nullable('  '), password: undefined })).toEqual({ port: 465 });
    expect(sectionPatch(current, { host: nullable(''), password: 'new' })).toEqual({ host: null, password: 'new' });
    expect(sectionPatch(undefined, { host: 'a' })).toEqual({ host: 'a' });
  });

  it('maps a section’s errors (email.port) onto its form’s fields', () => {
    const err = apiError(422, {
      type: 'validation-error',
      errors: [
        { path: 'email.port', message: 'must be <= 65535' },
        { path: 'email.from', message: 'must be an email address, optionally as "Name <address>"' },
        { path: 'email', message: 'must be an object' },
        { path: 'sms.sender', message: 'x' },
      ],
    });
    const out = sectionErrors(err, 'email', ['host', 'port', 'from'], t);
    expect(out.fields).toEqual({ port: ['errors.max {"n":"65535"}'], from: ['must be an email address, optionally as "Name <address>"'] });
    expect(out.general).toEqual(['must be an object', 'sms.sender: x']);
  });

  it('forgets a field’s error once it is edited', () => {
    const errors = { fields: { host: ['bad'], port: ['bad'] }, general: ['g'] };
    expect(clearFieldErrors(errors, ['host'])).toEqual({ fields: { port: ['bad'] }, general: ['g'] });
    expect(clearFieldErrors(errors, ['user'])).toBe(errors);
  });
});

describe('the feed about messages and webhooks', () => {
  const tt = ((key: string, o?: { defaultValue?: string }) => (key.startsWith('events.') ? (o?.defaultValue ?? key) : key)) as unknown as TFunction;

  it('alerts on a failing endpoint and a failed message, counts them unread, keeps plumbing out', () => {
    expect(isAlert({ type: 'webhook_endpoint.failing' })).toBe(true);
    expect(isAlert({ type: 'notification.failed' })).toBe(true);
    expect(isAlert({ type: 'notification.sent' })).toBe(false);
    expect(countsAsUnread(ev('webhook_endpoint.failing', {}))).toBe(true);
    expect(countsAsUnread(ev('notification.sent', {}))).toBe(false);
    expect(isNotable(ev('notification.queued', {}))).toBe(false);
    expect(isNotable(ev('webhook_endpoint.updated', {}))).toBe(false);
    expect(isNotable(ev('notification.failed', {}))).toBe(true);
  });

  it('describes them with where a click goes', () => {
    const failing = describeEvent(ev('webhook_endpoint.failing', { id: 'we_1', url: 'http://erp.local/hooks', lastError: 'HTTP 500' }), tt, 'en');
    expect(failing).toMatchObject({ tone: 'red', detail: 'http://erp.local/hooks · HTTP 500', to: '/webhooks/we_1' });
    const deleted = describeEvent(ev('webhook_endpoint.deleted', { id: 'we_1', url: 'http://erp.local/hooks', deleted: true }), tt, 'en');
    expect(deleted.to).toBeNull();
    const sent = describeEvent(ev('notification.failed', ntf({ status: 'failed', lastError: 'Not sent: the link is consumed.' })), tt, 'en');
    expect(sent).toMatchObject({ tone: 'red', detail: 'channels.email · jane@example.com · Not sent: the link is consumed.', to: '/messages/ntf_1' });
    const receipt = describeEvent(ev('notification.sent', ntf({ kind: 'receipt', paymentId: 'pay_1', status: 'sent' })), tt, 'en');
    expect(receipt).toMatchObject({ detail: 'feed.receiptEmail · channels.email · jane@example.com', to: '/messages/ntf_1' });
  });
});
