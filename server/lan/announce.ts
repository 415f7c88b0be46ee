import { hostname } from 'node:os';
import type { App } from '../create-app';
import { bonjourTransport } from './bonjour-transport';
import { startAnnouncer, type Announcer } from './discovery';

/**
 * The hub's LAN announcement, started next to a listening app: by `npm run serve` and by the
 * desktop app when it is the hub. Off with COUNTERLINK_ANNOUNCE=0; never fatal.
 */
export function announceApp(
  app: App,
  o: { env: Readonly<Record<string, string | undefined>>; host: string; port: number; log(line: string): void },
): Promise<Announcer> {
  return startAnnouncer({
    env: o.env,
    host: o.host,
    port: o.port,
    hostname: hostname(),
    shopName: async () => (await app.core.settings.readMerchant()).merchantName,
    transport: () => bonjourTransport(o.log),
    log: o.log,
  });
}
