import { createApp, type App, type CreateAppOptions } from '../../server/create-app';
import { makeTempDir } from './helpers';

export const API_KEY = 'test-key-123456';

export interface Running {
  app: App;
  dataDir: string;
  /** JSON request with the API key, through the real server (inject). */
  api: (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A link and a succeeded payment on it: link.created, payment.created, link.locked, payment.succeeded, link.consumed. */
  paidLink: (name?: string) => Promise<{ linkId: string; paymentId: string }>;
}

/** The whole app on a temp dir, listening on loopback with workers running (fast retries). */
export async function startApp(options: Partial<CreateAppOptions> & { listen?: boolean } = {}): Promise<Running> {
  const { listen = true, ...rest } = options;
  const dataDir = rest.dataDir ?? makeTempDir('counterlink-webhooks-');
  const app = await createApp({ port: 0, host: '127.0.0.1', testApiKey: API_KEY, retrySchedule: [0.05, 0.05, 0.05], ...rest, dataDir });
  if (listen) await app.listen();
  return {
    app,
    dataDir,
    api: async (method, url, body) => {
      const res = await app.server.inject({
        method,
        url,
        headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return { status: res.statusCode, body: res.body === '' ? undefined : JSON.parse(res.body) };
    },
    paidLink: async (name = 'Order') => {
      const link = await app.core.links.create({ name, amount: '12.50' });
      const { payment } = await app.core.payments.start(link.id, {});
      await app.core.payments.complete(payment.id, 'succeeded');
      return { linkId: link.id, paymentId: payment.id };
    },
  };
}
