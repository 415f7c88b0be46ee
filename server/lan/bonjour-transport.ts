import type { EventEmitter } from 'node:events';
import { Bonjour, type Browser } from 'bonjour-service';
import type { Announcement, DiscoveryTransport, RawService } from './discovery';

/**
 * The real transport of server/lan/discovery.ts: mDNS / DNS-SD by bonjour-service (multicast-dns
 * underneath), which answers queries, probes for a unique name and says goodbye on stop. Only
 * glue: what is announced and what counts as a hub is decided in discovery.ts.
 */
export function bonjourTransport(log: (line: string) => void, options: { interface?: string } = {}): DiscoveryTransport {
  let reported = false;
  // Said once: a LAN without multicast keeps failing the same way every few seconds.
  const onError = (err: unknown): void => {
    if (reported) return;
    reported = true;
    log(`LAN discovery (mDNS) failed; tills can still type the hub's address: ${err instanceof Error ? err.message : String(err)}`);
  };
  // bonjour-service throws from its socket callbacks unless given an error callback.
  // `interface`: the address to bind (default: every interface). The options reach multicast-dns,
  // whose `interface` bonjour-service's ServiceConfig type does not list.
  const config = (options.interface ? { interface: options.interface } : {}) as ConstructorParameters<typeof Bonjour>[0];
  const bonjour = new Bonjour(config, onError);
  // …and multicast-dns emits 'error' (port 5353 refused, no multicast route) on an emitter nobody
  // listens to, which would crash the process: listen to it here. Its internals, read defensively.
  const mdns = (bonjour as unknown as { server?: { mdns?: EventEmitter } }).server?.mdns;
  mdns?.on('error', onError);
  mdns?.on('warning', () => undefined);

  return {
    publish(a: Announcement) {
      const service = bonjour.publish({ name: a.name, type: a.type, port: a.port, txt: a.txt });
      service.on('error', onError);
      return {
        stop: () =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 1000);
            timer.unref();
            service.stop?.(() => {
              clearTimeout(timer);
              resolve();
            });
          }),
      };
    },
    browse(type, onUp, onDown) {
      // A fresh browser each round: bonjour-service reports a service only once per browser, and
      // the directory needs every answer to know which hubs are still there. But a browser reports
      // a goodbye only for a service it has seen, and a new one has seen nothing until its query is
      // answered: a hub stopping in that gap would stay listed until it expired. So the previous
      // round's browser keeps listening for one more round.
      let current: Browser | undefined;
      let previous: Browser | undefined;
      const open = (): void => {
        previous?.stop();
        previous = current;
        current = bonjour.find({ type });
        current.on('up', (s) => onUp(s as unknown as RawService));
        current.on('down', (s) => onDown(s as unknown as RawService));
      };
      open();
      return {
        refresh: open,
        stop: () => {
          previous?.stop();
          current?.stop();
          previous = current = undefined;
        },
      };
    },
    // Goodbyes first (tills drop the hub at once), but a broken socket never holds up a shutdown.
    destroy: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          bonjour.destroy();
          resolve();
        }, 1000);
        timer.unref();
        bonjour.unpublishAll(() =>
          bonjour.destroy(() => {
            clearTimeout(timer);
            resolve();
          }),
        );
      }),
  };
}
