import type { Store, Tx } from './store/port';
import type { Clock } from './clock';
import type { EventLog } from './events';
import type { SettingsService } from './settings';
import type { PaymentMethods } from './payments/methods/registry';

export type { Store, Tx } from './store/port';

export interface CoreConfig {
  /** Public base of link URLs, e.g. http://192.168.1.20:4780 (no trailing slash). */
  baseUrl: string;
  /** How long a pending payment may hold its link (and its share of the limits). */
  lockTtlMs: number;
  /** How long the counter display shows a payment result before moving on. */
  displayResultMs: number;
  /** COUNTERLINK_RETRY_SCHEDULE_SECONDS: one schedule for every outbox; undefined = each kind's default. */
  retrySchedule: number[] | undefined;
}

/** What every service shares. Built once by createCore. */
export interface CoreContext {
  store: Store;
  clock: Clock;
  events: EventLog;
  settings: SettingsService;
  config: CoreConfig;
  /** The payment providers (simulator, sepa_transfer, …). */
  methods: PaymentMethods;
  /**
   * Applies what time alone has changed (lapsed payments, expired links, display results: the
   * sweeper) before an answer that depends on it. Core services call it at the start of every such
   * read or change, so no caller has to remember it.
   */
  fresh(): Promise<void>;
  /**
   * `fresh()` and then a read, in one read transaction when nothing was due (the usual case):
   * for reads that need nothing else first.
   */
  freshRead<T>(fn: (t: Tx) => Promise<T>): Promise<T>;
}
