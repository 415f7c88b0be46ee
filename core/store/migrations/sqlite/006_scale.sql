-- Flat cost at a million links (issue #13): every query the server runs all day reads what it
-- needs through an index, whatever the history behind it.

-- The sweeper looks for links due for expiry that are neither noted nor cancelled. A cancelled
-- link is never noted, so it stayed in this partial index for good and every sweep re-read it.
-- (The two always-NULL leading columns match the query's IS NULL terms: without statistics,
-- SQLite then prefers this small index to links_expires below.)
DROP INDEX links_expiry;
CREATE INDEX links_expiry ON links(expired_noted_at, cancelled_at, expires_at)
  WHERE expires_at IS NOT NULL AND expired_noted_at IS NULL AND cancelled_at IS NULL;

-- List filters on dates seek into their range.
CREATE INDEX links_created ON links(created_at);
CREATE INDEX links_expires ON links(expires_at) WHERE expires_at IS NOT NULL;

-- `q`: a substring of the name, description or refIdBase, in any case, through a trigram index
-- (FTS5, external content: the text stays in links, the index follows it by triggers).
CREATE VIRTUAL TABLE links_search USING fts5(name, description, ref_id_base, content = 'links', content_rowid = 'seq', tokenize = 'trigram');
CREATE TRIGGER links_search_insert AFTER INSERT ON links BEGIN
  INSERT INTO links_search (rowid, name, description, ref_id_base) VALUES (new.seq, new.name, new.description, new.ref_id_base);
END;
CREATE TRIGGER links_search_delete AFTER DELETE ON links BEGIN
  INSERT INTO links_search (links_search, rowid, name, description, ref_id_base) VALUES ('delete', old.seq, old.name, old.description, old.ref_id_base);
END;
CREATE TRIGGER links_search_update AFTER UPDATE OF name, description, ref_id_base ON links BEGIN
  INSERT INTO links_search (links_search, rowid, name, description, ref_id_base) VALUES ('delete', old.seq, old.name, old.description, old.ref_id_base);
  INSERT INTO links_search (rowid, name, description, ref_id_base) VALUES (new.seq, new.name, new.description, new.ref_id_base);
END;
INSERT INTO links_search (links_search) VALUES ('rebuild');
