-- 一人一表 (docs/DOMAIN.md §5): whether the office allows a batch of one applicant's
-- filings to be signed with one paper form per signer covering every case. Off by default.
ALTER TABLE settings ADD COLUMN batch_signing_form INTEGER NOT NULL DEFAULT 0;
