import type { Tx } from '../store/port';
export type OutboxStatus = 'queued' | 'sending' | 'succeeded' | 'failed';

export interface OutboxMessage<P = unknown> {
  seq: number;
  id: string;
  kind: string;
  queue: string;
  ordered: boolean;
  status: OutboxStatus;
  payload: P;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface OutboxAttempt {
  messageId: string;
  attempt: number;
  startedAt: number;
  durationMs: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  responseSnippet: string | null;
}

/** What a transport reports for one attempt. */
export interface DeliveryResult {
  ok: boolean;
  /** false: retrying cannot help (a rejected address): fail now instead of on the schedule. */
  retryable?: boolean;
  statusCode?: number | null;
  error?: string | null;
  responseSnippet?: string | null;
  /** Anything the handler wants to keep from a success (provider message id…). */
  info?: Record<string, unknown>;
}

/**
 * A kind of outbox message. `deliver` does the I/O (outside any transaction); the `on*` hooks
 * run inside the transaction that records the attempt, so domain rows and events change with it.
 */
export interface OutboxHandler<P = unknown> {
  kind: string;
  deliver(message: OutboxMessage<P>): Promise<DeliveryResult>;
  /** The hooks run inside the outbox's own transaction: domain changes go through `t`. */
  onAttemptStarted?(t: Tx, message: OutboxMessage<P>): Promise<void>;
  onSucceeded?(t: Tx, message: OutboxMessage<P>, result: DeliveryResult): Promise<void>;
  /** A failed attempt; `final` when no retry is left (or the failure is not retryable). */
  onFailed?(t: Tx, message: OutboxMessage<P>, result: DeliveryResult, final: boolean, nextAttemptAt: number | null): Promise<void>;
}
