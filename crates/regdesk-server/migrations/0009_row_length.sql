-- The length of each row's JSON as a station receives it (what a first
-- sync's progress bar counts in bytes, `regdesk_sync::row_json_len`), kept
-- with the row by the server when it writes it: a new snapshot sums it
-- instead of printing every row of the record as text, which was most of
-- the time a snapshot took to start. Rows already there take the length of
-- their text as PostgreSQL prints it (a few spaces more), until next written.
ALTER TABLE record_rows ADD COLUMN row_len BIGINT NOT NULL DEFAULT 0;
UPDATE record_rows SET row_len = octet_length(row::text);
ALTER TABLE record_snapshot_rows ADD COLUMN row_len BIGINT NOT NULL DEFAULT 0;
