-- The current state of every record (issue 11). Append-only: never edit after landing; add a new
-- file.

-- Each child, case and case step as the merge of its changes (`bvte_protocol::record`), updated
-- in the transaction that stores a change; its commune is its row in `entity_scope`. `deleted`:
-- a deletion saw every edit of the record (a child with a case still counts). Filled from the
-- change log by the server when this file is applied (`storage/postgres/records.rs`).
CREATE TABLE records (
    entity TEXT NOT NULL,
    entity_id UUID NOT NULL,
    state TEXT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (entity, entity_id)
);

-- The area's name (`bvte-server init --area`, `bvte-server area`) is kept in `server_meta`
-- under `area_name`.
