-- Expiry ranges that stay flat (issue #13). A list page is newest first by seq, and no index gives
-- "the highest seqs among links expiring in a range": reading the range's ends from links_expires
-- grows with the links in it. This table keeps, per mode and UTC day of expiry, bounds on the seqs
-- of the links expiring that day. A range's interior days give its span from a few rows; its two
-- edge days are read exactly from links_expires. A bound only ever widens (a link whose expiry moves
-- away leaves it standing), and a wider span is still a correct one: the page read checks every row.
CREATE TABLE link_expiry_days (
  livemode  INTEGER NOT NULL,
  day       BIGINT NOT NULL, -- expires_at / 86,400,000: days since the epoch, UTC
  first_seq BIGINT NOT NULL,
  last_seq  BIGINT NOT NULL,
  PRIMARY KEY (livemode, day)
);

-- Bounds are kept in blocks of 64 seqs, and a link inside its day's bounds writes nothing: an
-- upsert locks the day's row until commit, and counters creating links at once would queue on it.
CREATE FUNCTION link_expiry_days_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d BIGINT := NEW.expires_at / 86400000;
BEGIN
  PERFORM 1 FROM link_expiry_days
    WHERE livemode = NEW.livemode AND day = d AND first_seq <= NEW.seq AND last_seq >= NEW.seq;
  IF NOT FOUND THEN
    INSERT INTO link_expiry_days (livemode, day, first_seq, last_seq)
      VALUES (NEW.livemode, d, (NEW.seq / 64) * 64, (NEW.seq / 64) * 64 + 63)
      ON CONFLICT (livemode, day) DO UPDATE SET
        first_seq = LEAST(link_expiry_days.first_seq, EXCLUDED.first_seq),
        last_seq = GREATEST(link_expiry_days.last_seq, EXCLUDED.last_seq);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER link_expiry_days_insert AFTER INSERT ON links
  FOR EACH ROW WHEN (NEW.expires_at IS NOT NULL) EXECUTE FUNCTION link_expiry_days_note();
CREATE TRIGGER link_expiry_days_update AFTER UPDATE OF expires_at ON links
  FOR EACH ROW WHEN (NEW.expires_at IS NOT NULL AND NEW.expires_at IS DISTINCT FROM OLD.expires_at)
  EXECUTE FUNCTION link_expiry_days_note();

INSERT INTO link_expiry_days (livemode, day, first_seq, last_seq)
  SELECT livemode, expires_at / 86400000, MIN(seq), MAX(seq) FROM links WHERE expires_at IS NOT NULL GROUP BY 1, 2;
