-- Expiry ranges that stay flat (issue #13). A list page is newest first by seq, and no index gives
-- "the highest seqs among links expiring in a range": reading the range's ends from links_expires
-- grows with the links in it. This table keeps, per mode and UTC day of expiry, bounds on the seqs
-- of the links expiring that day. A range's interior days give its span from a few rows; its two
-- edge days are read exactly from links_expires. A bound only ever widens (a link whose expiry moves
-- away leaves it standing), and a wider span is still a correct one: the page read checks every row.
CREATE TABLE link_expiry_days (
  livemode  INTEGER NOT NULL,
  day       INTEGER NOT NULL, -- expires_at / 86,400,000: days since the epoch, UTC
  first_seq INTEGER NOT NULL,
  last_seq  INTEGER NOT NULL,
  PRIMARY KEY (livemode, day)
) WITHOUT ROWID;

CREATE TRIGGER link_expiry_days_insert AFTER INSERT ON links WHEN new.expires_at IS NOT NULL BEGIN
  INSERT INTO link_expiry_days (livemode, day, first_seq, last_seq)
    VALUES (new.livemode, CAST(new.expires_at / 86400000 AS INTEGER), new.seq, new.seq)
    ON CONFLICT (livemode, day) DO UPDATE SET first_seq = MIN(first_seq, excluded.first_seq), last_seq = MAX(last_seq, excluded.last_seq);
END;
CREATE TRIGGER link_expiry_days_update AFTER UPDATE OF expires_at ON links
  WHEN new.expires_at IS NOT NULL AND new.expires_at IS NOT old.expires_at BEGIN
  INSERT INTO link_expiry_days (livemode, day, first_seq, last_seq)
    VALUES (new.livemode, CAST(new.expires_at / 86400000 AS INTEGER), new.seq, new.seq)
    ON CONFLICT (livemode, day) DO UPDATE SET first_seq = MIN(first_seq, excluded.first_seq), last_seq = MAX(last_seq, excluded.last_seq);
END;

INSERT INTO link_expiry_days (livemode, day, first_seq, last_seq)
  SELECT livemode, CAST(expires_at / 86400000 AS INTEGER), MIN(seq), MAX(seq) FROM links WHERE expires_at IS NOT NULL GROUP BY 1, 2;
