-- Imports of officers' Excel lists (issue 12): each import is one batch, so that it can be listed
-- and undone as a whole. Append-only: never edit this file after it has landed; add a new
-- migration instead.
--
-- Local to this PC: the children an import adds or updates travel to the server as ordinary
-- changes, and an undo as ordinary tombstones (deletion.rs); the batch itself is this PC's
-- bookkeeping of which records came from which file.
CREATE TABLE import_batches (
    id                 TEXT PRIMARY KEY,
    file_name          TEXT NOT NULL,
    imported_at        TEXT NOT NULL,
    author             TEXT NOT NULL,
    encoding           TEXT NOT NULL,
    rows               INTEGER NOT NULL,
    imported           INTEGER NOT NULL,
    updated            INTEGER NOT NULL,
    skipped_duplicates INTEGER NOT NULL,
    rejected           INTEGER NOT NULL,
    undone_at          TEXT,
    undone_by          TEXT
) STRICT;

-- The records a batch added or updated; an undo deletes those it added.
CREATE TABLE import_batch_children (
    batch_id TEXT NOT NULL REFERENCES import_batches (id),
    child_id TEXT NOT NULL,
    action   TEXT NOT NULL CHECK (action IN ('added', 'updated')),
    PRIMARY KEY (batch_id, child_id)
) STRICT;
