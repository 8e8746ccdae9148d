-- Children whose record an officer deleted (most often a child entered twice), design §5
-- tombstones. Append-only: never edit this file after it has landed; add a new migration instead.
--
-- The row moves here whole and leaves the register, its search index and its groups, so every
-- list, count and report leaves it out without a filter. Nothing is destroyed: an edit made on
-- another device without knowing of the deletion, a case opened for the child elsewhere, or an
-- officer's undo brings it back. Whether a record is deleted is derived from the change log
-- (`deletion.rs`), so every device reaches the same answer in any order of arrival.
CREATE TABLE deleted_children (
    id         TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    deleted_by TEXT NOT NULL,
    reason     TEXT NOT NULL
) STRICT;
