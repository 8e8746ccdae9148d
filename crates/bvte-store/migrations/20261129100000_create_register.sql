-- The register: installation settings, children, cases, case steps, the change log.
-- Append-only: never edit this file after it has landed; add a new migration instead.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row per child. `data` is the full record (bvte_domain::child::ChildData as JSON); the
-- other columns are copies of its fields, kept in the same write, for filtering and sorting.
CREATE TABLE children (
    id               TEXT PRIMARY KEY,
    full_name        TEXT NOT NULL,
    sort_key         TEXT NOT NULL,
    birth_date       TEXT,
    sex              TEXT NOT NULL,
    residence_status TEXT NOT NULL,
    commune_code     TEXT NOT NULL,
    village          TEXT NOT NULL,
    folded_village   TEXT NOT NULL,
    personal_id      TEXT,
    folded_name      TEXT NOT NULL,
    search_text      TEXT NOT NULL,
    at_risk          INTEGER NOT NULL,
    disabled         INTEGER NOT NULL,
    orphan           INTEGER NOT NULL,
    data             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
-- Name order, with the folded words beside it: a broad search scans this index alone and
-- reads the full row only for the children it shows.
CREATE INDEX children_sort ON children (sort_key, search_text);
CREATE INDEX children_personal_id ON children (personal_id) WHERE personal_id IS NOT NULL;
CREATE INDEX children_name_birth ON children (folded_name, birth_date);

-- Special-circumstance memberships, rewritten with their child.
CREATE TABLE child_groups (
    child_id TEXT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    grp      TEXT NOT NULL,
    subgroup INTEGER,
    since    TEXT,
    until    TEXT
) STRICT;
CREATE INDEX child_groups_grp ON child_groups (grp, child_id);
CREATE INDEX child_groups_child ON child_groups (child_id);

-- Search index over folded names (child and carers), village and personal id. Folding (lower
-- case, no diacritics, đ → d) is done in Rust before insert and query. `children.search_text`
-- holds the same folded words, for scanning in name order when a query matches many children.
CREATE VIRTUAL TABLE children_fts USING fts5 (
    names, village, personal_id,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TABLE cases (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES children (id),
    received_at TEXT NOT NULL,
    category    TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX cases_child ON cases (child_id);

-- The person who reported, kept apart from the case so it never leaks into lists or exports.
CREATE TABLE case_reporters (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    data    TEXT NOT NULL
) STRICT;

-- Case steps: append-only.
CREATE TABLE case_events (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    author      TEXT NOT NULL,
    step        TEXT NOT NULL,
    data        TEXT NOT NULL
) STRICT;
CREATE INDEX case_events_case ON case_events (case_id, occurred_at);

CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case steps are append-only');
END;
CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case steps are append-only');
END;

-- Every write, in the transaction of the write: the sync outbox and the UI's change feed.
CREATE TABLE change_log (
    local_seq   INTEGER PRIMARY KEY,
    change_id   TEXT NOT NULL UNIQUE,
    device_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    hlc         TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    fields      TEXT NOT NULL,
    base_hlc    TEXT NOT NULL,
    origin      TEXT NOT NULL,
    author      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (device_id, seq)
) STRICT;
CREATE INDEX change_log_entity ON change_log (entity, entity_id);
