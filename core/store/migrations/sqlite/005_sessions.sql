-- Staff sessions of the browser UI (`npm run serve`). The cookie carries a random token; only
-- its SHA-256 is stored, so a copy of the database cannot be used to log in.
CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  method       TEXT NOT NULL CHECK (method IN ('pin', 'api_key')),
  api_key_id   TEXT,               -- the key that logged in (method api_key): revoking it ends the session
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL    -- absolute end; an idle session ends earlier (see core/sessions.ts)
);
CREATE INDEX sessions_expiry ON sessions(expires_at);
