-- Payments search (`GET /payments?q=`, issue #12; flat cost, issue #13): refId, reference, payer
-- name and email (LOWER(...) LIKE) through pg_trgm GIN indexes like the links' (migration 002),
-- and the amount through a btree of its own. Without pg_trgm the search still answers, by reading.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX payments_ref_id_trgm ON payments USING gin (LOWER(ref_id) gin_trgm_ops);
    CREATE INDEX payments_reference_trgm ON payments USING gin (LOWER(reference) gin_trgm_ops);
    CREATE INDEX payments_payer_name_trgm ON payments USING gin (LOWER(payer_name) gin_trgm_ops);
    CREATE INDEX payments_payer_email_trgm ON payments USING gin (LOWER(payer_email) gin_trgm_ops);
  END IF;
END
$$;

CREATE INDEX payments_amount ON payments(amount);
