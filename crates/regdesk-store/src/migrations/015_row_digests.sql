-- The audit chain covers the office's rows: each journal entry records the
-- digest of every row its command changed, as the command left it
-- (`journal.row_digests`, part of the entry's audit content), and
-- `audit_rows` keeps each row's latest recorded digest with a short digest per
-- column, so `audit verify` compares the current rows quickly and names the
-- field that differs. `audit_state.high_seq` is the highest sequence number
-- ever given: deleting entries does not lower it, so no number is given twice.

ALTER TABLE journal ADD COLUMN row_digests TEXT;   -- JSON [[table, key, digest|null], ...]; NULL before this version
CREATE INDEX journal_row_digests ON journal (seq) WHERE row_digests IS NOT NULL;

CREATE TABLE audit_rows (
    tbl     TEXT NOT NULL,
    key     TEXT NOT NULL,                  -- JSON array of the primary key's values
    seq     INTEGER NOT NULL,               -- the journal entry that recorded the row last
    digest  TEXT NOT NULL,                  -- SHA-256 of the row (hex)
    hints   TEXT NOT NULL,                  -- 8 hex digits per column, in column order
    PRIMARY KEY (tbl, key)
) STRICT;

CREATE TABLE audit_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    high_seq  INTEGER NOT NULL
) STRICT;
INSERT INTO audit_state (id, high_seq) VALUES (1, COALESCE((SELECT MAX(seq) FROM journal), 0));
