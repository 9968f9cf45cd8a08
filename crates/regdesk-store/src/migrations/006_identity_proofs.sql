-- Identity-proof scans on applicant profiles (身份证明文件), each marked
-- checked by the clerk who compared it with the original (who, when).
CREATE TABLE applicant_proofs (
    id            TEXT PRIMARY KEY,              -- UUID v7
    applicant_id  TEXT NOT NULL REFERENCES applicants (id),
    file_id       TEXT NOT NULL REFERENCES files (id),
    kind          TEXT NOT NULL,                 -- ProofKind
    added_by      TEXT NOT NULL REFERENCES staff (id),
    added_at      TEXT NOT NULL,
    checked_by    TEXT REFERENCES staff (id),
    checked_at    TEXT,
    removed_by    TEXT REFERENCES staff (id),
    removed_at    TEXT
) STRICT;
CREATE INDEX applicant_proofs_applicant ON applicant_proofs (applicant_id);
