-- Registration numbers the central server leased to this station, so a final
-- approval made offline takes its number at once (docs/SYNC.md, "Leased
-- numbers"). Station-local (sync_*): the server keeps its own record of every
-- lease. `held`: unused; `used`: by the approval of `case_id`; `voided`: the
-- server refused that approval (`reason`); `returning`: to be given back
-- unused at the next sync; `returned`: given back.
CREATE TABLE sync_number_leases (
    prefix      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    letter      TEXT NOT NULL,
    serial      INTEGER NOT NULL CHECK (serial > 0),
    state       TEXT NOT NULL CHECK (state IN ('held', 'used', 'voided', 'returning', 'returned')),
    case_id     TEXT,
    reason      TEXT,
    leased_at   TEXT NOT NULL,
    changed_at  TEXT,
    PRIMARY KEY (prefix, year, letter, serial)
) STRICT;
