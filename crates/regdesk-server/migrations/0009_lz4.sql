-- The record's JSON columns are compressed with lz4 instead of pglz where
-- this PostgreSQL has it (Debian's does): a case row is about 2 kB of JSON,
-- just past the size where PostgreSQL compresses it, and pglz's compression
-- and decompression were an eighth of PostgreSQL's CPU time in a push. The
-- values are the same; only values written from now on are stored with lz4
-- (older ones stay readable as they are). A PostgreSQL built without lz4
-- keeps pglz.
DO $$
BEGIN
    ALTER TABLE record_rows ALTER COLUMN row SET COMPRESSION lz4;
    ALTER TABLE record_snapshot_rows ALTER COLUMN row SET COMPRESSION lz4;
    ALTER TABLE record_entries ALTER COLUMN payload SET COMPRESSION lz4;
    ALTER TABLE record_entries ALTER COLUMN effects SET COMPRESSION lz4;
    ALTER TABLE record_entries ALTER COLUMN effect_offices SET COMPRESSION lz4;
    ALTER TABLE record_verdicts ALTER COLUMN verdict SET COMPRESSION lz4;
    ALTER TABLE adopted_history ALTER COLUMN payload SET COMPRESSION lz4;
    ALTER TABLE adopted_history ALTER COLUMN effects SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END
$$;
