import type { CoreContext } from './context';
import type { PaymentTransitions } from './payments/transitions';
import type { DisplayService } from './display/service';
import { DomainError } from './errors';
import { linkView } from './links/view';

/**
 * Applies what time alone changes: pending payments past their lock TTL become abandoned,
 * links past expiry get their `link.expired` event, display results time out. Runs on a timer
 * and before every read, so no answer is ever stale. Each change is its own short transaction.
 */
export class Sweeper {
  constructor(
    private readonly ctx: CoreContext,
    private readonly transitions: PaymentTransitions,
    private readonly display: DisplayService,
  ) {}

  run(): void {
    const { store, clock, events, config } = this.ctx;
    const now = clock.now();
    for (const p of store.payments.lapsed(now)) {
      try {
        this.transitions.finish(p.id, 'abandoned');
      } catch (err) {
        // Another path ended it first: that is the conditional update doing its job.
        if (!(err instanceof DomainError)) throw err;
      }
    }
    for (const link of store.links.dueForExpiry(now)) {
      store.tx(() => {
        if (!store.links.noteExpired(link.id, now)) return;
        const fresh = store.links.get(link.id)!;
        // A single-use link that was paid first is consumed, not expired.
        if (fresh.reuse === 'single' && fresh.usedCount > 0) return;
        events.append('link.expired', linkView(fresh, now, config.baseUrl));
        this.display.onLinkClosed(link.id);
      });
    }
    for (const d of store.displays.resultsDue(now)) {
      store.tx(() => this.display.settleResult(d));
    }
  }
}
