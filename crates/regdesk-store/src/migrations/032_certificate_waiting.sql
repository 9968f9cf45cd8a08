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
    case_id              TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX certificate_waiting_case ON certificate_waiting (case_id);

INSERT INTO certificate_waiting (registration_number, case_id)
SELECT c.registration_number, c.id FROM cases c
WHERE c.state = 'registered' AND c.registration_number IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM certificate_sheets s
                  WHERE s.registration_number = c.registration_number AND s.state = 'printed');

CREATE TRIGGER certificate_waiting_case_insert AFTER INSERT ON cases
WHEN NEW.state = 'registered' AND NEW.registration_number IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO certificate_waiting (registration_number, case_id)
    SELECT NEW.registration_number, NEW.id
    WHERE NOT EXISTS (SELECT 1 FROM certificate_sheets s
                      WHERE s.registration_number = NEW.registration_number AND s.state = 'printed');
END;

CREATE TRIGGER certificate_waiting_case_update AFTER UPDATE ON cases
WHEN OLD.state IS NOT NEW.state OR OLD.registration_number IS NOT NEW.registration_number
  OR OLD.id IS NOT NEW.id
BEGIN
    DELETE FROM certificate_waiting WHERE case_id = OLD.id;
    INSERT OR IGNORE INTO certificate_waiting (registration_number, case_id)
    SELECT NEW.registration_number, NEW.id
    WHERE NEW.state = 'registered' AND NEW.registration_number IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM certificate_sheets s
                      WHERE s.registration_number = NEW.registration_number AND s.state = 'printed');
END;

CREATE TRIGGER certificate_waiting_case_delete AFTER DELETE ON cases BEGIN
    DELETE FROM certificate_waiting WHERE case_id = OLD.id;
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
    INSERT OR IGNORE INTO certificate_waiting (registration_number, case_id)
    SELECT c.registration_number, c.id FROM cases c
    WHERE c.registration_number IN (OLD.registration_number, NEW.registration_number)
      AND c.state = 'registered'
      AND NOT EXISTS (SELECT 1 FROM certificate_sheets s
                      WHERE s.registration_number = c.registration_number AND s.state = 'printed');
END;

CREATE TRIGGER certificate_waiting_sheet_delete AFTER DELETE ON certificate_sheets
WHEN OLD.state = 'printed'
BEGIN
    INSERT OR IGNORE INTO certificate_waiting (registration_number, case_id)
    SELECT c.registration_number, c.id FROM cases c
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
