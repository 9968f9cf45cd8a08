-- The payments desk (缴费与核款): offline transfers and their allocation to
-- cases, applicant balances, bank-statement imports, refunds and e-invoices.

-- What a case owes, fixed when it enters 待缴费, and since when it waits.
ALTER TABLE cases ADD COLUMN fee_fen INTEGER;
ALTER TABLE cases ADD COLUMN awaiting_payment_since TEXT;

-- 线下转账记录: one bank or Alipay transfer, recorded by one person (the maker),
-- confirmed or rejected by another finance person (the checker).
CREATE TABLE transfers (
    id                TEXT PRIMARY KEY,          -- UUID v7
    method            TEXT NOT NULL,             -- PaymentMethod (offline)
    payer             TEXT NOT NULL,
    payer_account     TEXT NOT NULL,
    payer_bank        TEXT NOT NULL,
    amount_fen        INTEGER NOT NULL CHECK (amount_fen > 0),
    received_at       TEXT NOT NULL,             -- office local date and time
    reference         TEXT NOT NULL,             -- 交易流水号
    purpose           TEXT NOT NULL,
    receipt_file_id   TEXT REFERENCES files (id),
    applicant_id      TEXT REFERENCES applicants (id),
    over_fen          INTEGER NOT NULL DEFAULT 0, -- 多付，确认后计入申请人余额
    state             TEXT NOT NULL,             -- TransferState
    recorded_by       TEXT NOT NULL REFERENCES staff (id),
    recorded_at       TEXT NOT NULL,
    checked_by        TEXT REFERENCES staff (id),
    checked_at        TEXT,
    reject_reason     TEXT,
    statement_line_id TEXT,
    version           INTEGER NOT NULL
) STRICT;
CREATE INDEX transfers_state ON transfers (state, received_at);
-- A bank reference is recorded once (a rejected record may be recorded again).
CREATE UNIQUE INDEX transfers_reference ON transfers (method, reference) WHERE state <> 'rejected';

CREATE TABLE allocations (
    transfer_id  TEXT NOT NULL REFERENCES transfers (id),
    case_id      TEXT NOT NULL REFERENCES cases (id),
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    PRIMARY KEY (transfer_id, case_id)
) STRICT;
CREATE INDEX allocations_case ON allocations (case_id);

-- Bank statements imported, and each data line once (by its fingerprint).
CREATE TABLE statement_imports (
    id           TEXT PRIMARY KEY,
    file_name    TEXT NOT NULL,
    format       TEXT NOT NULL,
    imported_by  TEXT NOT NULL REFERENCES staff (id),
    imported_at  TEXT NOT NULL,
    new_lines    INTEGER NOT NULL,
    known_lines  INTEGER NOT NULL
) STRICT;

CREATE TABLE statement_lines (
    id             TEXT PRIMARY KEY,
    import_id      TEXT NOT NULL REFERENCES statement_imports (id),
    fingerprint    TEXT NOT NULL UNIQUE,
    line           INTEGER NOT NULL,
    day            TEXT NOT NULL,
    time           TEXT,
    payer          TEXT NOT NULL,
    payer_account  TEXT NOT NULL,
    payer_bank     TEXT NOT NULL,
    credit_fen     INTEGER,
    debit_fen      INTEGER,
    memo           TEXT NOT NULL,
    reference      TEXT NOT NULL,
    decision       TEXT NOT NULL,                -- matched | ambiguous | unmatched | ignored
    case_id        TEXT REFERENCES cases (id),
    transfer_id    TEXT REFERENCES transfers (id),
    resolved_by    TEXT REFERENCES staff (id),
    resolved_at    TEXT,
    resolution     TEXT                          -- transfer | dismissed
) STRICT;
CREATE INDEX statement_lines_open ON statement_lines (decision, resolved_at);

-- 退费 of refused cases.
CREATE TABLE refunds (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    method       TEXT NOT NULL,                 -- RefundMethod
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    reference    TEXT NOT NULL,
    refunded_on  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL REFERENCES staff (id),
    recorded_at  TEXT NOT NULL
) STRICT;

-- 电子发票: issued once per paid case.
CREATE TABLE invoices (
    case_id         TEXT PRIMARY KEY REFERENCES cases (id),
    invoice_number  TEXT NOT NULL,
    issued_by       TEXT NOT NULL REFERENCES staff (id),
    issued_at       TEXT NOT NULL
) STRICT;

-- Online payments and confirmations per day, for the day report.
CREATE TABLE money_events (
    id           TEXT PRIMARY KEY,
    event        TEXT NOT NULL,                 -- received | confirmed | rejected | refunded
    subject      TEXT NOT NULL,                 -- transfer, case or refund id
    day          TEXT NOT NULL,                 -- office date
    method       TEXT NOT NULL,                 -- PaymentMethod
    fen          INTEGER NOT NULL
) STRICT;
CREATE INDEX money_events_day ON money_events (day);
