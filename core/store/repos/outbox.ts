import type { OutboxAttempt, OutboxMessage, OutboxStatus } from '../../outbox/types';
import type { Sql } from '../sql/executor';

export interface OutboxRow {
  seq: number;
  id: string;
  kind: string;
  queue: string;
  ordered: number;
  status: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export function toOutbox<P>(r: OutboxRow): OutboxMessage<P> {
  return {
    seq: r.seq,
    id: r.id,
    kind: r.kind,
    queue: r.queue,
    ordered: r.ordered === 1,
    status: r.status as OutboxStatus,
    payload: JSON.parse(r.payload) as P,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    leaseUntil: r.lease_until,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

interface AttemptRow {
  message_id: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  ok: number;
  status_code: number | null;
  error: string | null;
  response_snippet: string | null;
}

export type OutboxRepo = ReturnType<typeof outboxRepo>;

export function outboxRepo(sql: Sql) {
  return {
    insert: async (m: { id: string; kind: string; queue: string; ordered: boolean; payload: unknown; nextAttemptAt: number; createdAt: number }): Promise<void> => {
      await sql.run(
        `INSERT INTO outbox_messages (id, kind, queue, ordered, status, payload, next_attempt_at, created_at, updated_at)
         VALUES (@id, @kind, @queue, @ordered, 'queued', @payload, @nextAttemptAt, @createdAt, @createdAt)`,
        { id: m.id, kind: m.kind, queue: m.queue, ordered: m.ordered, payload: JSON.stringify(m.payload), nextAttemptAt: m.nextAttemptAt, createdAt: m.createdAt },
      );
    },
    get: async <P>(id: string): Promise<OutboxMessage<P> | undefined> => {
      const r = await sql.get<OutboxRow>('SELECT * FROM outbox_messages WHERE id = @id', { id });
      return r && toOutbox<P>(r);
    },
    /**
     * Messages of `kind` a worker may take now: queued and due, or 'sending' with a lapsed lease
     * (the process died mid-delivery). An ordered message waits while an earlier one of its
     * queue is unfinished, so one endpoint's backlog never reorders and never blocks another's.
     * Candidates only: `claim` decides which worker (of any server) gets each.
     */
    due: async <P>(kind: string, now: number, limit: number): Promise<OutboxMessage<P>[]> =>
      (
        await sql.all<OutboxRow>(
          `SELECT m.* FROM outbox_messages m
           WHERE m.kind = @kind
             AND ((m.status = 'queued' AND m.next_attempt_at <= @now) OR (m.status = 'sending' AND m.lease_until <= @now))
             AND (m.ordered = 0 OR NOT EXISTS (
               SELECT 1 FROM outbox_messages e WHERE e.queue = m.queue AND e.ordered = 1 AND e.seq < m.seq
                 AND e.status IN ('queued', 'sending')))
           ORDER BY m.next_attempt_at, m.seq LIMIT @limit`,
          { kind, now, limit },
        )
      ).map((r) => toOutbox<P>(r)),
    /** Conditional claim: of two workers (or two servers) only one gets the message, for one lease. */
    claim: async (id: string, now: number, leaseUntil: number): Promise<boolean> =>
      (await sql.run(
        `UPDATE outbox_messages SET status = 'sending', attempts = attempts + 1, lease_until = @leaseUntil, updated_at = @now
         WHERE id = @id AND ((status = 'queued' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until <= @now))`,
        { id, now, leaseUntil },
      )) === 1,
    /** Ends or reschedules a message this worker holds ('sending'). */
    settle: async (id: string, status: OutboxStatus, now: number, nextAttemptAt: number | null, error: string | null): Promise<void> => {
      await sql.run(
        `UPDATE outbox_messages SET status = @status, lease_until = NULL, last_error = @error, updated_at = @now,
           next_attempt_at = COALESCE(@next, next_attempt_at), finished_at = @finishedAt
         WHERE id = @id AND status = 'sending'`,
        { id, status, now, next: nextAttemptAt, error, finishedAt: status === 'succeeded' || status === 'failed' ? now : null },
      );
    },
    /** Staff's "retry now", or a redelivery: queued again, due at once. */
    requeue: async (id: string, now: number): Promise<boolean> =>
      (await sql.run(
        `UPDATE outbox_messages SET status = 'queued', next_attempt_at = @now, finished_at = NULL, updated_at = @now
         WHERE id = @id AND status IN ('queued', 'failed', 'succeeded')`,
        { id, now },
      )) === 1,
    recordAttempt: async (a: OutboxAttempt): Promise<void> => {
      await sql.run(
        `INSERT INTO outbox_attempts (message_id, attempt, started_at, duration_ms, ok, status_code, error, response_snippet)
         VALUES (@messageId, @attempt, @startedAt, @durationMs, @ok, @statusCode, @error, @responseSnippet)`,
        { ...a },
      );
    },
    attempts: async (messageId: string): Promise<OutboxAttempt[]> =>
      (await sql.all<AttemptRow>('SELECT * FROM outbox_attempts WHERE message_id = @messageId ORDER BY attempt', { messageId })).map((r) => ({
        messageId: r.message_id,
        attempt: r.attempt,
        startedAt: r.started_at,
        durationMs: r.duration_ms,
        ok: r.ok === 1,
        statusCode: r.status_code,
        error: r.error,
        responseSnippet: r.response_snippet,
      })),
    /** Earliest time any message of `kind` becomes due (for the worker's next wake-up). */
    nextDueAt: async (kind: string): Promise<number | null> =>
      (await sql.get<{ t: number | null }>(`SELECT MIN(next_attempt_at) AS t FROM outbox_messages WHERE kind = @kind AND status = 'queued'`, { kind }))!.t,
    countUnfinished: async (kind: string): Promise<number> =>
      (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox_messages WHERE kind = @kind AND status IN ('queued', 'sending')`, { kind }))!.n,
  };
}
