-- Lean events (issue #13): new events are stored packed (deflated against a dictionary, see
-- core/store/repos/event-packing.ts) in `packed`, with `data` left empty; events written before
-- keep their JSON text in `data`. The link an event is about gets a column (its `seq`: a few
-- bytes where the id takes 25) and an index, so "this link's events" seeks instead of reading
-- every event's JSON.
ALTER TABLE events ADD COLUMN packed BLOB;
ALTER TABLE events ADD COLUMN link_seq INTEGER;
UPDATE events SET link_seq = (SELECT seq FROM links WHERE links.id = COALESCE(json_extract(events.data, '$.linkId'), CASE WHEN events.type LIKE 'link.%' THEN json_extract(events.data, '$.id') END));
CREATE INDEX events_link ON events(link_seq, id) WHERE link_seq IS NOT NULL;
