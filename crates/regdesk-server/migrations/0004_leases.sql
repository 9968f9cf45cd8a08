-- Registration numbers leased to stations, so a final approval made offline
-- takes its number at once (docs/SYNC.md, "Leased numbers").

-- Per prefix/year/letter: the highest serial ever handed out, to a lease or
-- to an approval numbered by the record itself. Locked (FOR UPDATE) by every
-- taking of a serial, so a serial is handed out once. The next new serial is
-- one above this and above the record's `registration_counters` row.
CREATE TABLE number_series (
    prefix  TEXT NOT NULL,
    year    INTEGER NOT NULL,
    letter  TEXT NOT NULL,
    high    BIGINT NOT NULL CHECK (high >= 0),
    PRIMARY KEY (prefix, year, letter)
);

-- Every serial ever leased, with its fate: `leased` (held by `station_id`,
-- unused), `used` (by the approval `entry_id` of `case_id`), `voided` (the
-- record refused the approval that used it: `reason`), `returned` (given back
-- unused; the next lease of the series takes returned serials first, lowest
-- first, so the series stays dense). A returned serial leased again goes back
-- to `leased` under its new holder, and `times_leased` counts its leases.
CREATE TABLE number_leases (
    prefix        TEXT NOT NULL,
    year          INTEGER NOT NULL,
    letter        TEXT NOT NULL,
    serial        BIGINT NOT NULL CHECK (serial > 0),
    station_id    TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('leased', 'used', 'voided', 'returned')),
    case_id       TEXT,
    entry_id      UUID,
    reason        TEXT,
    times_leased  INTEGER NOT NULL DEFAULT 1,
    leased_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    changed_at    TIMESTAMPTZ,
    PRIMARY KEY (prefix, year, letter, serial),
    FOREIGN KEY (prefix, year, letter) REFERENCES number_series (prefix, year, letter)
);
CREATE INDEX number_leases_holder ON number_leases (station_id, state);
CREATE INDEX number_leases_returned ON number_leases (prefix, year, letter, serial) WHERE state = 'returned';
