-- Accounts (issue 14): each audit entry names the account signed in, beside the officer who
-- authors the writes. Append-only: never edit this file after it has landed.
--
-- Entries made before accounts keep an empty account; the chain's hash covers the account only
-- when it is not empty, so those entries verify as they did.
ALTER TABLE audit_log ADD COLUMN account TEXT NOT NULL DEFAULT '';
