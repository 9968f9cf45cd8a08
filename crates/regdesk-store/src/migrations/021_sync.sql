-- Sync with the central server (issue 10): the journal becomes a real outbox,
-- and the station keeps its enrolment, its sync bookkeeping and its 需处理
-- inbox. Every table here is named sync_*: station-local, never shipped.

-- What another station needs to apply an entry: each touched row of a shared
-- table (its digest before, its columns after), JSON of regdesk_sync's
-- Vec<RowEffect>. NULL for entries made before this migration.
ALTER TABLE journal ADD COLUMN effects TEXT;
-- The entry's place in the office's order once the server accepted it (an
-- entry of this station) or when it was applied from a pull.
ALTER TABLE journal ADD COLUMN office_seq INTEGER;
-- For an entry that applied a pulled one: the pulled entry's id (its journal
-- id at the station that made it).
ALTER TABLE journal ADD COLUMN origin_id TEXT;
ALTER TABLE journal ADD COLUMN origin_station TEXT;
CREATE UNIQUE INDEX journal_origin ON journal (origin_id) WHERE origin_id IS NOT NULL;

-- The server this station is enrolled with (none: it works alone).
CREATE TABLE sync_enrolment (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    server_url      TEXT NOT NULL,
    station_name    TEXT NOT NULL,
    office_id       TEXT NOT NULL,
    office_code     TEXT NOT NULL,
    office_name     TEXT NOT NULL,
    ca_der          BLOB NOT NULL,
    ca_fingerprint  TEXT NOT NULL,
    credential      TEXT NOT NULL,
    enrolled_at     TEXT NOT NULL,
    -- Entries up to this sequence number were made before enrolment: never pushed.
    since_seq       INTEGER NOT NULL
) STRICT;

-- The sync loop's own notes: the pull cursor, how the last round ended, and a
-- first sync's snapshot in progress. Not audited (like integrity_checks):
-- it changes every round and holds no office state.
CREATE TABLE sync_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    cursor           INTEGER NOT NULL DEFAULT 0,
    last_success     TEXT,
    last_attempt     TEXT,
    last_error       TEXT,
    last_outcome     TEXT,                 -- JSON SyncOutcome
    snapshot_id      TEXT,                 -- a first sync under way
    snapshot_after   TEXT,                 -- JSON [table, key] of the last row applied
    snapshot_rows    INTEGER NOT NULL DEFAULT 0,
    snapshot_total   INTEGER NOT NULL DEFAULT 0,
    snapshot_bytes   INTEGER NOT NULL DEFAULT 0,
    snapshot_total_bytes INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

-- 需处理: entries the server rejected, with everything the person entered.
CREATE TABLE sync_inbox (
    entry_id      TEXT PRIMARY KEY,        -- the rejected journal entry
    entry         TEXT NOT NULL,           -- JSON regdesk_sync Entry, all of it
    code          TEXT NOT NULL,           -- RejectCode
    reason        TEXT NOT NULL,           -- the server's reason, Chinese
    current       TEXT NOT NULL,           -- JSON Vec<RowEffect>: the server's rows
    received_at   TEXT NOT NULL,
    closed_at     TEXT,                    -- discarded (放弃) or redone (重做)
    closed_by     TEXT REFERENCES staff (id),
    outcome       TEXT CHECK (outcome IN ('discarded', 'redone'))
) STRICT;
CREATE INDEX sync_inbox_open ON sync_inbox (received_at) WHERE closed_at IS NULL;
