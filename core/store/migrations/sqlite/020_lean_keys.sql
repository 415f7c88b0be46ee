-- Storage (issue #13): two structures that stored what they hold twice.

-- ref_ids was a rowid table with its key in an index of its own: every refId (four a link: its
-- base and three payments) was written in both. Keyed by the refId alone, it is written once.
CREATE TABLE ref_ids_by_key (
  ref_id TEXT PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO ref_ids_by_key (ref_id) SELECT ref_id FROM ref_ids;
DROP TABLE ref_ids;
ALTER TABLE ref_ids_by_key RENAME TO ref_ids;

-- The text indexes kept each row's column sizes (FTS5's docsize table), which only ranking reads:
-- a search lists by seq and is never ranked. Built again without them (columnsize = 0). At a
-- million links this takes a minute or two, once; the triggers of migration 019 stay as they are.
DROP TABLE links_search;
CREATE VIRTUAL TABLE links_search USING fts5(name, description, ref_id_base, content = 'links', content_rowid = 'seq', tokenize = 'trigram', columnsize = 0);
INSERT INTO links_search (links_search) VALUES ('rebuild');
DROP TABLE payments_search;
CREATE VIRTUAL TABLE payments_search USING fts5(ref_id, reference, payer_name, payer_email, content = 'payments', content_rowid = 'seq', tokenize = 'trigram', columnsize = 0);
INSERT INTO payments_search (payments_search) VALUES ('rebuild');
-- A rebuild indexes every row there is.
UPDATE text_index_marks SET indexed_seq = (SELECT COALESCE(MAX(seq), 0) FROM links) WHERE name = 'links';
UPDATE text_index_marks SET indexed_seq = (SELECT COALESCE(MAX(seq), 0) FROM payments) WHERE name = 'payments';
