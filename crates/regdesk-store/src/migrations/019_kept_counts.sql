-- The office at its design volume (a million cases, docs/DOMAIN.md §1): desk
-- overviews read counts kept as cases change, queue pages come from an index
-- in their own order, and one- and two-character searches from an index of
-- their own.

-- The queue each case sits in, worked out from its state exactly as
-- `regdesk_domain::queue::queue_of` does (a store test holds the two equal),
-- and its office ('' for this office's own cases, which carry no office code).
-- Both are computed, never written: they cannot disagree with the state.
ALTER TABLE cases ADD COLUMN queue TEXT GENERATED ALWAYS AS (CASE state
    WHEN 'draft' THEN 'drafts'
    WHEN 'returned_for_correction' THEN 'drafts'
    WHEN 'awaiting_signatures' THEN 'awaiting_signature'
    WHEN 'awaiting_payment' THEN 'awaiting_payment'
    WHEN 'awaiting_payment_check' THEN 'awaiting_payment_check'
    WHEN 'awaiting_first_review' THEN 'first_review'
    WHEN 'awaiting_final_review' THEN 'final_review'
    WHEN 'refusal_proposed' THEN 'final_review'
    WHEN 'registered' THEN 'registered'
    WHEN 'mailed' THEN 'registered'
    WHEN 'picked_up' THEN 'registered'
    ELSE 'other' END) VIRTUAL;
ALTER TABLE cases ADD COLUMN office_key TEXT GENERATED ALWAYS AS (COALESCE(office_code, '')) VIRTUAL;

-- Counts kept per queue, state (and so stage), office and deadline day,
-- changed by these triggers in the statement (and so the transaction) that
-- changes a case, whoever writes it. A desk's count is the sum over its
-- queue; its overdue count the sum over the days before today, so it follows
-- the calendar with no write. Derived data: `audit verify` recounts it from
-- the cases (audit.rs), it is not itself in the chain's row digests.
CREATE TABLE case_counts (
    queue    TEXT NOT NULL,
    state    TEXT NOT NULL,
    office   TEXT NOT NULL,                 -- cases.office_key
    due_on   TEXT NOT NULL,                 -- '' when the case has no deadline
    n        INTEGER NOT NULL,
    PRIMARY KEY (queue, state, office, due_on)
) STRICT, WITHOUT ROWID;

INSERT INTO case_counts (queue, state, office, due_on, n)
SELECT queue, state, office_key, COALESCE(due_on, ''), COUNT(*) FROM cases GROUP BY 1, 2, 3, 4;

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_counts (queue, state, office, due_on, n)
    VALUES (NEW.queue, NEW.state, NEW.office_key, COALESCE(NEW.due_on, ''), 1)
    ON CONFLICT (queue, state, office, due_on) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN
    UPDATE case_counts SET n = n - 1
    WHERE queue = OLD.queue AND state = OLD.state AND office = OLD.office_key AND due_on = COALESCE(OLD.due_on, '');
    DELETE FROM case_counts
    WHERE queue = OLD.queue AND state = OLD.state AND office = OLD.office_key AND due_on = COALESCE(OLD.due_on, '')
      AND n <= 0;
END;

CREATE TRIGGER case_counts_update AFTER UPDATE ON cases
WHEN OLD.queue IS NOT NEW.queue OR OLD.state IS NOT NEW.state OR OLD.office_key IS NOT NEW.office_key
  OR OLD.due_on IS NOT NEW.due_on
BEGIN
    UPDATE case_counts SET n = n - 1
    WHERE queue = OLD.queue AND state = OLD.state AND office = OLD.office_key AND due_on = COALESCE(OLD.due_on, '');
    DELETE FROM case_counts
    WHERE queue = OLD.queue AND state = OLD.state AND office = OLD.office_key AND due_on = COALESCE(OLD.due_on, '')
      AND n <= 0;
    INSERT INTO case_counts (queue, state, office, due_on, n)
    VALUES (NEW.queue, NEW.state, NEW.office_key, COALESCE(NEW.due_on, ''), 1)
    ON CONFLICT (queue, state, office, due_on) DO UPDATE SET n = n + 1;
END;

-- One index per sort column of a queue page (queues.rs `QueueSortKey`), in
-- the page's own order, each ending in a unique column (the serial, or the row id every index
-- ends in) so a page is one walk of the index (backwards for a descending sort or the far end of a
-- queue); and the same again for a queue limited to one office.
CREATE INDEX cases_queue_due ON cases (queue, due_on IS NULL, due_on, created_at);
CREATE INDEX cases_queue_serial ON cases (queue, serial);
CREATE INDEX cases_queue_title ON cases (queue, title, serial);
CREATE INDEX cases_queue_applicant ON cases (queue, applicant_name, serial);
CREATE INDEX cases_queue_created ON cases (queue, created_at, serial);
CREATE INDEX cases_office_queue_due ON cases (queue, office_key, due_on IS NULL, due_on, created_at);
CREATE INDEX cases_office_queue_serial ON cases (queue, office_key, serial);
CREATE INDEX cases_office_queue_title ON cases (queue, office_key, title, serial);
CREATE INDEX cases_office_queue_applicant ON cases (queue, office_key, applicant_name, serial);
CREATE INDEX cases_office_queue_created ON cases (queue, office_key, created_at, serial);

-- One- and two-character searches (below the trigram index's three): every
-- character and every pair of neighbouring characters of each word of a
-- case's search text, as tokens (`regdesk_grams`, grams.rs), under the same
-- row id as the case's row in case_search.
CREATE VIRTUAL TABLE case_grams USING fts5 (
    grams, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
);
INSERT INTO case_grams (rowid, grams) SELECT rowid, regdesk_grams(body) FROM case_search;
