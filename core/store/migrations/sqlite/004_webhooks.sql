-- Webhooks (issue #5): the merchant's endpoints. Deliveries are outbox messages of kind 'webhook'
-- whose queue is the endpoint id (ordered); the fan-out cursor lives in settings
-- ('webhooks.fanoutCursor').
CREATE TABLE webhook_endpoints (
  seq                        INTEGER PRIMARY KEY AUTOINCREMENT,
  id                         TEXT NOT NULL UNIQUE,
  url                        TEXT NOT NULL,
  description                TEXT,
  events                     TEXT NOT NULL,               -- JSON array of patterns: "*", "link.*", "payment.succeeded"
  enabled                    INTEGER NOT NULL DEFAULT 1,
  encryption                 TEXT NOT NULL CHECK (encryption IN ('none', 'aes-256-cbc')),
  -- Signing needs the secret itself (unlike API keys, which are hashed): whsec_ + base64(32 bytes).
  -- Never returned by the API after creation or rotation, never logged.
  secret                     TEXT NOT NULL,
  previous_secret            TEXT,                        -- after a rotation: still signs beside the new one …
  previous_secret_expires_at INTEGER,                     -- … until then
  encryption_key             TEXT,                        -- base64(32 bytes) for aes-256-cbc, else NULL
  health                     TEXT NOT NULL DEFAULT 'healthy' CHECK (health IN ('healthy', 'failing')),
  failing_since              INTEGER,
  last_success_at            INTEGER,
  last_failure_at            INTEGER,
  last_error                 TEXT,
  -- Events up to this id happened before the endpoint existed: never fanned out to it.
  after_event_id             INTEGER NOT NULL,
  created_at                 INTEGER NOT NULL,
  updated_at                 INTEGER NOT NULL,
  deleted_at                 INTEGER                      -- soft delete: the delivery log stays readable
);
CREATE INDEX webhook_endpoints_live ON webhook_endpoints(seq) WHERE deleted_at IS NULL;

-- The delivery log lists webhook messages newest first, per endpoint (queue) and status.
CREATE INDEX outbox_kind_seq ON outbox_messages(kind, seq);
