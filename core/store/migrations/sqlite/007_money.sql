-- Real money (issue #8): live and test mode, payment methods behind a provider port, SEPA
-- transfers confirmed from bank statements.
--
-- Mode: a database from before this migration held only simulator payments, so its links,
-- payments, events, notifications and webhook endpoints become test mode (livemode = 0); its API
-- keys stay as they were and act as live keys.
ALTER TABLE api_keys ADD COLUMN mode TEXT NOT NULL DEFAULT 'live' CHECK (mode IN ('live', 'test', 'any'));
ALTER TABLE links ADD COLUMN livemode INTEGER NOT NULL DEFAULT 0;
ALTER TABLE links ADD COLUMN methods TEXT; -- JSON array of method ids; NULL = every method available
ALTER TABLE payments ADD COLUMN livemode INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN provider_reference TEXT;
ALTER TABLE events ADD COLUMN livemode INTEGER DEFAULT 0; -- NULL: shared by both modes (points of sale, settings)
ALTER TABLE notifications ADD COLUMN livemode INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_endpoints ADD COLUMN livemode INTEGER NOT NULL DEFAULT 0;
ALTER TABLE points_of_sale ADD COLUMN methods TEXT; -- default methods for its links and charges

CREATE INDEX links_mode ON links(livemode, seq);
CREATE INDEX payments_mode ON payments(livemode, seq);

-- One row per sepa_transfer payment: what the payer was asked to send, and what arrived.
CREATE TABLE bank_transfers (
  payment_id         TEXT PRIMARY KEY REFERENCES payments(id),
  creditor_reference TEXT NOT NULL UNIQUE, -- ISO 11649, normalised (upper case, no spaces)
  account_holder     TEXT NOT NULL,
  iban               TEXT NOT NULL,
  bic                TEXT,
  amount_received    INTEGER NOT NULL DEFAULT 0,
  overpaid_amount    INTEGER NOT NULL DEFAULT 0,
  source             TEXT CHECK (source IS NULL OR source IN ('staff', 'statement')),
  reversed           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE bank_statements (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT NOT NULL UNIQUE,
  livemode    INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  message_id  TEXT,
  account     TEXT,
  credits     INTEGER NOT NULL,
  matched     INTEGER NOT NULL,
  unmatched   INTEGER NOT NULL,
  duplicates  INTEGER NOT NULL,
  imported_at INTEGER NOT NULL
);

-- Every credit a statement brought, once: `dedupe_key` recognises it in overlapping statements.
CREATE TABLE bank_credits (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT NOT NULL UNIQUE,
  livemode     INTEGER NOT NULL,
  statement_id TEXT NOT NULL REFERENCES bank_statements(id),
  dedupe_key   TEXT NOT NULL,
  amount       INTEGER NOT NULL,
  currency     TEXT NOT NULL,
  booked_on    TEXT,
  debtor_name  TEXT,
  debtor_iban  TEXT,
  reference    TEXT,
  remittance   TEXT,
  status       TEXT NOT NULL CHECK (status IN ('matched', 'unmatched')),
  reason       TEXT,
  payment_id   TEXT REFERENCES payments(id),
  reversed     INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  UNIQUE (livemode, dedupe_key)
);
CREATE INDEX bank_credits_status ON bank_credits(livemode, status, seq);
CREATE INDEX bank_credits_payment ON bank_credits(payment_id);
