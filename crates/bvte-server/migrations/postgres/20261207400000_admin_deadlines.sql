-- The dashboard's administration pages and the reporting deadline (issue 11): the twin of
-- `../20261207400000_admin_deadlines.sql`. Append-only: never edit after landing; add a new
-- file.

-- An enrollment code withdrawn by an administrator before it was used (`/admin/codes`). A
-- withdrawn code also has its `expires_at` set to the time it was withdrawn, so the enroll rule
-- (`storage::check_enroll_code`) refuses it as expired without a second mechanism.
ALTER TABLE enroll_codes ADD COLUMN revoked_at BIGINT;

-- When the device last finished a sync: its last pull that reached the end of its commune's
-- changes (`more` false). The app pulls only after it has pushed everything it had, so by then
-- the server held every record the device had when the sync began. `last_seen` (any request,
-- enrollment included) says the device was there; `last_sync` says its data arrived. The
-- reporting deadline's coverage is counted from it (`src/reporting.rs`).
ALTER TABLE devices ADD COLUMN last_sync BIGINT;
-- Devices that synced before this version: their last request stands in for their last sync
-- (an approximation, replaced at their next sync), so that no commune shows "never synced".
UPDATE devices SET last_sync = last_seen WHERE acked_seq > 0;

-- A reporting period and the day its reports are due, set by a supervisor or an administrator
-- on the overview. The overview shows the latest one (highest `id`); older ones are kept as a
-- history. Dates are calendar days in Vietnam, `yyyy-mm-dd`; `set_by` is the dashboard
-- account that set it (never a child's or a reporter's name).
CREATE TABLE reporting_deadlines (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    due_on TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at BIGINT NOT NULL,
    CHECK (period_from <= period_to)
);
