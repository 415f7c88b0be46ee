-- Lean events (issue #13): new events are stored packed (deflated against a dictionary, see
-- core/store/repos/event-packing.ts) in `packed`, with `data` left empty; events written before
-- keep their JSON text in `data`. The link an event is about gets a column (its `seq`: a few
-- bytes where the id takes 25) and an index, so "this link's events" seeks instead of reading
-- every event's JSON.
ALTER TABLE events ADD COLUMN packed BYTEA;
ALTER TABLE events ADD COLUMN link_seq BIGINT;
UPDATE events SET link_seq = (SELECT seq FROM links WHERE links.id = COALESCE(events.data::jsonb ->> 'linkId', CASE WHEN events.type LIKE 'link.%' THEN events.data::jsonb ->> 'id' END));
CREATE INDEX events_link ON events(link_seq, id) WHERE link_seq IS NOT NULL;
