-- Filings at the counter: the draft and the lifecycle facts of each case, the
-- attachment store's index, case search, and the per-day case serial counter.
ALTER TABLE cases ADD COLUMN applicant_id TEXT REFERENCES applicants (id);
ALTER TABLE cases ADD COLUMN draft TEXT NOT NULL DEFAULT '{}';      -- FilingDraft JSON
ALTER TABLE cases ADD COLUMN facts TEXT NOT NULL DEFAULT '{}';      -- CaseFacts JSON
ALTER TABLE cases ADD COLUMN created_by TEXT REFERENCES staff (id);

-- Content-addressed files: the bytes live under files/<first two hex>/<sha256>.
CREATE TABLE files (
    id             TEXT PRIMARY KEY,             -- UUID v7
    sha256         TEXT NOT NULL,
    size           INTEGER NOT NULL,
    original_name  TEXT NOT NULL,
    mime           TEXT NOT NULL,
    added_at       TEXT NOT NULL,
    added_by       TEXT NOT NULL REFERENCES staff (id)
) STRICT;
CREATE INDEX files_sha256 ON files (sha256);

-- Full-text search over serials, titles, names, ID numbers and registration numbers.
CREATE VIRTUAL TABLE case_search USING fts5 (case_id UNINDEXED, body, tokenize = 'trigram');

CREATE TABLE serial_counters (
    day   TEXT PRIMARY KEY,                      -- YYYYMMDD (office time)
    last  INTEGER NOT NULL
) STRICT;
