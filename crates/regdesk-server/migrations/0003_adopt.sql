-- A stand-alone workstation's office taken up whole (`regdesk-server adopt`):
-- which station it was and where its record begins, and that station's
-- journal as it stood, kept as the office's history from before the server.

-- The adopted workstation. Its rows came to the record as the accepted entry
-- `office_seq`, so its pulls begin after that entry; its journal entries up
-- to `station_seq` are the office's history, and its next entry pushed is
-- `station_seq + 1` (record_station_progress). It enrols like any station,
-- with the code `adopt` printed.
CREATE TABLE adoptions (
    station_id    TEXT PRIMARY KEY,
    office_id     TEXT NOT NULL REFERENCES office (id),
    station_name  TEXT NOT NULL,
    office_seq    BIGINT NOT NULL,
    station_seq   BIGINT NOT NULL,
    adopted_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    adopted_by    TEXT NOT NULL
);

-- The adopted workstation's journal entries, as it recorded them (the
-- person, the time, the command and its input, its effect on the rows where
-- recorded). Read only: the rows they made are in record_rows.
CREATE TABLE adopted_history (
    id              UUID PRIMARY KEY,
    station_id      TEXT NOT NULL REFERENCES adoptions (station_id),
    station_seq     BIGINT NOT NULL,
    staff_id        TEXT,
    at              TIMESTAMPTZ NOT NULL,
    command         TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    entity_version  BIGINT NOT NULL,
    payload         JSONB NOT NULL,
    payload_format  BIGINT NOT NULL,
    effects         JSONB NOT NULL,
    UNIQUE (station_id, station_seq)
);
