-- Hardening (issue 10): the same changes as the SQLite file of the same name. Append-only:
-- never edit after landing; add a new file.

-- Facts about this server's database: `server_id`, sent in every answer.
CREATE TABLE server_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A change refused on its own keeps the device's sequence number; what the device was told,
-- as JSON; `commune_code` is '' so that no commune ever receives it.
ALTER TABLE changes ADD COLUMN refusal TEXT;

-- The officer named when the device enrolled: the author written on the device's changes.
ALTER TABLE devices ADD COLUMN officer TEXT NOT NULL DEFAULT '';
