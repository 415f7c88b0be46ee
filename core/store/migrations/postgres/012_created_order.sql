-- A creation range of the links list reads newest first by (created_at, seq) within one mode:
-- one walk down this index from the range's end, without sorting the links of equal time.
-- Every list the server answers is of one mode.
DROP INDEX links_created;
CREATE INDEX links_created ON links(livemode, created_at, seq);
