import type { App, CreateAppOptions } from '../../server/create-app';
import { startApp as startKitApp, type RunningApp } from '../support/app';

export { API_KEY } from '../support/keys';

export interface Running extends RunningApp {
  app: App;
  /** JSON request with the API key, through the real server (inject). */
  api: (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A link and a succeeded payment on it: link.created, payment.created, link.locked, payment.succeeded, link.consumed. */
  paidLink: (name?: string) => Promise<{ linkId: string; paymentId: string }>;
}

/** The kit's app for the webhook tests: listening on loopback with workers running, fast retries. */
export async function startApp(options: Partial<CreateAppOptions> & { listen?: boolean } = {}): Promise<Running> {
  const t = await startKitApp({ listen: true, retrySchedule: [0.05, 0.05, 0.05], prefix: 'counterlink-webhooks-', ...options });
  return {
    ...t,
    api: (method, url, body) => t.req(method, url, body),
    paidLink: async (name = 'Order') => {
      const link = await t.app.core.links.create({ name, amount: '12.50' });
      const { payment } = await t.app.core.payments.start(link.id, {});
      await t.app.core.payments.complete(payment.id, 'succeeded');
      return { linkId: link.id, paymentId: payment.id };
    },
  };
}
