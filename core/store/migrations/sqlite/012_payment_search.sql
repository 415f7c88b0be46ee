-- Payments search (`GET /payments?q=`, issue #12; flat cost, issue #13): refId, reference, payer
-- name and email through an FTS5 trigram index like the links' (migration 006), and the amount
-- through an index of its own, so a search at three million payments reads only what it finds.
CREATE VIRTUAL TABLE payments_search USING fts5(ref_id, reference, payer_name, payer_email, content = 'payments', content_rowid = 'seq', tokenize = 'trigram');
CREATE TRIGGER payments_search_insert AFTER INSERT ON payments BEGIN
  INSERT INTO payments_search (rowid, ref_id, reference, payer_name, payer_email) VALUES (new.seq, new.ref_id, new.reference, new.payer_name, new.payer_email);
END;
CREATE TRIGGER payments_search_delete AFTER DELETE ON payments BEGIN
  INSERT INTO payments_search (payments_search, rowid, ref_id, reference, payer_name, payer_email) VALUES ('delete', old.seq, old.ref_id, old.reference, old.payer_name, old.payer_email);
END;
CREATE TRIGGER payments_search_update AFTER UPDATE OF ref_id, reference, payer_name, payer_email ON payments BEGIN
  INSERT INTO payments_search (payments_search, rowid, ref_id, reference, payer_name, payer_email) VALUES ('delete', old.seq, old.ref_id, old.reference, old.payer_name, old.payer_email);
  INSERT INTO payments_search (rowid, ref_id, reference, payer_name, payer_email) VALUES (new.seq, new.ref_id, new.reference, new.payer_name, new.payer_email);
END;
INSERT INTO payments_search (payments_search) VALUES ('rebuild');

CREATE INDEX payments_amount ON payments(amount);
