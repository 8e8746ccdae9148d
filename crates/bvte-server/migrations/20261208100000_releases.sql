-- App releases the area server hands out to its devices (issue 13, "Updates that reach offline
-- communes"). Append-only: never edit after landing; add a new file.

-- One signed package of the commune app, added with `bvte-server release add`. The package
-- itself is a file in the data folder (`releases/<file>`); this row is its manifest
-- (`bvte_update::Manifest`). `file` is the name the Tauri bundler gave it, which carries the
-- version and the kind of PC (`target`, e.g. `deb-amd64`); the newest release of a target is
-- chosen by version order in Rust (`crate::releases`), not by text order here. `notes` are the
-- release notes in Vietnamese (never a child's or an officer's name); `released_on` is a
-- calendar day `yyyy-mm-dd`; `signature` is the `.sig` file's text as `tauri signer sign`
-- wrote it, checked against the release key before the row was written.
CREATE TABLE releases (
    file TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    target TEXT NOT NULL,
    notes TEXT NOT NULL,
    released_on TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL,
    signature TEXT NOT NULL,
    added_at INTEGER NOT NULL
) STRICT;
CREATE INDEX releases_by_target ON releases (target);
