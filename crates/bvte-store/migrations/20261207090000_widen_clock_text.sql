-- Clock stamps (hybrid logical clock) as fixed-width text, so that text order is clock order
-- (issue 10, item 7; bvte-protocol's hlc.rs says why). Append-only: never edit this file after
-- it has landed; add a new migration instead.
--
-- Earlier versions wrote the counter in 4 hex digits or more (`0001764387000000-ffff`, then
-- `0001764387000000-10000`), so past 65,535 changes in one millisecond `ORDER BY hlc`, `MAX(hlc)`
-- and `hlc <= ?` disagreed with the clock. Every stored stamp gets its counter zero-padded to 8
-- digits, all of a u32: the value is unchanged, only its text, so this PC needs no agreement with
-- the server or the other PCs. Stamps inside JSON (`change_log.base_hlc`) are always read by
-- parsing, never compared as text, and keep the form they were written in, as the server keeps
-- the changes it stored earlier. Text of any other form is left as it is.

UPDATE change_log
SET hlc = substr(hlc, 1, 17) || substr('0000', 1, 25 - length(hlc)) || substr(hlc, 18)
WHERE length(hlc) BETWEEN 21 AND 24 AND substr(hlc, 17, 1) = '-';

UPDATE conflicts
SET kept_hlc = substr(kept_hlc, 1, 17) || substr('0000', 1, 25 - length(kept_hlc))
               || substr(kept_hlc, 18)
WHERE length(kept_hlc) BETWEEN 21 AND 24 AND substr(kept_hlc, 17, 1) = '-';

UPDATE conflicts
SET other_hlc = substr(other_hlc, 1, 17) || substr('0000', 1, 25 - length(other_hlc))
                || substr(other_hlc, 18)
WHERE length(other_hlc) BETWEEN 21 AND 24 AND substr(other_hlc, 17, 1) = '-';

-- The clock itself (the last stamp given or seen).
UPDATE meta
SET value = substr(value, 1, 17) || substr('0000', 1, 25 - length(value)) || substr(value, 18)
WHERE key = 'hlc' AND length(value) BETWEEN 21 AND 24 AND substr(value, 17, 1) = '-';
