-- Text indexes written once per write transaction (issue #13). FTS5 writes its pending terms out
-- as a new segment at every savepoint, and every member of a group commit opens one (as does each
-- statement after an insert): each new link and payment paid a segment of its own, about a
-- quarter of a link's creation. New rows are now indexed together at the end of the transaction
-- that wrote them (SqliteStore.runGroup, core/store/sqlite/text-index.ts), in one statement per
-- index. An index holds every row up to its `indexed_seq` and none after it, so a change or
-- delete of a newer row leaves the index alone: an external-content FTS5 table is corrupted by
-- deleting what it never held, and the catch-up indexes the row as it is by then.
CREATE TABLE text_index_marks (
  name        TEXT PRIMARY KEY, -- the indexed table
  indexed_seq INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO text_index_marks (name, indexed_seq) VALUES
  ('links', (SELECT COALESCE(MAX(seq), 0) FROM links)),
  ('payments', (SELECT COALESCE(MAX(seq), 0) FROM payments));

DROP TRIGGER links_search_insert;
DROP TRIGGER links_search_delete;
DROP TRIGGER links_search_update;
CREATE TRIGGER links_search_delete AFTER DELETE ON links
  WHEN old.seq <= (SELECT indexed_seq FROM text_index_marks WHERE name = 'links') BEGIN
  INSERT INTO links_search (links_search, rowid, name, description, ref_id_base) VALUES ('delete', old.seq, old.name, old.description, old.ref_id_base);
END;
CREATE TRIGGER links_search_update AFTER UPDATE OF name, description, ref_id_base ON links
  WHEN old.seq <= (SELECT indexed_seq FROM text_index_marks WHERE name = 'links') BEGIN
  INSERT INTO links_search (links_search, rowid, name, description, ref_id_base) VALUES ('delete', old.seq, old.name, old.description, old.ref_id_base);
  INSERT INTO links_search (rowid, name, description, ref_id_base) VALUES (new.seq, new.name, new.description, new.ref_id_base);
END;

DROP TRIGGER payments_search_insert;
DROP TRIGGER payments_search_delete;
DROP TRIGGER payments_search_update;
CREATE TRIGGER payments_search_delete AFTER DELETE ON payments
  WHEN old.seq <= (SELECT indexed_seq FROM text_index_marks WHERE name = 'payments') BEGIN
  INSERT INTO payments_search (payments_search, rowid, ref_id, reference, payer_name, payer_email) VALUES ('delete', old.seq, old.ref_id, old.reference, old.payer_name, old.payer_email);
END;
CREATE TRIGGER payments_search_update AFTER UPDATE OF ref_id, reference, payer_name, payer_email ON payments
  WHEN old.seq <= (SELECT indexed_seq FROM text_index_marks WHERE name = 'payments') BEGIN
  INSERT INTO payments_search (payments_search, rowid, ref_id, reference, payer_name, payer_email) VALUES ('delete', old.seq, old.ref_id, old.reference, old.payer_name, old.payer_email);
  INSERT INTO payments_search (rowid, ref_id, reference, payer_name, payer_email) VALUES (new.seq, new.ref_id, new.reference, new.payer_name, new.payer_email);
END;
