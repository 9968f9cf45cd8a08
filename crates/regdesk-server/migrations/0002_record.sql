-- The office's record: accepted journal entries in one total order per office,
-- a verdict per entry id (idempotent pushes), the office's current rows, and
-- the cursor row whose lock gives each accepted entry its place.

-- The next office_seq is taken under a row lock on this row, in the accepting
-- transaction: entries become visible to pulls in the order of their seq.
CREATE TABLE record_cursor (
    office_id  TEXT PRIMARY KEY,
    last_seq   BIGINT NOT NULL CHECK (last_seq >= 0)
);

CREATE TABLE record_entries (
    id              UUID PRIMARY KEY,
    office_id       TEXT NOT NULL,
    office_seq      BIGINT NOT NULL CHECK (office_seq > 0),
    station_id      TEXT NOT NULL,
    station_seq     BIGINT NOT NULL,
    staff_id        TEXT,
    at              TIMESTAMPTZ NOT NULL,
    command         TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    entity_version  BIGINT NOT NULL,
    payload         JSONB NOT NULL,
    payload_format  BIGINT NOT NULL,
    effects         JSONB NOT NULL,          -- Vec<RowEffect>, with what the server added
    blobs           JSONB NOT NULL DEFAULT '[]',
    accepted_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (office_id, office_seq)
);

-- Every decided entry (accepted or rejected for good), so a repeated push gets the same answer.
CREATE TABLE record_verdicts (
    id           UUID PRIMARY KEY,
    station_id   TEXT NOT NULL,
    station_seq  BIGINT NOT NULL,
    verdict      JSONB NOT NULL,             -- protocol::Verdict
    decided_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (station_id, station_seq)
);

-- Per station: the last station_seq decided (no gaps: an entry after a gap waits).
CREATE TABLE record_station_progress (
    station_id   TEXT PRIMARY KEY,
    last_seq     BIGINT NOT NULL
);

-- The office's current rows, as the accepted entries left them.
CREATE TABLE record_rows (
    tbl         TEXT NOT NULL,
    key         TEXT NOT NULL,
    row         JSONB NOT NULL,              -- Vec<Column>, in table column order
    digest      TEXT NOT NULL,               -- regdesk_sync::row_digest
    office_seq  BIGINT NOT NULL,             -- the entry that last wrote it
    PRIMARY KEY (tbl, key)
);
-- Four-eyes looks up a case's review history and a transfer by their columns.
CREATE INDEX record_rows_columns ON record_rows USING gin (row jsonb_path_ops)
    WHERE tbl IN ('review_log', 'registration_numbers');

-- The columns of each shared table as the record knows them (from the first row it kept).
CREATE TABLE record_tables (
    tbl      TEXT PRIMARY KEY,
    columns  JSONB NOT NULL                  -- ["id", "serial", …]
);

-- Snapshots for a station's first sync: the record's rows copied at one cursor
-- (in one REPEATABLE READ transaction), served in pages by (tbl, key) and
-- resumable from any instance. Unlogged: a crash loses only snapshots under
-- way, and the station starts its first sync again. Kept 24 hours.
CREATE TABLE record_snapshots (
    id           UUID PRIMARY KEY,
    office_id    TEXT NOT NULL,
    cursor       BIGINT NOT NULL,
    total_rows   BIGINT NOT NULL,
    total_bytes  BIGINT NOT NULL,
    made_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNLOGGED TABLE record_snapshot_rows (
    snapshot_id  UUID NOT NULL,
    tbl          TEXT COLLATE "C" NOT NULL,
    key          TEXT COLLATE "C" NOT NULL,
    row          JSONB NOT NULL,
    PRIMARY KEY (snapshot_id, tbl, key)
);
