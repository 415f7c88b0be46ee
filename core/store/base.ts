import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import type { EventWriter, Store, Tx } from './port';
import { reposFor } from './repos';
import type { PendingEvent } from './repos/events';
import type { Sql } from './sql/executor';
import { AesGcmSecretBox, type SecretBox } from '../secrets';

const noStamp = async (): Promise<undefined> => undefined;

/**
 * Whether stores refuse a transaction opened inside another (a bug that would deadlock SQLite's
 * one connection or split a PostgreSQL transaction in two): everywhere but production. The check
 * needs AsyncLocalStorage, which on Node 20 turns on promise hooks for every promise in the
 * process: 12 % of a customer dialog GET's throughput (issue #13). The tests, which run every
 * path that opens a transaction, and development keep it.
 */
export const guardsNesting = (env: NodeJS.ProcessEnv = process.env): boolean => env.NODE_ENV !== 'production';

/** The part of a transaction the adapters share: repositories, queued events, commit hooks. */
export class TxState {
  readonly queued: PendingEvent[] = [];
  readonly hooks: (() => void)[] = [];

  constructor(private readonly secrets: SecretBox) {}

  makeTx(sql: Sql, lock: (name: string) => Promise<void>, changeStamp: () => Promise<string | undefined> = noStamp): Tx {
    const queued = this.queued;
    const events: EventWriter = {
      append: (type, createdAt, data, livemode = null) => {
        queued.push({ livemode, type, createdAt, data });
      },
      get pending() {
        return queued;
      },
    };
    // The repositories are shared (made once per executor): the Tx inherits them instead of copying ~20 fields each time.
    const t = Object.create(reposFor(sql, this.secrets)) as Tx;
    return Object.assign(t, { events, afterCommit: (fn: () => void) => this.hooks.push(fn), lock, changeStamp });
  }

  /** After commit, on a later tick: outside the transaction's async context, so hooks may open their own. */
  runHooks(): void {
    for (const fn of this.hooks) {
      try {
        fn();
      } catch (err) {
        // A listener's bug must not turn a committed change into a reported failure.
        console.error('after-commit hook failed:', err);
      }
    }
  }
}

/**
 * What both adapters do alike: refuse nested transactions (the mistake that would deadlock
 * SQLite's single connection or split a PostgreSQL transaction in two) and tell listeners
 * after events commit.
 */
export abstract class BaseStore implements Store {
  abstract readonly dialect: Store['dialect'];
  /**
   * Marks the async context of a running transaction; work it schedules outlives it, so the flag
   * is cleared at the end. Undefined (no check) in production: see `guardsNesting`.
   */
  private readonly inTx = guardsNesting() ? new AsyncLocalStorage<{ active: boolean }>() : undefined;
  protected readonly bus = new EventEmitter();
  /**
   * Seals the secrets the repositories store (core/secrets.ts). The app passes the data key's box;
   * a store opened without one (store-level tests) gets a key of its own that dies with it.
   */
  protected readonly secrets: SecretBox;

  constructor(secrets?: SecretBox) {
    this.bus.setMaxListeners(0);
    this.secrets = secrets ?? AesGcmSecretBox.ephemeral();
  }

  tx<T>(fn: (t: Tx) => Promise<T>): Promise<T> {
    return this.guarded(fn, true);
  }

  read<T>(fn: (t: Tx) => Promise<T>): Promise<T> {
    return this.guarded(fn, false);
  }

  private async guarded<T>(fn: (t: Tx) => Promise<T>, write: boolean): Promise<T> {
    if (!this.inTx) return this.runTx(fn, write);
    if (this.inTx.getStore()?.active) throw new Error('store.tx/read called inside a transaction: pass the Tx down instead');
    const mark = { active: true };
    try {
      return await this.inTx.run(mark, () => this.runTx(fn, write));
    } finally {
      mark.active = false;
    }
  }

  onEventsCommitted(listener: () => void): () => void {
    this.bus.on('events', listener);
    return () => this.bus.off('events', listener);
  }

  private notifyScheduled = false;

  /** Tells listeners on the next tick; any number of commits before it make one call. */
  protected emitEventsCommitted(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      this.bus.emit('events');
    });
  }

  protected abstract runTx<T>(fn: (t: Tx) => Promise<T>, write: boolean): Promise<T>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
}
