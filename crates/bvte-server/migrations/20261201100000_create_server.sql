-- District server schema, version 1. Append-only: never edit after landing; add a new file.
-- Times are milliseconds since the Unix epoch (UTC).

CREATE TABLE communes (
    code TEXT PRIMARY KEY CHECK (length(code) = 5),
    added_at INTEGER NOT NULL
) STRICT;

-- One-time enrollment codes: only the SHA-256 of the normalised code is kept.
CREATE TABLE enroll_codes (
    code_hash BLOB PRIMARY KEY,
    commune_code TEXT NOT NULL REFERENCES communes(code),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    used_by TEXT
) STRICT;

-- Enrolled devices: only the SHA-256 of the bearer token is kept.
CREATE TABLE devices (
    device_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes(code),
    token_hash BLOB NOT NULL UNIQUE,
    enrolled_at INTEGER NOT NULL,
    last_seen INTEGER,
    acked_seq INTEGER NOT NULL DEFAULT 0,
    revoked_at INTEGER
) STRICT;

-- Counters updated inside the writing transaction, so numbers follow commit order.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO counters (name, value) VALUES ('server_seq', 0);

-- Every change pushed by a device, numbered by the server in commit order.
CREATE TABLE changes (
    server_seq INTEGER PRIMARY KEY,
    change_id TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL REFERENCES devices(device_id),
    seq INTEGER NOT NULL,
    commune_code TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (device_id, seq)
) STRICT;
CREATE INDEX changes_by_commune ON changes (commune_code, server_seq);

-- The commune each known record belongs to (scope checks).
CREATE TABLE entity_scope (
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    commune_code TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
) STRICT, WITHOUT ROWID;
