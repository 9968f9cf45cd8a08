-- The length of each row's JSON text, kept with the row (PostgreSQL computes
-- it when the row is written): a new snapshot sums it for the first sync's
-- progress bar instead of printing every row of the record as text, which
-- was most of the time a snapshot took to start. Adding it computes it for
-- the rows already there (the table is rewritten once).
ALTER TABLE record_rows
    ADD COLUMN row_len BIGINT GENERATED ALWAYS AS (octet_length(row::text)) STORED;
ALTER TABLE record_snapshot_rows ADD COLUMN row_len BIGINT NOT NULL DEFAULT 0;
