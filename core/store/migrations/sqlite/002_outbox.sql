-- The shared outbox: email, SMS and webhook deliveries wait here until a worker sends them.
CREATE TABLE outbox_messages (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL,              -- 'email' | 'sms' | 'webhook' …: which worker handles it
  queue           TEXT NOT NULL,              -- messages of one queue go strictly in order (a webhook endpoint); else the id
  ordered         INTEGER NOT NULL DEFAULT 0, -- 1: a later message of the queue waits for this one
  status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'succeeded', 'failed')),
  payload         TEXT NOT NULL,              -- JSON, the handler's business
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,                    -- a 'sending' message whose lease ran out was interrupted (crash): due again
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  finished_at     INTEGER
);
CREATE INDEX outbox_due ON outbox_messages(kind, status, next_attempt_at);
CREATE INDEX outbox_queue ON outbox_messages(queue, seq);

CREATE TABLE outbox_attempts (
  message_id       TEXT NOT NULL REFERENCES outbox_messages(id),
  attempt          INTEGER NOT NULL,
  started_at       INTEGER NOT NULL,
  duration_ms      INTEGER NOT NULL,
  ok               INTEGER NOT NULL,
  status_code      INTEGER,
  error            TEXT,
  response_snippet TEXT,
  PRIMARY KEY (message_id, attempt)
);
