-- Each station's audit chain head as its pushes arrive: the record kept off
-- the workstation that shows a journal cut short or rewritten on it. The first
-- hash recorded at a place is kept (a later, different one is itself evidence).
CREATE TABLE station_chain (
    station_id   TEXT NOT NULL REFERENCES stations (id),
    seq          BIGINT NOT NULL CHECK (seq > 0),
    entry_hash   TEXT NOT NULL CHECK (entry_hash ~ '^[0-9a-f]{64}$'),
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (station_id, seq)
);
