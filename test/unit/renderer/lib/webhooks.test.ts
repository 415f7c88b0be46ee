import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../../renderer/src/api/client';
import type { Page, Problem, WebhookDelivery, WebhookEndpoint } from '../../../../renderer/src/api/types';
import {
  buildEndpointCreateBody,
  buildEndpointPatchBody,
  cleanUrlList,
  deliveryInFlight,
  emptyEndpointForm,
  endpointToForm,
  EVENT_FAMILIES,
  lastAttempt,
  listErrors,
  patternCovers,
  revealedSecrets,
  togglePattern,
  unknownPatterns,
} from '../../../../renderer/src/lib/webhooks';
import { matchesEvent } from '../../../../core/webhooks/input';
import { createRevealedStore } from '../../../../renderer/src/stores/revealed';
import { createListStore } from '../../../../renderer/src/stores/list';

const t = ((key: string, vars?: Record<string, unknown>) => (vars ? `${key} ${JSON.stringify(vars)}` : key)) as never;

const endpoint = (over: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: 'we_1',
  livemode: false,
  url: 'http://192.168.1.30:8080/hooks',
  description: 'ERP',
  events: ['payment.succeeded', 'link.*'],
  enabled: true,
  encryption: 'none',
  status: 'healthy',
  failingSince: null,
  lastSuccessAt: null,
  lastFailureAt: null,
  lastError: null,
  previousSecretExpiresAt: null,
  createdAt: '2026-01-15T10:00:00.000Z',
  updatedAt: '2026-01-15T10:00:00.000Z',
  ...over,
});

describe('the event picker', () => {
  it('covers types the way the server matches them', () => {
    const types = ['payment.succeeded', 'link.created', 'link.limit_reached', 'webhook_endpoint.failing', 'linkx.created', 'display.updated'];
    for (const patterns of [['*'], ['link.*'], ['payment.succeeded', 'webhook_endpoint.*'], ['link.created']]) {
      for (const type of types) expect(patternCovers(patterns, type), `${patterns} ${type}`).toBe(matchesEvent(patterns, type));
    }
  });

  it('keeps the list minimal: "*" alone, a wildcard replaces its family, covered types stay as they are', () => {
    expect(togglePattern(['payment.succeeded'], '*')).toEqual(['*']);
    expect(togglePattern(['*'], 'link.created')).toEqual(['link.created']);
    expect(togglePattern(['link.created', 'link.expired', 'payment.failed'], 'link.*')).toEqual(['payment.failed', 'link.*']);
    expect(togglePattern(['link.*'], 'link.created')).toEqual(['link.*']);
    expect(togglePattern(['link.*', 'payment.failed'], 'link.*')).toEqual(['payment.failed']);
    expect(togglePattern(['payment.failed'], 'payment.failed')).toEqual([]);
  });

  it('shows patterns it has no checkbox for, so they can be removed', () => {
    expect(unknownPatterns(['*', 'link.*', 'payment.succeeded', 'invoice.paid', 'payment.*'])).toEqual(['invoice.paid']);
    // Every family's types are real event types of the server's form (lower case, dot).
    for (const f of EVENT_FAMILIES) for (const type of f.types) expect(`${f.family}.${type}`).toMatch(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/);
  });
});

describe('the endpoint form', () => {
  it('creates with everything but an empty description; patches only what changed', () => {
    expect(emptyEndpointForm()).toEqual({ url: '', description: '', events: ['*'], encryption: 'none' });
    expect(buildEndpointCreateBody({ url: ' https://erp.example/h ', description: ' ', events: ['*'], encryption: 'aes-256-cbc' })).toEqual({
      url: 'https://erp.example/h',
      events: ['*'],
      encryption: 'aes-256-cbc',
    });
    const e = endpoint();
    const form = endpointToForm(e);
    expect(buildEndpointPatchBody(form, e)).toEqual({});
    expect(buildEndpointPatchBody({ ...form, events: ['link.*', 'payment.succeeded'] }, e)).toEqual({}); // same set, other order
    expect(buildEndpointPatchBody({ ...form, description: '', encryption: 'aes-256-cbc', events: ['*'] }, e)).toEqual({ description: null, encryption: 'aes-256-cbc', events: ['*'] });
  });

  it('takes the secrets the server shows once out of a response', () => {
    expect(revealedSecrets(endpoint(), 'created')).toBeNull();
    expect(revealedSecrets(endpoint({ secret: 'whsec_x', encryptionKey: 'k' }), 'created')).toEqual({ reason: 'created', secret: 'whsec_x', encryptionKey: 'k' });
    expect(revealedSecrets(endpoint({ encryptionKey: 'k' }), 'encryption')).toEqual({ reason: 'encryption', encryptionKey: 'k' });
  });
});

