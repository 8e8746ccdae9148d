-- District server schema on PostgreSQL, version 1: the same tables as the SQLite schema.
-- Append-only: never edit after landing; add a new file. Applied by a build that checks
-- `schema_version` first and refuses a database from a newer build.
-- Times are milliseconds since the Unix epoch (UTC).

-- One row: how many migration files have been applied.
CREATE TABLE schema_version (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    version BIGINT NOT NULL
);
INSERT INTO schema_version (version) VALUES (0);

CREATE TABLE communes (
    code TEXT PRIMARY KEY CHECK (length(code) = 5),
    added_at BIGINT NOT NULL
);

-- One-time enrollment codes: only the SHA-256 of the normalised code is kept.
CREATE TABLE enroll_codes (
    code_hash BYTEA PRIMARY KEY,
    commune_code TEXT NOT NULL REFERENCES communes (code),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by UUID
);

-- Enrolled devices: only the SHA-256 of the bearer token is kept.
CREATE TABLE devices (
    device_id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code),
    token_hash BYTEA NOT NULL UNIQUE,
    enrolled_at BIGINT NOT NULL,
    last_seen BIGINT,
    acked_seq BIGINT NOT NULL DEFAULT 0,
    revoked_at BIGINT
);

-- Counters updated inside the writing transaction: the row lock serialises pushes, so numbers
-- follow commit order and a pull never skips a change that commits late.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('server_seq', 0);

-- Every change pushed by a device, numbered by the server in commit order.
CREATE TABLE changes (
    server_seq BIGINT PRIMARY KEY,
    change_id UUID NOT NULL UNIQUE,
    device_id UUID NOT NULL REFERENCES devices (device_id),
    seq BIGINT NOT NULL,
    commune_code TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id UUID NOT NULL,
    received_at BIGINT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (device_id, seq)
);
CREATE INDEX changes_by_commune ON changes (commune_code, server_seq);

-- The commune each known record belongs to (scope checks).
CREATE TABLE entity_scope (
    entity TEXT NOT NULL,
    entity_id UUID NOT NULL,
    commune_code TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
);
