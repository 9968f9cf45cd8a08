-- The office tree (机构树): subordinate offices whose cases a supervisor sees.
-- An admin keeps the tree; their cases arrive by sync, marked with their office.
CREATE TABLE office_tree (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    parent_code  TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    added_by     TEXT NOT NULL REFERENCES staff (id)
) STRICT;

-- NULL: a case of this office; otherwise the subordinate office it belongs to.
ALTER TABLE cases ADD COLUMN office_code TEXT;
CREATE INDEX cases_office ON cases (office_code, state);
