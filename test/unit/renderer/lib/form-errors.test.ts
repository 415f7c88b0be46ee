import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../renderer/src/api/client';
import { errorToFormErrors, problemToFormErrors, topField } from '../../../../renderer/src/lib/form-errors';
import { buildCreateBody, buildPatchBody, emptyLinkForm, LINK_FORM_ALIASES, LINK_FORM_FIELDS, linkToForm } from '../../../../renderer/src/lib/link-form';
import type { Link, Problem } from '../../../../renderer/src/api/types';

const validation = (errors: { path: string; message: string }[]): Problem => ({
  type: 'validation-error',
  title: 'The request is not valid',
  status: 422,
  detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
  errors,
});

describe('form-error mapping (problem+json errors[].path -> fields)', () => {
  it('puts each error on its field, nested paths on their top field', () => {
    const out = problemToFormErrors(
      validation([
        { path: 'name', message: 'must not be empty' },
        { path: 'amount', message: 'EUR allows at most 2 decimals' },
        { path: 'metadata.note', message: 'must be a string' },
        { path: 'lineItems[0].name', message: 'is required' },
      ]),
      ['name', 'amount', 'metadata', 'lineItems'],
    );
    expect(out.fields).toEqual({
      name: ['must not be empty'],
      amount: ['EUR allows at most 2 decimals'],
      metadata: ['note: must be a string'],
      lineItems: ['is required'],
    });
    expect(out.general).toEqual([]);
  });

  it('folds aliases (the expiry trio) and sends unknown paths to general with their path', () => {
    const out = problemToFormErrors(
      validation([
        { path: 'expiresOn', message: 'must lie in the future' },
        { path: 'shoeSize', message: 'is not a known field' },
        { path: '(body)', message: 'must be an object' },
      ]),
      LINK_FORM_FIELDS,
      LINK_FORM_ALIASES,
    );
    expect(out.fields).toEqual({ expiry: ['must lie in the future'] });
    expect(out.general).toEqual(['shoeSize: is not a known field', 'must be an object']);
  });

  it('maps field-shaped conflicts to their field, other problems to general', () => {
    expect(problemToFormErrors({ type: 'ref-id-conflict', title: 'Reference already in use', status: 409, detail: 'ORDER-1 is taken' }, LINK_FORM_FIELDS).fields).toEqual({
      refIdBase: ['ORDER-1 is taken'],
    });
    expect(problemToFormErrors({ type: 'link-not-usable', title: 'The link cannot be used', status: 409, detail: '' }, LINK_FORM_FIELDS)).toEqual({
      fields: {},
      general: ['The link cannot be used'],
    });
    expect(errorToFormErrors(new ApiError(422, validation([{ path: 'pin', message: 'must be 4 to 12 digits' }])), ['pin']).fields).toEqual({
      pin: ['must be 4 to 12 digits'],
    });
    expect(errorToFormErrors(new TypeError('Failed to fetch'), ['pin'])).toEqual({ fields: {}, general: ['Failed to fetch'] });
    expect(topField('a.b.c')).toBe('a');
  });
});

const LINK: Link = {
  id: 'pl_1',
  type: 'payment',
  name: 'Coffee',
  description: null,
  status: 'enabled',
  enabled: true,
  pointOfSaleId: 'pos_1',
  amount: '3.50',
  currency: 'EUR',
  minAmount: null,
  reuse: 'multiple',
  maxUses: 10,
  perPaymentAmountLimit: null,
  totalAmountLimit: null,
  expiresAt: null,
  locale: 'en',
  country: null,
  metadata: { shelf: 'A' },
  refIdBase: 'COFFEE',
  reference: null,
  cancellable: true,
  callbackUrl: null,
  lineItems: null,
  url: 'http://x/en/pay-by-link/pl_1',
  usage: { count: 0, amount: '0.00', pendingCount: 0, remainingCount: 10, remainingAmount: null },
  lockedUntil: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('link form bodies', () => {
  it('create: only what was filled in; numbers typed wrong go as typed for the server to refuse', () => {
    const v = { ...emptyLinkForm({ currency: 'EUR', locale: 'en', pointOfSaleId: 'pos_1' }), name: 'Tips', amount: '12,5', maxUses: 'x', reuse: 'multiple' as const };
    v.metadata = [{ key: 'k', value: 'v' }, { key: ' ', value: 'ignored' }];
    v.expiryMode = 'minutes';
    v.expiresInMinutes = '30';
    expect(buildCreateBody(v)).toEqual({
      name: 'Tips',
      pointOfSaleId: 'pos_1',
      currency: 'EUR',
      amount: '12.5',
      reuse: 'multiple',
      maxUses: 'x',
      expiresInMinutes: 30,
      locale: 'en',
      metadata: { k: 'v' },
    });
    expect(buildCreateBody({ ...v, amountMode: 'open', minAmount: '', expiryMode: 'never', maxUses: '', metadata: [] })).toEqual({
      name: 'Tips',
      pointOfSaleId: 'pos_1',
      currency: 'EUR',
      reuse: 'multiple',
      locale: 'en',
    });
  });

  it('patch: only the changed fields; the same amount written differently is no change', () => {
    const v = linkToForm(LINK);
    expect(buildPatchBody(v, LINK)).toEqual({});
    expect(buildPatchBody({ ...v, amount: '3.5' }, LINK)).toEqual({});
    expect(buildPatchBody({ ...v, name: 'Coffee to go', maxUses: '', description: 'Hot' }, LINK)).toEqual({ name: 'Coffee to go', maxUses: null, description: 'Hot' });
    expect(buildPatchBody({ ...v, amountMode: 'open' }, LINK)).toEqual({ amount: null });
    expect(buildPatchBody({ ...v, metadata: [] }, LINK)).toEqual({ metadata: {} });
    expect(buildPatchBody({ ...v, expiryMode: 'day', expiresOn: '2030-01-31' }, LINK)).toEqual({ expiresOn: '2030-01-31' });
    const expiring = { ...LINK, expiresAt: '2030-01-31T10:00:00.000Z' };
    expect(buildPatchBody({ ...linkToForm(expiring), expiryMode: 'never' }, expiring)).toEqual({ expiresAt: null });
    expect(buildPatchBody(linkToForm(expiring), expiring)).toEqual({});
  });
});

describe('link form: payment methods', () => {
  it('sends no methods while "every available method" is on (the point of sale’s default applies), else the chosen ones; a change patches them', () => {
    const v = { ...emptyLinkForm({ currency: 'EUR', locale: 'en', pointOfSaleId: 'pos_1' }), name: 'Card only', amount: '9.90' };
    expect(buildCreateBody(v)).not.toHaveProperty('methods');
    expect(buildCreateBody({ ...v, methods: ['stripe'] }).methods).toEqual(['stripe']);
    expect(buildCreateBody({ ...v, type: 'accountInfo', methods: ['stripe'] })).not.toHaveProperty('methods');
    const card = { ...LINK, methods: ['stripe'] };
    expect(linkToForm(card).methods).toEqual(['stripe']);
    expect(linkToForm(LINK).methods).toBeNull();
    expect(buildPatchBody(linkToForm(card), card)).toEqual({});
    expect(buildPatchBody({ ...linkToForm(card), methods: null }, card)).toEqual({ methods: null });
    expect(buildPatchBody({ ...linkToForm(LINK), methods: ['sepa_transfer', 'stripe'] }, LINK)).toEqual({ methods: ['sepa_transfer', 'stripe'] });
  });
});
