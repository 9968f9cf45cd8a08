-- 历史登记: registrations the office issued on its old platform, loaded by an
-- admin from the old register's export. Read-only: each number is also in the
-- registration-number ledger (case_id NULL), so it is never given again and a
-- revocation marks it there; the counters continue after the highest one.
CREATE TABLE historic_registrations (
    number         TEXT PRIMARY KEY REFERENCES registration_numbers (number),
    registered_on  TEXT NOT NULL,                 -- 登记日期
    title          TEXT NOT NULL,
    category       TEXT NOT NULL,                 -- WorkCategory code
    owners         TEXT NOT NULL,                 -- JSON array of names
    authors        TEXT NOT NULL DEFAULT '[]',    -- JSON array of names
    completed_on   TEXT,                          -- 2024年3月 (a partial date as written)
    published_on   TEXT,
    search_text    TEXT NOT NULL,                 -- number, title and names, for the search
    imported_at    TEXT NOT NULL,
    imported_by    TEXT NOT NULL REFERENCES staff (id)
) STRICT;
CREATE INDEX historic_registrations_title ON historic_registrations (title);
