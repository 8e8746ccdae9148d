-- The audit trail (issue 14). Append-only: never edit this file after it has landed; add a new
-- migration instead.
--
-- Who saw or did what, when: every view of a child's record or a case, every change, print,
-- export, backup, restore, sign-in and failed sign-in. `target` holds record ids only, never a
-- name. Each entry carries the SHA-256 of the one before it and of itself (`hash`), so an entry
-- edited, removed or moved breaks the chain (`bvte audit verify`). The triggers refuse edits
-- and deletions from the app's own SQL; the chain catches the rest.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    origin    TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
