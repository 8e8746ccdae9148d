-- Sync hardening (issue 10). Append-only: never edit this file after it has landed; add a new
-- migration instead.

-- What each change is and knew: the format of its content (a change from a newer BVTE has a
-- higher one) and its author's pull cursor when it was made (the server admits an edit from a
-- commune a child moved away from only when it was made before that commune learned of it).
ALTER TABLE change_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE change_log ADD COLUMN base_cursor INTEGER NOT NULL DEFAULT 0;

-- This device's changes the server refused one by one, with what it said: the officer sees
-- them until marked as seen. The change stays applied here; nobody else receives it.
CREATE TABLE sync_refusals (
    change_id  TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    code       TEXT NOT NULL,
    message    TEXT NOT NULL,
    message_en TEXT NOT NULL,
    refused_at TEXT NOT NULL,
    seen_at    TEXT
) STRICT;

-- Changes received that this version cannot apply — a newer BVTE's format, or content it
-- cannot read — kept aside so that one change never stops a pull. They are tried again at
-- every sync (after an update, a newer format is understood) and applied in arrival order.
CREATE TABLE held_changes (
    change_id TEXT PRIMARY KEY,
    body      TEXT NOT NULL,
    format    INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    held_at   TEXT NOT NULL
) STRICT;
