-- The area dashboard's accounts and sign-in sessions (issue 11). Append-only: never edit after
-- landing; add a new file.

-- A supervisor or an administrator of the area (`bvte-server user add`). `password_hash`: an
-- Argon2id PHC string. `failures`, `failures_since`, `locked_until` (ms): the lock-out after
-- repeated wrong passwords (`src/accounts.rs`).
CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('supervisor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0,
    failures_since BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_sign_in BIGINT
);

-- A signed-in browser: the SHA-256 of its 32-byte cookie (never the cookie itself), its form
-- token, when it began and when it was last used (idle and absolute expiry).
CREATE TABLE web_sessions (
    token_hash BYTEA PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);

CREATE INDEX web_sessions_user ON web_sessions (user_name);
