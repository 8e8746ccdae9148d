-- A child moving to another commune (design §5, scope changes). Append-only: never edit after
-- landing; add a new file.

-- The record's parent (a case's child, a step's case), so a child's cases and their steps can
-- move with it. Filled for records stored before this version from their first change.
ALTER TABLE entity_scope ADD COLUMN parent_id TEXT;
UPDATE entity_scope SET parent_id = (
    SELECT json_extract(c.body, CASE entity_scope.entity WHEN 'case' THEN '$.fields.child_id'
                                                         ELSE '$.fields.case_id' END)
    FROM changes c
    WHERE c.entity = entity_scope.entity AND c.entity_id = entity_scope.entity_id
    ORDER BY c.server_seq LIMIT 1)
WHERE entity IN ('case', 'case_event');
CREATE INDEX entity_scope_by_parent ON entity_scope (parent_id, entity) WHERE parent_id IS NOT NULL;

-- The communes a record moved away from (comma-separated, oldest first): their devices may
-- still send the edits they made before they learned of the move (nothing is lost), but no
-- longer receive the record's changes. Read with the commune in the same probe on every push.
ALTER TABLE entity_scope ADD COLUMN former TEXT NOT NULL DEFAULT '';

-- Changes published again to the commune a record moved to: its whole history, so the
-- receiving commune's devices get the full record and not only what follows the move. `pos`
-- is taken from the same counter as `changes.server_seq`, so one pull cursor covers both.
CREATE TABLE copies (
    pos INTEGER PRIMARY KEY,
    commune_code TEXT NOT NULL,
    server_seq INTEGER NOT NULL REFERENCES changes (server_seq)
) STRICT;
CREATE INDEX copies_by_commune ON copies (commune_code, pos);
