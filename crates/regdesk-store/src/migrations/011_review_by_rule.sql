-- The office's rules act by themselves (a correction left past its deadline is
-- withdrawn whoever is signed in): such review-history rows name no person.
CREATE TABLE review_log_new (
    id                   TEXT PRIMARY KEY,        -- UUID v7
    case_id              TEXT NOT NULL REFERENCES cases (id),
    command              TEXT NOT NULL,           -- CommandKind code
    staff_id             TEXT REFERENCES staff (id), -- NULL: the office's rules (a deadline passed)
    at                   TEXT NOT NULL,
    reasons              TEXT NOT NULL DEFAULT '[]', -- JSON array (补正理由)
    ground               TEXT,                    -- RefusalGround / RevocationGround code
    note                 TEXT NOT NULL DEFAULT '',
    deadline             TEXT,                    -- 补正期限
    registration_number  TEXT
) STRICT;
INSERT INTO review_log_new SELECT id, case_id, command, staff_id, at, reasons, ground, note, deadline,
    registration_number FROM review_log;
DROP TABLE review_log;
ALTER TABLE review_log_new RENAME TO review_log;
CREATE INDEX review_log_case ON review_log (case_id, at);
CREATE INDEX review_log_staff ON review_log (staff_id, at);
