-- Sync with the district server (design §5).
-- Append-only: never edit this file after it has landed; add a new migration instead.
--
-- Enrollment, the push acknowledgement and the pull cursor live in `meta` (keys `sync.*`).
-- Changes received from the server go into `change_log` with origin `sync`: the log holds every
-- device's changes, so field versions and conflicts are judged from one place.

-- The same field changed on two devices without either seeing the other's edit. Both values
-- stay here until an officer chooses (or a later edit made after seeing both settles it).
CREATE TABLE conflicts (
    id            INTEGER PRIMARY KEY,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    field         TEXT NOT NULL,
    kept_value    TEXT NOT NULL,
    kept_hlc      TEXT NOT NULL,
    kept_device   TEXT NOT NULL,
    kept_author   TEXT NOT NULL,
    other_value   TEXT NOT NULL,
    other_hlc     TEXT NOT NULL,
    other_device  TEXT NOT NULL,
    other_author  TEXT NOT NULL,
    detected_at   TEXT NOT NULL,
    resolved_at   TEXT,
    resolved_by   TEXT
) STRICT;
CREATE INDEX conflicts_open ON conflicts (entity, entity_id, field) WHERE resolved_at IS NULL;

