-- Several counters on one hub (issue #11): paired devices, their pairing codes, staff users with
-- roles. Codes and device tokens are stored as their SHA-256 only; a staff user's PIN as an
-- scrypt hash (JSON: algorithm, N, r, p, salt, hash), like the shop's single staff PIN.
CREATE TABLE pairing_codes (
  code_hash        TEXT PRIMARY KEY,
  role             TEXT NOT NULL CHECK (role IN ('counter', 'display')),
  point_of_sale_id TEXT NOT NULL REFERENCES points_of_sale(id),
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  used_at          INTEGER            -- set once, by the one pairing that wins
);
CREATE INDEX pairing_codes_expiry ON pairing_codes(expires_at);

CREATE TABLE devices (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  role             TEXT NOT NULL CHECK (role IN ('counter', 'display')),
  point_of_sale_id TEXT NOT NULL REFERENCES points_of_sale(id),
  token_hash       TEXT NOT NULL UNIQUE,
  created_at       INTEGER NOT NULL,
  last_seen_at     INTEGER,
  revoked_at       INTEGER
);

CREATE TABLE staff_users (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'cashier')),
  pin        TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);

-- A session signed in as a staff user (method 'pin'); NULL: the shop's single PIN or an API key.
ALTER TABLE sessions ADD COLUMN staff_user_id TEXT;
