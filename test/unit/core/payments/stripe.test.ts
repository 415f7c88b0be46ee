/** The pure parts of the Stripe provider: key checks, the session asked for, outcomes, errors. */
import { describe, expect, it } from 'vitest';
import { checkoutSessionParams, retryable, secretKeyProblem, sessionOutcome, stripeErrorText, webhookSecretProblem } from '../../../../core/payments/methods/stripe';
import { eventOutcome } from '../../../../core/payments/stripe-events';
import { decodeForm } from '../../../support/fake-stripe';
import type { LinkRecord } from '../../../../core/links/types';
import type { PaymentRecord } from '../../../../core/payments/types';

const payment = (over: Partial<PaymentRecord> = {}): PaymentRecord =>
  ({ id: 'pay_1', linkId: 'pl_1', refId: 'ABC-0001', amount: 1250, currency: 'EUR', payerEmail: null, ...over }) as PaymentRecord;
const link = (over: Partial<LinkRecord> = {}): LinkRecord => ({ id: 'pl_1', name: 'Coffee', description: null, lineItems: null, locale: 'en', ...over }) as LinkRecord;

describe('secret keys and webhook secrets', () => {
  it('takes sk_/rk_ keys of the slot’s own mode only', () => {
    expect(secretKeyProblem('sk_test_abcdefgh12', 'test')).toBeNull();
    expect(secretKeyProblem('rk_live_abcdefgh12', 'live')).toBeNull();
    expect(secretKeyProblem('sk_live_abcdefgh12', 'test')?.code).toBe('stripe-key-mode');
    expect(secretKeyProblem('rk_test_abcdefgh12', 'live')?.code).toBe('stripe-key-mode');
    expect(secretKeyProblem('pk_test_abcdefgh12', 'test')?.code).toBe('stripe-key-format');
    expect(secretKeyProblem('sk_test_', 'test')?.code).toBe('stripe-key-format');
    expect(webhookSecretProblem('whsec_abcdefgh')).toBeNull();
    expect(webhookSecretProblem('sk_test_abcdefgh')?.code).toBe('stripe-webhook-secret-format');
  });
});

describe('checkoutSessionParams', () => {
  it('asks for the amount in minor units, in the link’s currency, with metadata, return URLs and the expiry in seconds (rounded up)', () => {
    const p = checkoutSessionParams(payment({ payerEmail: 'a@b.example' }), link(), 'http://shop:4780', 'de', 1_700_000_000_500);
    expect(p).toEqual({
      mode: 'payment',
      line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 1250, product_data: { name: 'Coffee' } } }],
      client_reference_id: 'pay_1',
      metadata: { paymentId: 'pay_1', linkId: 'pl_1', refId: 'ABC-0001' },
      payment_intent_data: { metadata: { paymentId: 'pay_1', linkId: 'pl_1', refId: 'ABC-0001' } },
      success_url: 'http://shop:4780/de/pay-by-link/pl_1/result/pay_1',
      cancel_url: 'http://shop:4780/de/pay-by-link/pl_1/result/pay_1',
      expires_at: 1_700_000_001,
      customer_email: 'a@b.example',
    });
  });

  it('sends line items when they add up to the amount, else one line for the whole amount', () => {
    const items = [{ name: 'Tea', quantity: 2, unitAmount: 300 }, { name: 'Cake', quantity: 1, unitAmount: 650 }];
    expect(checkoutSessionParams(payment(), link({ lineItems: items }), 'http://x', 'en', 0).line_items).toHaveLength(2);
    const off = checkoutSessionParams(payment({ amount: 999 }), link({ lineItems: items }), 'http://x', 'en', 0).line_items!;
    expect(off).toEqual([{ quantity: 1, price_data: { currency: 'eur', unit_amount: 999, product_data: { name: 'Coffee' } } }]);
  });
});

describe('outcomes', () => {
  it('maps sessions and events as API.md says', () => {
    expect(sessionOutcome({ status: 'complete', payment_status: 'paid' })).toBe('succeeded');
    expect(sessionOutcome({ status: 'complete', payment_status: 'unpaid' })).toBeNull();
    expect(sessionOutcome({ status: 'open', payment_status: 'unpaid' })).toBeNull();
    expect(sessionOutcome({ status: 'expired', payment_status: 'unpaid' })).toBe('abandoned');
    expect(eventOutcome('checkout.session.completed', { payment_status: 'paid' })).toBe('succeeded');
    expect(eventOutcome('checkout.session.completed', { payment_status: 'unpaid' })).toBeNull();
    expect(eventOutcome('checkout.session.async_payment_succeeded', {})).toBe('succeeded');
    expect(eventOutcome('checkout.session.async_payment_failed', {})).toBe('failed');
    expect(eventOutcome('checkout.session.expired', {})).toBe('abandoned');
    expect(eventOutcome('charge.refunded', {})).toBeNull();
  });
});

describe('Stripe errors', () => {
  it('retries the network, 5xx, 429 and key problems; not a refused request', () => {
    expect(retryable({ type: 'StripeConnectionError' })).toBe(true);
    expect(retryable({ statusCode: 500 })).toBe(true);
    expect(retryable({ statusCode: 429 })).toBe(true);
    expect(retryable({ statusCode: 401 })).toBe(true);
    expect(retryable({ statusCode: 400 })).toBe(false);
    expect(retryable({ statusCode: 404 })).toBe(false);
  });

  it('says what went wrong in words, without a key', () => {
    const text = stripeErrorText({ type: 'StripeAuthenticationError', statusCode: 401, message: 'Invalid API Key provided: sk_test_abcdefghijkl' });
    expect(text).toBe('StripeAuthenticationError (HTTP 401): Invalid API Key provided: sk_test_…');
  });
});

describe('the fake’s form decoding', () => {
  it('reads Stripe’s bracketed form fields into objects and arrays', () => {
    expect(decodeForm('a=1&metadata[k]=v&line_items[0][price_data][unit_amount]=5&line_items[1][quantity]=2')).toEqual({
      a: '1',
      metadata: { k: 'v' },
      line_items: [{ price_data: { unit_amount: '5' } }, { quantity: '2' }],
    });
  });
});
