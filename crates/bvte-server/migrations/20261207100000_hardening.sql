-- Hardening (issue 10). Append-only: never edit after landing; add a new file.

-- Facts about this server's database: `server_id`, written once (by the server when it first
-- opens a database without one) and sent in every answer, so a device can tell a server
-- initialised again from the one it enrolled with.
CREATE TABLE server_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- A change refused on its own (another commune's record, a child that moved away, content a
-- device of this version could not apply): its row keeps the device's sequence number (so the
-- device's later changes are stored) and what the device was told, as JSON; `commune_code` is
-- '' so that no commune ever receives it.
ALTER TABLE changes ADD COLUMN refusal TEXT;

-- The officer named when the device enrolled: the author the server writes on every change the
-- device sends (a device cannot sign a change with somebody else's name).
ALTER TABLE devices ADD COLUMN officer TEXT NOT NULL DEFAULT '';
