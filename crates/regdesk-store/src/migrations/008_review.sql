-- Review (初审、终审、补正、不予登记、撤销登记) and the registration-number ledger.

-- 登记号计数器: the last serial given per prefix/year/category letter. Bumped in the
-- same transaction that stores the approval, so a rolled-back approval uses no number.
CREATE TABLE registration_counters (
    prefix  TEXT NOT NULL,                        -- 如 浙作登字
    year    INTEGER NOT NULL,
    letter  TEXT NOT NULL,                        -- 类别字母，如 F
    last    INTEGER NOT NULL CHECK (last >= 0),
    PRIMARY KEY (prefix, year, letter)
) STRICT;

-- 登记号台账: every number ever given, never deleted and never given again.
-- used: issued on final approval; voided: withdrawn with a reason before use;
-- revoked: the registration was revoked (撤销登记), the number stays here.
CREATE TABLE registration_numbers (
    number      TEXT PRIMARY KEY,                 -- 浙作登字-2026-F-00000001
    prefix      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    letter      TEXT NOT NULL,
    serial      INTEGER NOT NULL CHECK (serial > 0),
    case_id     TEXT REFERENCES cases (id),
    state       TEXT NOT NULL CHECK (state IN ('used', 'voided', 'revoked')),
    issued_at   TEXT NOT NULL,
    issued_by   TEXT NOT NULL REFERENCES staff (id),
    changed_at  TEXT,                             -- when voided or revoked
    changed_by  TEXT REFERENCES staff (id),
    reason      TEXT,                             -- why voided or revoked
    UNIQUE (prefix, year, letter, serial)
) STRICT;
CREATE INDEX registration_numbers_case ON registration_numbers (case_id);

-- 审查记录: who decided what on a case, with the reasons shown to the counter.
CREATE TABLE review_log (
    id                   TEXT PRIMARY KEY,        -- UUID v7
    case_id              TEXT NOT NULL REFERENCES cases (id),
    command              TEXT NOT NULL,           -- CommandKind code
    staff_id             TEXT NOT NULL REFERENCES staff (id),
    at                   TEXT NOT NULL,
    reasons              TEXT NOT NULL DEFAULT '[]', -- JSON array (补正理由)
    ground               TEXT,                    -- RefusalGround / RevocationGround code
    note                 TEXT NOT NULL DEFAULT '',
    deadline             TEXT,                    -- 补正期限
    registration_number  TEXT
) STRICT;
CREATE INDEX review_log_case ON review_log (case_id, at);
CREATE INDEX review_log_staff ON review_log (staff_id, at);
