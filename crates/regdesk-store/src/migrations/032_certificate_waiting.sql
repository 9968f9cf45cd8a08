-- 待制证 at the design volume: the certificate desk's list read every
-- registered case, and for each its printed sheets, to find the few whose
-- certificate is not printed yet (26.7 s at a million cases). This table
-- holds exactly those cases, by registration number (the list's order), kept
-- by the triggers below in the statement that changes a case or a sheet,
-- whoever writes it (a command, a pulled entry, a snapshot). Derived data:
-- each workstation keeps its own, and `audit verify` compares it with a
-- full check of the cases and the sheets (audit.rs).
CREATE TABLE certificate_waiting (
    registration_number  TEXT PRIMARY KEY,
    case_id              TEXT NOT NULL,
    -- What the desk filters the list by, kept here so that a filter reads
    -- this table alone: the case's applicant, category and delivery, and the
    -- office date (UTC+8) its number was issued (NULL until the ledger's row
    -- is there: a pulled entry may bring the case before its number).
    applicant_name       TEXT NOT NULL,
    category             TEXT,
    delivery             TEXT,
    registered_on        TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX certificate_waiting_case ON certificate_waiting (case_id);

-- The row a case puts on the list (when it is registered, numbered and has
-- no printed sheet) is the same in every trigger below.
INSERT INTO certificate_waiting (registration_number, case_id, applicant_name, category, delivery, registered_on)
SELECT c.registration_number, c.id, c.applicant_name, c.category, json_extract(c.draft, '$.delivery'),
       (SELECT date(n.issued_at, '+8 hours') FROM registration_numbers n WHERE n.number = c.registration_number)
FROM cases c
WHERE c.state = 'registered' AND c.registration_number IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM certificate_sheets s
                  WHERE s.registration_number = c.registration_number AND s.state = 'printed');

CREATE TRIGGER certificate_waiting_case_insert AFTER INSERT ON cases
WHEN NEW.state = 'registered' AND NEW.registration_number IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO certificate_waiting
        (registration_number, case_id, applicant_name, category, delivery, registered_on)
    SELECT NEW.registration_number, NEW.id, NEW.applicant_name, NEW.category, json_extract(NEW.draft, '$.delivery'),
           (SELECT date(n.issued_at, '+8 hours') FROM registration_numbers n WHERE n.number = NEW.registration_number)
    WHERE NOT EXISTS (SELECT 1 FROM certificate_sheets s
                      WHERE s.registration_number = NEW.registration_number AND s.state = 'printed');
END;

CREATE TRIGGER certificate_waiting_case_update AFTER UPDATE ON cases
WHEN OLD.state IS NOT NEW.state OR OLD.registration_number IS NOT NEW.registration_number
  OR OLD.id IS NOT NEW.id OR OLD.applicant_name IS NOT NEW.applicant_name OR OLD.category IS NOT NEW.category
  OR json_extract(OLD.draft, '$.delivery') IS NOT json_extract(NEW.draft, '$.delivery')
BEGIN
    DELETE FROM certificate_waiting WHERE case_id = OLD.id;
    INSERT OR IGNORE INTO certificate_waiting
        (registration_number, case_id, applicant_name, category, delivery, registered_on)
    SELECT NEW.registration_number, NEW.id, NEW.applicant_name, NEW.category, json_extract(NEW.draft, '$.delivery'),
           (SELECT date(n.issued_at, '+8 hours') FROM registration_numbers n WHERE n.number = NEW.registration_number)
    WHERE NEW.state = 'registered' AND NEW.registration_number IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM certificate_sheets s
                      WHERE s.registration_number = NEW.registration_number AND s.state = 'printed');
END;

CREATE TRIGGER certificate_waiting_case_delete AFTER DELETE ON cases BEGIN
    DELETE FROM certificate_waiting WHERE case_id = OLD.id;
END;

-- The day a number was issued, when its ledger row comes or changes.
CREATE TRIGGER certificate_waiting_number_insert AFTER INSERT ON registration_numbers BEGIN
    UPDATE certificate_waiting SET registered_on = date(NEW.issued_at, '+8 hours')
    WHERE registration_number = NEW.number;
END;

CREATE TRIGGER certificate_waiting_number_update AFTER UPDATE OF number, issued_at ON registration_numbers BEGIN
    UPDATE certificate_waiting SET registered_on = NULL
    WHERE registration_number = OLD.number AND OLD.number IS NOT NEW.number;
    UPDATE certificate_waiting SET registered_on = date(NEW.issued_at, '+8 hours')
    WHERE registration_number = NEW.number;
END;

CREATE TRIGGER certificate_waiting_number_delete AFTER DELETE ON registration_numbers BEGIN
    UPDATE certificate_waiting SET registered_on = NULL WHERE registration_number = OLD.number;
END;

-- A sheet printed takes its number off the list; a sheet that stops being
-- printed (voided, recalled, or gone) puts it back when no other printed
-- sheet of that number is left and the case still waits at the desk.
CREATE TRIGGER certificate_waiting_sheet_insert AFTER INSERT ON certificate_sheets
WHEN NEW.state = 'printed'
BEGIN
    DELETE FROM certificate_waiting WHERE registration_number = NEW.registration_number;
END;

CREATE TRIGGER certificate_waiting_sheet_update AFTER UPDATE ON certificate_sheets
WHEN OLD.state IS NOT NEW.state OR OLD.registration_number IS NOT NEW.registration_number
BEGIN
    DELETE FROM certificate_waiting
    WHERE registration_number = NEW.registration_number AND NEW.state = 'printed';
    INSERT OR IGNORE INTO certificate_waiting
        (registration_number, case_id, applicant_name, category, delivery, registered_on)
    SELECT c.registration_number, c.id, c.applicant_name, c.category, json_extract(c.draft, '$.delivery'),
           (SELECT date(n.issued_at, '+8 hours') FROM registration_numbers n WHERE n.number = c.registration_number)
    FROM cases c
    WHERE c.registration_number IN (OLD.registration_number, NEW.registration_number)
      AND c.state = 'registered'
      AND NOT EXISTS (SELECT 1 FROM certificate_sheets s
                      WHERE s.registration_number = c.registration_number AND s.state = 'printed');
END;

CREATE TRIGGER certificate_waiting_sheet_delete AFTER DELETE ON certificate_sheets
WHEN OLD.state = 'printed'
BEGIN
    INSERT OR IGNORE INTO certificate_waiting
        (registration_number, case_id, applicant_name, category, delivery, registered_on)
    SELECT c.registration_number, c.id, c.applicant_name, c.category, json_extract(c.draft, '$.delivery'),
           (SELECT date(n.issued_at, '+8 hours') FROM registration_numbers n WHERE n.number = c.registration_number)
    FROM cases c
    WHERE c.registration_number = OLD.registration_number AND c.state = 'registered'
      AND NOT EXISTS (SELECT 1 FROM certificate_sheets s
                      WHERE s.registration_number = c.registration_number AND s.state = 'printed');
END;

-- 待缴费 at the design volume: the payment desk's list, oldest first, from an
-- index in its own order instead of a sort of every case waiting for payment;
-- it carries each case's search row, so a search of the list tests each entry
-- without reading its case.
CREATE INDEX cases_awaiting_payment
    ON cases (COALESCE(awaiting_payment_since, updated_at), id, search_rowid)
    WHERE state = 'awaiting_payment';

-- The applicant's balance (a column of that list) reads their transfers: by
-- applicant, not a scan of every transfer for each row.
CREATE INDEX transfers_applicant ON transfers (applicant_id, received_at, id);
