-- How the record's rows and entries are stored. Every accepted entry writes
-- its effects (the rows it leaves, as JSON) into `record_entries` and each of
-- those rows into `record_rows`, while the office's cursor is locked:
-- compressing those values and moving them out to the TOAST table was about a
-- third of the time an entry's writes took.
--
-- A row or entry up to a heap page (8160 bytes) is kept in the table as it
-- is, not compressed and not moved out to the TOAST table (PostgreSQL starts
-- at about 2 KB, and a case's row is about 2 KB of JSON); a larger one is
-- compressed with LZ4, which is several times faster than the default pglz.
-- The record takes more disk for it (docs/DEPLOY.md, sizing).
ALTER TABLE record_rows SET (toast_tuple_target = 8160);
ALTER TABLE record_entries SET (toast_tuple_target = 8160);

-- A PostgreSQL built without LZ4 keeps pglz for the large ones.
DO $$
BEGIN
    ALTER TABLE record_rows ALTER COLUMN row SET COMPRESSION lz4;
    ALTER TABLE record_entries ALTER COLUMN effects SET COMPRESSION lz4;
    ALTER TABLE record_entries ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'LZ4 is not available: large rows stay compressed with pglz';
END
$$;
