-- Stored and journaled payloads carry their format (regdesk_domain::stored).
-- Every row written before this migration is format 1.
ALTER TABLE cases ADD COLUMN draft_format INTEGER NOT NULL DEFAULT 1;    -- of cases.draft
ALTER TABLE cases ADD COLUMN facts_format INTEGER NOT NULL DEFAULT 1;    -- of cases.facts
ALTER TABLE journal ADD COLUMN payload_format INTEGER NOT NULL DEFAULT 1;
