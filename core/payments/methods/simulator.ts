import type { PaymentProvider } from './port';

/**
 * The simulator (test mode only): the payer approves or declines on a simulated checkout page
 * (`/sim/checkout/{paymentId}`), which on a live payment answers 404. A live shop can never be
 * "paid" by a button.
 */
export function simulatorProvider(baseUrl: () => string): PaymentProvider {
  return {
    id: 'simulator',
    modes: ['test'],
    currencies: 'any',
    needsInternet: false,
    available: async (_t, mode) => (mode === 'test' ? null : 'test-only'),
    start: async () => undefined,
    next: async (_t, payment, link, locale) => ({
      type: 'redirect',
      url: `${baseUrl()}/sim/checkout/${encodeURIComponent(payment.id)}${locale === link.locale ? '' : `?locale=${locale}`}`,
    }),
  };
}
