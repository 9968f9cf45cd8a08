-- Applicant profiles (用户信息): one per (ID type, ID number).
CREATE TABLE applicants (
    id               TEXT PRIMARY KEY,          -- UUID v7
    category         TEXT NOT NULL,
    name             TEXT NOT NULL,
    id_type          TEXT NOT NULL,
    id_number        TEXT NOT NULL,
    pen_name         TEXT,
    handler_name     TEXT NOT NULL,
    handler_mobile   TEXT NOT NULL,
    region           TEXT,
    invoice_email    TEXT NOT NULL,
    recipient_name   TEXT NOT NULL,
    recipient_phone  TEXT NOT NULL,
    postal_address   TEXT NOT NULL,
    version          INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (id_type, id_number)
) STRICT;
CREATE INDEX applicants_name ON applicants (name);
CREATE INDEX applicants_mobile ON applicants (handler_mobile);
