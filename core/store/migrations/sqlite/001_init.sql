-- Counterlink schema v1. Times are integer milliseconds since the epoch (UTC); money is integer
-- minor units of the row's currency.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL -- JSON
);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  key_hash     TEXT NOT NULL UNIQUE, -- sha256 hex of the key; the key itself is never stored
  prefix       TEXT NOT NULL,        -- first characters, so staff can tell keys apart
  role         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);

CREATE TABLE points_of_sale (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  currency   TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE links (
  seq                INTEGER PRIMARY KEY AUTOINCREMENT,
  id                 TEXT NOT NULL UNIQUE,
  type               TEXT NOT NULL CHECK (type IN ('payment', 'accountInfo')),
  name               TEXT NOT NULL,
  description        TEXT,
  point_of_sale_id   TEXT NOT NULL REFERENCES points_of_sale(id),
  amount             INTEGER CHECK (amount IS NULL OR amount > 0),
  currency           TEXT NOT NULL,
  min_amount         INTEGER,
  reuse              TEXT NOT NULL CHECK (reuse IN ('single', 'multiple')),
  max_uses           INTEGER,
  per_payment_limit  INTEGER,
  total_amount_limit INTEGER,
  expires_at         INTEGER,
  locale             TEXT NOT NULL,
  country            TEXT,
  metadata           TEXT NOT NULL DEFAULT '{}',
  ref_id_base        TEXT NOT NULL UNIQUE,
  reference          TEXT,
  cancellable        INTEGER NOT NULL DEFAULT 1,
  callback_url       TEXT,
  line_items         TEXT, -- JSON array or NULL
  enabled            INTEGER NOT NULL DEFAULT 1,
  cancelled_at       INTEGER,
  expired_noted_at   INTEGER, -- when the sweeper emitted link.expired
  -- counters, kept in the same transaction as every payment transition
  used_count         INTEGER NOT NULL DEFAULT 0 CHECK (used_count >= 0),
  used_amount        INTEGER NOT NULL DEFAULT 0 CHECK (used_amount >= 0),
  pending_count      INTEGER NOT NULL DEFAULT 0 CHECK (pending_count >= 0),
  pending_amount     INTEGER NOT NULL DEFAULT 0 CHECK (pending_amount >= 0),
  payment_count      INTEGER NOT NULL DEFAULT 0, -- payments of any status ever started
  next_ref_seq       INTEGER NOT NULL DEFAULT 1,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  -- a single-use link can never hold more than one payment, in progress or paid
  CHECK (reuse = 'multiple' OR used_count + pending_count <= 1)
);
CREATE INDEX links_pos ON links(point_of_sale_id, seq);
CREATE INDEX links_expiry ON links(expires_at) WHERE expires_at IS NOT NULL AND expired_noted_at IS NULL;

CREATE TABLE payments (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  link_id         TEXT NOT NULL REFERENCES links(id),
  ref_id          TEXT NOT NULL UNIQUE,
  status          TEXT NOT NULL,
  amount          INTEGER NOT NULL CHECK (amount > 0),
  currency        TEXT NOT NULL,
  method          TEXT NOT NULL,
  reference       TEXT,
  payer_name      TEXT,
  payer_email     TEXT,
  metadata        TEXT NOT NULL DEFAULT '{}',
  refunded_amount INTEGER NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  lock_expires_at INTEGER NOT NULL, -- still pending then: abandoned
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  completed_at    INTEGER
);
CREATE INDEX payments_link ON payments(link_id, seq);
CREATE INDEX payments_pending ON payments(lock_expires_at) WHERE status = 'pending';

-- Every link base and every payment refId, so a refId is unique across both.
CREATE TABLE ref_ids (
  ref_id TEXT PRIMARY KEY
);

CREATE TABLE events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: ids only grow, never reused
  type       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  data       TEXT NOT NULL -- JSON: the object the event is about, after the change
);

CREATE TABLE idempotency_keys (
  scope         TEXT NOT NULL,
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status_code   INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_age ON idempotency_keys(created_at);

CREATE TABLE displays (
  point_of_sale_id TEXT PRIMARY KEY REFERENCES points_of_sale(id),
  mode             TEXT NOT NULL CHECK (mode IN ('idle', 'link', 'result')),
  link_id          TEXT,
  payment_id       TEXT,
  result_until     INTEGER,
  updated_at       INTEGER NOT NULL
);