describe('the delivery log', () => {
  it('knows what will change by itself, and the newest attempt', () => {
    const d = { status: 'queued', attempts: [{ attempt: 1 }, { attempt: 2 }] } as unknown as WebhookDelivery;
    expect(deliveryInFlight(d)).toBe(true);
    expect(deliveryInFlight({ status: 'succeeded' })).toBe(false);
    expect(lastAttempt(d)?.attempt).toBe(2);
    expect(lastAttempt({ attempts: [] })).toBeUndefined();
  });
});

describe('the callback URL allow-list', () => {
  it('drops blank rows and puts each error on its row, in both path styles', () => {
    expect(cleanUrlList([' https://a.example ', '', '  ', 'https://b.example'])).toEqual(['https://a.example', 'https://b.example']);
    const err = new ApiError(422, {
      type: 'validation-error',
      title: '',
      status: 422,
      detail: '',
      errors: [
        { path: 'callbackUrls[1]', message: 'must be an absolute http(s) URL' },
        { path: 'callbackUrls.2', message: 'must NOT have more than 2000 characters' },
        { path: 'callbackUrls', message: 'must be a list of at most 20 absolute http(s) URLs' },
      ],
    } as Problem);
    expect(listErrors(err, 'callbackUrls', t)).toEqual({
      rows: { 1: ['must be an absolute http(s) URL'], 2: ['errors.maxLength {"n":"2000"}'] },
      general: ['must be a list of at most 20 absolute http(s) URLs'],
    });
    expect(listErrors(new Error('offline'), 'callbackUrls', t)).toEqual({ rows: {}, general: ['offline'] });
  });
});

describe('secrets shown once', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps them in memory until forgotten; a rotation right after creating keeps the encryption key', () => {
    const store = createRevealedStore();
    store.getState().reveal('we_1', { reason: 'created', secret: 'whsec_a', encryptionKey: 'k' });
    store.getState().reveal('we_1', { reason: 'rotated', secret: 'whsec_b' });
    expect(store.getState().byEndpoint.we_1).toEqual({ reason: 'rotated', secret: 'whsec_b', encryptionKey: 'k' });
    store.getState().reveal('we_2', null);
    expect(store.getState().byEndpoint.we_2).toBeUndefined();
    store.getState().forget('we_1');
    expect(store.getState().byEndpoint).toEqual({});
  });

  it('a page that unmounts releases them, unless it mounts again at once (StrictMode)', () => {
    vi.useFakeTimers();
    const store = createRevealedStore();
    store.getState().reveal('we_1', { reason: 'created', secret: 'whsec_a' });
    store.getState().release('we_1');
    store.getState().hold('we_1');
    vi.runAllTimers();
    expect(store.getState().byEndpoint.we_1?.secret).toBe('whsec_a');
    store.getState().release('we_1');
    vi.runAllTimers();
    expect(store.getState().byEndpoint.we_1).toBeUndefined();
  });
});

describe('list store refresh (polling)', () => {
  it('re-reads the page without a loading state and keeps the last good rows on an error', async () => {
    let fail = false;
    let n = 0;
    const store = createListStore<{ id: string }, Record<string, never>>({
      key: (x) => x.id,
      initialFilters: {},
      fetchPage: async (): Promise<Page<{ id: string }>> => {
        if (fail) throw new Error('offline');
        n++;
        return { data: [{ id: `r${n}` }], nextCursor: null };
      },
    });
    await store.getState().load();
    const states: boolean[] = [];
    const off = store.subscribe((s) => states.push(s.loading));
    await store.getState().refresh();
    expect(store.getState().items).toEqual([{ id: 'r2' }]);
    expect(states.every((l) => !l)).toBe(true);
    fail = true;
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ items: [{ id: 'r2' }], error: null, loading: false });
    off();
  });
});
