import type { CoreContext } from './context';
import type { PaymentTransitions } from './payments/transitions';
import type { DisplayService } from './display/service';
import { DomainError } from './errors';
import { linkView } from './links/view';
import type { Tx } from './store/port';
import type { DisplayRecord } from './store/types';
import type { LinkRecord } from './links/types';
import type { PaymentRecord } from './payments/types';

/** What time alone has made due: lapsed payments, links to note as expired, display results to settle. */
interface Due {
  lapsed: PaymentRecord[];
  expiring: LinkRecord[];
  results: DisplayRecord[];
}

const nothingDue = (due: Due) =>
  due.lapsed.length === 0 && due.expiring.length === 0 && due.results.length === 0;

/**
 * Applies what time alone changes: pending payments past their lock TTL become abandoned,
 * links past expiry get their `link.expired` event, display results time out. Runs on a timer
 * and before every read, so no answer is ever stale. Each change is its own short transaction,
 * guarded by a conditional update, so any number of servers may sweep at once.
 */
export class Sweeper {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  /**
   * Nothing is due before `until` while the data is as it was at `stamp` (Tx.changeStamp): found
   * by a check that found nothing due, with when the next thing comes due. Until then a check is
   * skipped; any commit, here or by another process, changes the stamp and ends it.
   */
  private quiet: { stamp: string; until: number } | undefined;

  constructor(
    private readonly ctx: CoreContext,
    private readonly transitions: PaymentTransitions,
    private readonly display: DisplayService,
  ) {}

  /**
   * A sweep that starts now or later, never one that started before the call (it might have
   * read the clock too early). Callers arriving while one runs share the one after it.
   */
  run(): Promise<void> {
    if (!this.running) {
      this.running = this.sweep().finally(() => (this.running = undefined));
      return this.running;
    }
    this.next ??= this.running.then(
      () => this.afterCurrent(),
      () => this.afterCurrent(),
    );
    return this.next;
  }

  private afterCurrent(): Promise<void> {
    this.next = undefined;
    return this.run();
  }

  /**
   * A read after what time alone changes: in the usual case, when nothing is due, the check for
   * due work and `fn` share one read transaction (one snapshot, in which nothing is due); when
   * something is, it is swept first and `fn` reads after.
   */
  async read<T>(fn: (t: Tx) => Promise<T>): Promise<T> {
    const now = this.ctx.clock.now();
    const first = await this.ctx.store.read(async (t) => (nothingDue(await this.due(t, now)) ? { value: await fn(t) } : undefined));
    if (first) return first.value;
    await this.run();
    return this.ctx.store.read(fn);
  }

  /**
   * What is due at `now`: lapsed payments, links to note as expired, display results to settle.
   * Nothing, without asking, while the data is unchanged since a check found nothing due and its
   * horizon has not come (see `quiet`).
   */
  private async due(t: Tx, now: number): Promise<Due> {
    const stamp = await t.changeStamp();
    if (stamp !== undefined && this.quiet?.stamp === stamp && now < this.quiet.until) return { lapsed: [], expiring: [], results: [] };
    const due = {
      lapsed: await t.payments.lapsed(now),
      expiring: await t.links.dueForExpiry(now),
      results: await t.displays.resultsDue(now),
    };
    if (stamp !== undefined && nothingDue(due)) this.quiet = { stamp, until: await this.horizon(t) };
    return due;
  }

  /** When the next thing comes due, as the data stands (Infinity: nothing will until it changes). */
  private async horizon(t: Tx): Promise<number> {
    const next = [await t.payments.nextLapse(), await t.links.nextExpiry(), await t.displays.nextResultEnd()];
    return Math.min(...next.map((at) => at ?? Infinity));
  }

  private async sweep(): Promise<void> {
    const { store, clock, events, config } = this.ctx;
    const now = clock.now();
    const { lapsed, expiring, results } = await store.read((t) => this.due(t, now));
    for (const p of lapsed) {
      try {
        await this.transitions.finishAlone(p.id, 'abandoned');
      } catch (err) {
        // Another path (or server) ended it first: that is the conditional update doing its job.
        if (!(err instanceof DomainError)) throw err;
      }
    }
    for (const link of expiring) {
      await store.tx(async (t) => {
        if (!(await t.links.noteExpired(link.id, now))) return;
        const fresh = (await t.links.get(link.id))!;
        // A single-use link that was paid first is consumed, not expired.
        if (fresh.reuse === 'single' && fresh.usedCount > 0) return;
        events.append(t, 'link.expired', linkView(fresh, now, config.baseUrl));
        await this.display.onLinkClosed(t, link.id);
      });
    }
    for (const d of results) {
      await store.tx((t) => this.display.settleResult(t, d));
    }
  }
}
