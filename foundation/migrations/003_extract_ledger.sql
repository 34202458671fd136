-- Extract bookkeeping: every load accounts for each row it read, and says why it failed.
-- rows_read = rows_landed + rows_skipped + rows_rejected (rows_skipped: re-read rows whose latest
-- landed version is identical — inclusive cursor boundary, look-back, full mode).
ALTER TABLE meta.loads ADD COLUMN rows_read BIGINT;
ALTER TABLE meta.loads ADD COLUMN rows_skipped BIGINT;
ALTER TABLE meta.loads ADD COLUMN rows_tombstoned BIGINT;     -- deleted keys landed as _deleted rows
ALTER TABLE meta.loads ADD COLUMN cursor_from VARCHAR;        -- cursor value the read started at (inclusive)
ALTER TABLE meta.loads ADD COLUMN cursor_to VARCHAR;          -- cursor value stored when the load committed
ALTER TABLE meta.loads ADD COLUMN error VARCHAR;
