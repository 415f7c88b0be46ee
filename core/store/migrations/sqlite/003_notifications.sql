-- Email and SMS notifications: one row per message carrying a link to one recipient. The
-- delivery itself rides on the shared outbox (outbox_messages, kind 'email' | 'sms').
CREATE TABLE notifications (
  seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
  id                   TEXT NOT NULL UNIQUE,
  link_id              TEXT NOT NULL REFERENCES links(id),
  channel              TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient            TEXT NOT NULL,              -- lower-cased email address or E.164 number
  locale               TEXT NOT NULL,
  message              TEXT,                       -- the merchant's personal note
  status               TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
  attempts             INTEGER NOT NULL DEFAULT 0,
  last_error           TEXT,
  transport            TEXT,                       -- 'smtp' | 'sms-gateway' | 'local-outbox'
  cost                 INTEGER,                    -- minor units of cost_currency, fixed when sent
  cost_currency        TEXT,
  provider_message_id  TEXT,
  callback_secret_hash TEXT,                       -- sha256 of the SMS delivery-report secret; never the secret
  outbox_id            TEXT NOT NULL REFERENCES outbox_messages(id),
  file                 TEXT,                       -- local-outbox file, relative to {dataDir}/outbox
  next_attempt_at      INTEGER,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  sent_at              INTEGER,
  delivered_at         INTEGER,
  failed_at            INTEGER
);
CREATE INDEX notifications_link ON notifications(link_id, created_at);
CREATE INDEX notifications_outbox ON notifications(outbox_id);
CREATE INDEX notifications_sent ON notifications(sent_at) WHERE sent_at IS NOT NULL;
