-- Events packed against a base (issue #13): an event about a link is mostly a copy of the first
-- event of its kind about that link, so it is stored as what differs from that one (see
-- core/store/repos/event-packing.ts). `base_id` names the base; NULL for a self-contained event
-- (every event written before, and the first of each kind).
ALTER TABLE events ADD COLUMN base_id INTEGER;
