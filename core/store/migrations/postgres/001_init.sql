-- Counterlink schema for PostgreSQL: the same tables and meaning as the SQLite migrations
-- 001-005 (see core/store/sqlite/migrations). Times are BIGINT milliseconds since the epoch (UTC);
-- money is BIGINT minor units of the row's currency; flags are 0/1 integers as on SQLite, so one
-- set of repositories serves both.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL -- JSON
);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  key_hash     TEXT NOT NULL UNIQUE,
  prefix       TEXT NOT NULL,
  role         TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at   BIGINT
);

CREATE TABLE points_of_sale (
  seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  currency   TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE links (
  seq                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                 TEXT NOT NULL UNIQUE,
  type               TEXT NOT NULL CHECK (type IN ('payment', 'accountInfo')),
  name               TEXT NOT NULL,
  description        TEXT,
  point_of_sale_id   TEXT NOT NULL REFERENCES points_of_sale(id),
  amount             BIGINT CHECK (amount IS NULL OR amount > 0),
  currency           TEXT NOT NULL,
  min_amount         BIGINT,
  reuse              TEXT NOT NULL CHECK (reuse IN ('single', 'multiple')),
  max_uses           BIGINT,
  per_payment_limit  BIGINT,
  total_amount_limit BIGINT,
  expires_at         BIGINT,
  locale             TEXT NOT NULL,
  country            TEXT,
  metadata           TEXT NOT NULL DEFAULT '{}',
  ref_id_base        TEXT NOT NULL UNIQUE,
  reference          TEXT,
  cancellable        INTEGER NOT NULL DEFAULT 1,
  callback_url       TEXT,
  line_items         TEXT,
  enabled            INTEGER NOT NULL DEFAULT 1,
  cancelled_at       BIGINT,
  expired_noted_at   BIGINT,
  used_count         BIGINT NOT NULL DEFAULT 0 CHECK (used_count >= 0),
  used_amount        BIGINT NOT NULL DEFAULT 0 CHECK (used_amount >= 0),
  pending_count      BIGINT NOT NULL DEFAULT 0 CHECK (pending_count >= 0),
  pending_amount     BIGINT NOT NULL DEFAULT 0 CHECK (pending_amount >= 0),
  payment_count      BIGINT NOT NULL DEFAULT 0,
  next_ref_seq       BIGINT NOT NULL DEFAULT 1,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  CHECK (reuse = 'multiple' OR used_count + pending_count <= 1)
);
CREATE INDEX links_pos ON links(point_of_sale_id, seq);
CREATE INDEX links_expiry ON links(expires_at) WHERE expires_at IS NOT NULL AND expired_noted_at IS NULL;

CREATE TABLE payments (
  seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  link_id         TEXT NOT NULL REFERENCES links(id),
  ref_id          TEXT NOT NULL UNIQUE,
  status          TEXT NOT NULL,
  amount          BIGINT NOT NULL CHECK (amount > 0),
  currency        TEXT NOT NULL,
  method          TEXT NOT NULL,
  reference       TEXT,
  payer_name      TEXT,
  payer_email     TEXT,
  metadata        TEXT NOT NULL DEFAULT '{}',
  refunded_amount BIGINT NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  lock_expires_at BIGINT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  completed_at    BIGINT
);
CREATE INDEX payments_link ON payments(link_id, seq);
CREATE INDEX payments_pending ON payments(lock_expires_at) WHERE status = 'pending';

CREATE TABLE ref_ids (
  ref_id TEXT PRIMARY KEY
);

-- Ids are taken at commit under an advisory lock (core/store/postgres/adapter.ts), so they grow
-- in commit order across every server.
CREATE TABLE events (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  data       TEXT NOT NULL
);

CREATE TABLE idempotency_keys (
  scope         TEXT NOT NULL,
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status_code   INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_age ON idempotency_keys(created_at);

CREATE TABLE displays (
  point_of_sale_id TEXT PRIMARY KEY REFERENCES points_of_sale(id),
  mode             TEXT NOT NULL CHECK (mode IN ('idle', 'link', 'result')),
  link_id          TEXT,
  payment_id       TEXT,
  result_until     BIGINT,
  updated_at       BIGINT NOT NULL
);

CREATE TABLE outbox_messages (
  seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL,
  queue           TEXT NOT NULL,
  ordered         INTEGER NOT NULL DEFAULT 0,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'succeeded', 'failed')),
  payload         TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until     BIGINT,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  finished_at     BIGINT
);
CREATE INDEX outbox_due ON outbox_messages(kind, status, next_attempt_at);
CREATE INDEX outbox_queue ON outbox_messages(queue, seq);
CREATE INDEX outbox_kind_seq ON outbox_messages(kind, seq);

CREATE TABLE outbox_attempts (
  message_id       TEXT NOT NULL REFERENCES outbox_messages(id),
  attempt          INTEGER NOT NULL,
  started_at       BIGINT NOT NULL,
  duration_ms      BIGINT NOT NULL,
  ok               INTEGER NOT NULL,
  status_code      INTEGER,
  error            TEXT,
  response_snippet TEXT,
  PRIMARY KEY (message_id, attempt)
);

CREATE TABLE notifications (
  seq                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                   TEXT NOT NULL UNIQUE,
  link_id              TEXT NOT NULL REFERENCES links(id),
  channel              TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient            TEXT NOT NULL,
  locale               TEXT NOT NULL,
  message              TEXT,
  status               TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
  attempts             INTEGER NOT NULL DEFAULT 0,
  last_error           TEXT,
  transport            TEXT,
  cost                 BIGINT,
  cost_currency        TEXT,
  provider_message_id  TEXT,
  callback_secret_hash TEXT,
  outbox_id            TEXT NOT NULL REFERENCES outbox_messages(id),
  file                 TEXT,
  next_attempt_at      BIGINT,
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL,
  sent_at              BIGINT,
  delivered_at         BIGINT,
  failed_at            BIGINT
);
CREATE INDEX notifications_link ON notifications(link_id, created_at);
CREATE INDEX notifications_outbox ON notifications(outbox_id);
CREATE INDEX notifications_sent ON notifications(sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE webhook_endpoints (
  seq                        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                         TEXT NOT NULL UNIQUE,
  url                        TEXT NOT NULL,
  description                TEXT,
  events                     TEXT NOT NULL,
  enabled                    INTEGER NOT NULL DEFAULT 1,
  encryption                 TEXT NOT NULL CHECK (encryption IN ('none', 'aes-256-cbc')),
  secret                     TEXT NOT NULL,
  previous_secret            TEXT,
  previous_secret_expires_at BIGINT,
  encryption_key             TEXT,
  health                     TEXT NOT NULL DEFAULT 'healthy' CHECK (health IN ('healthy', 'failing')),
  failing_since              BIGINT,
  last_success_at            BIGINT,
  last_failure_at            BIGINT,
  last_error                 TEXT,
  after_event_id             BIGINT NOT NULL,
  created_at                 BIGINT NOT NULL,
  updated_at                 BIGINT NOT NULL,
  deleted_at                 BIGINT
);
CREATE INDEX webhook_endpoints_live ON webhook_endpoints(seq) WHERE deleted_at IS NULL;

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  method       TEXT NOT NULL CHECK (method IN ('pin', 'api_key')),
  api_key_id   TEXT,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);
