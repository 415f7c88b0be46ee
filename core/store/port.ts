/**
 * The store port: what core asks of a database. Two adapters implement it — SQLite (the embedded
 * default, one file) and PostgreSQL (several servers on one database) — over the same
 * repositories (`repos/`), so a rule written once holds on both.
 *
 * Transactions are explicit: a service opens one with `store.tx(fn)` and passes the `Tx` down to
 * whatever must take part in it. There is no ambient transaction and no nesting: calling
 * `store.tx` inside `fn` is a programming error and fails loudly.
 */
import type { Repos } from './repos';
import type { PendingEvent } from './repos/events';

export type { Repos } from './repos';

export interface EventWriter {
  /**
   * Queues an event of this transaction. It is written at commit, after every other change and
   * under the event-order lock, so ids only grow in commit order (a reader resuming after id N
   * never misses an event committed later).
   */
  append(type: string, createdAt: number, data: unknown, livemode?: boolean | null): void;
  /** Events queued so far in this transaction (for tests and for listeners' bookkeeping). */
  readonly pending: readonly PendingEvent[];
}

export interface Tx extends Repos {
  readonly events: EventWriter;
  /** Runs `fn` once the transaction has committed (never after a rollback). */
  afterCommit(fn: () => void): void;
  /**
   * Serialises this transaction with every other that takes the same named lock, until commit,
   * across processes (PostgreSQL advisory lock). SQLite's write transactions are serial anyway.
   */
  lock(name: string): Promise<void>;
  /**
   * A value that differs whenever anything was committed to the database since another transaction
   * read it (by this process or another), from this transaction's snapshot; undefined where the
   * store cannot tell cheaply (PostgreSQL, whose reads have no snapshot). The sweeper keeps its
   * horizon by it.
   */
  changeStamp(): Promise<string | undefined>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** One short write transaction: all of `fn`'s changes and events, or none. */
  tx<T>(fn: (t: Tx) => Promise<T>): Promise<T>;
  /**
   * Several reads on one connection (no writes). SQLite answers them from one snapshot; PostgreSQL
   * runs them without a transaction (each sees the latest commit), which is all callers need: a
   * decision that must not race a write belongs in `tx`.
   */
  read<T>(fn: (t: Tx) => Promise<T>): Promise<T>;
  /** Called after any transaction commits events, on this server or (PostgreSQL) any other. */
  onEventsCommitted(listener: () => void): () => void;
  /** Resolves when the database answers; rejects with StoreUnavailableError when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
