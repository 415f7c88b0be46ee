-- Flat cost at a million links (issue #13): every query the server runs all day reads what it
-- needs through an index, whatever the history behind it.

-- The sweeper looks for links due for expiry that are neither noted nor cancelled. A cancelled
-- link is never noted, so it stayed in this partial index for good and every sweep re-read it.
DROP INDEX links_expiry;
CREATE INDEX links_expiry ON links(expires_at) WHERE expires_at IS NOT NULL AND expired_noted_at IS NULL AND cancelled_at IS NULL;

-- List filters on dates seek into their range.
CREATE INDEX links_created ON links(created_at);
CREATE INDEX links_expires ON links(expires_at) WHERE expires_at IS NOT NULL;

-- `q`: a substring of the name, description or refIdBase, in any case (LOWER(...) LIKE), through
-- pg_trgm GIN indexes. pg_trgm ships with PostgreSQL (Debian's postgresql package included) and
-- is a trusted extension: the database owner may create it. Where it cannot be had, search
-- still answers, by reading the links.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'pg_trgm is not available (%): searching links by q reads every link', SQLERRM;
END
$$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX links_name_trgm ON links USING gin (LOWER(name) gin_trgm_ops);
    CREATE INDEX links_description_trgm ON links USING gin (LOWER(description) gin_trgm_ops);
    CREATE INDEX links_ref_id_base_trgm ON links USING gin (LOWER(ref_id_base) gin_trgm_ops);
  END IF;
END
$$;
