-- Stripe Checkout (issue #9): one row per Stripe payment's Checkout Session, the Stripe events
-- already applied (each once), and refunds sent to Stripe through the outbox.

CREATE TABLE stripe_sessions (
  payment_id     TEXT PRIMARY KEY REFERENCES payments(id),
  session_id     TEXT NOT NULL UNIQUE,
  url            TEXT,
  payment_intent TEXT,
  livemode       INTEGER NOT NULL,
  created_at     INTEGER NOT NULL
);

-- An event id seen before changes nothing: written in the same transaction as its outcome.
CREATE TABLE stripe_events (
  id          TEXT PRIMARY KEY,
  livemode    INTEGER NOT NULL,
  type        TEXT NOT NULL,
  payment_id  TEXT,
  received_at INTEGER NOT NULL
);

CREATE TABLE payment_refunds (
  seq                INTEGER PRIMARY KEY AUTOINCREMENT,
  id                 TEXT NOT NULL UNIQUE,
  payment_id         TEXT NOT NULL REFERENCES payments(id),
  amount             INTEGER NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  provider_reference TEXT,
  error              TEXT,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX payment_refunds_payment ON payment_refunds(payment_id, seq);
