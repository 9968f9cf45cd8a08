-- Cases as the queues list them (the counter desk fills in the filing's detail later),
-- and the working-day calendar years an admin has loaded beyond the built-in ones.

CREATE TABLE cases (
    id                   TEXT PRIMARY KEY,          -- UUID v7
    serial               TEXT NOT NULL UNIQUE,      -- 流水号
    title                TEXT NOT NULL,             -- 作品名称
    category             TEXT NOT NULL,             -- WorkCategory code
    state                TEXT NOT NULL,             -- CaseState code
    applicant_name       TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    accepted_on          TEXT,                      -- the day the 30-working-day clock started
    due_on               TEXT,
    registration_number  TEXT UNIQUE,
    version              INTEGER NOT NULL,
    updated_at           TEXT NOT NULL
) STRICT;
CREATE INDEX cases_state ON cases (state, due_on, created_at);

CREATE TABLE calendar_years (
    year       INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,                       -- the file as loaded
    version    INTEGER NOT NULL,
    loaded_at  TEXT NOT NULL,
    loaded_by  TEXT NOT NULL REFERENCES staff (id)
) STRICT;
