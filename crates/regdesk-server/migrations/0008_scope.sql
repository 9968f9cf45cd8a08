-- Office tree scope (docs/SYNC.md, "Scope"): each station belongs to one
-- office of the tree; it pulls the cases of its office and of the offices
-- under it, and pushes changes only to its own office's cases.

-- The office a station belongs to (and the code made for it): NULL is the
-- top office (the record's `office` row), else a code of the `office_tree`.
ALTER TABLE stations ADD COLUMN office_code TEXT;
ALTER TABLE enrolment_codes ADD COLUMN office_code TEXT;

-- The case a row of the record belongs to: a `cases` row its own id, a row
-- with a `case_id` column that case; NULL: a row every station holds
-- (staff, settings, calendar, office tree, applicants, files, transfers, …).
ALTER TABLE record_rows ADD COLUMN case_id TEXT;
UPDATE record_rows r SET case_id = (
    SELECT c -> 'value' ->> 'T' FROM jsonb_array_elements(r.row) c
     WHERE c ->> 'name' = CASE WHEN r.tbl = 'cases' THEN 'id' ELSE 'case_id' END
     LIMIT 1);
CREATE INDEX record_rows_case ON record_rows (case_id) WHERE case_id IS NOT NULL;

-- Each case's office as the record holds it: its `office_code`, '' for the
-- top office's own cases.
CREATE TABLE record_case_office (
    case_id  TEXT PRIMARY KEY,
    office   TEXT NOT NULL
);
INSERT INTO record_case_office (case_id, office)
SELECT r.case_id, COALESCE((SELECT c -> 'value' ->> 'T' FROM jsonb_array_elements(r.row) c
                             WHERE c ->> 'name' = 'office_code' LIMIT 1), '')
  FROM record_rows r WHERE r.tbl = 'cases' AND r.case_id IS NOT NULL;
CREATE INDEX record_case_office_office ON record_case_office (office);

-- Which offices each accepted entry touches, decided when it was accepted:
-- `offices` the offices of the cases its effects belong to (before and after
-- the entry), `everyone` whether it has an effect on a row every station
-- holds (or none at all), `effect_offices` the offices of each effect in
-- order (`[]`: every station's). Entries accepted before scope existed
-- reach every station.
ALTER TABLE record_entries ADD COLUMN offices TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE record_entries ADD COLUMN everyone BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE record_entries ADD COLUMN effect_offices JSONB;

-- A snapshot is read only by the station that started it (its scope).
ALTER TABLE record_snapshots ADD COLUMN station_id TEXT;
