-- The reports at the design volume (docs/DOMAIN.md §1): the monthly form,
-- the yearly summary and the supervisor's picture read registrations counted
-- per office day instead of every registration of the period.
--
-- Registrations (numbers used or revoked, given to a case) kept per day the
-- number was given (the office's date, UTC+8, as `office_date` gives it), the
-- case's office ('' for the office's own cases), its category, the number's
-- state and the day the case's clock started ('' when it has none), changed
-- by these triggers in the statement (and so the transaction) that changes a
-- number or a case, whoever writes it. Derived data like case_counts: `audit
-- verify` recounts it (audit.rs), it is not in the chain's row digests and
-- never leaves the workstation.
CREATE TABLE registration_counts (
    day          TEXT NOT NULL,
    office       TEXT NOT NULL,
    category     TEXT NOT NULL,
    state        TEXT NOT NULL,
    accepted_on  TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (day, office, category, state, accepted_on)
) STRICT, WITHOUT ROWID;

INSERT INTO registration_counts (day, office, category, state, accepted_on, n)
SELECT date(r.issued_at, '+8 hours'), c.office_key, c.category, r.state, COALESCE(c.accepted_on, ''), COUNT(*)
FROM registration_numbers r JOIN cases c ON c.id = r.case_id
WHERE r.state IN ('used', 'revoked')
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER registration_counts_insert AFTER INSERT ON registration_numbers
WHEN NEW.state IN ('used', 'revoked') AND NEW.case_id IS NOT NULL
BEGIN
    INSERT INTO registration_counts (day, office, category, state, accepted_on, n)
    SELECT date(NEW.issued_at, '+8 hours'), office_key, category, NEW.state, COALESCE(accepted_on, ''), 1
    FROM cases WHERE id = NEW.case_id
    ON CONFLICT (day, office, category, state, accepted_on) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER registration_counts_delete AFTER DELETE ON registration_numbers
WHEN OLD.state IN ('used', 'revoked') AND OLD.case_id IS NOT NULL
BEGIN
    UPDATE registration_counts SET n = n - 1
    WHERE (day, office, category, state, accepted_on) IN (
        SELECT date(OLD.issued_at, '+8 hours'), office_key, category, OLD.state, COALESCE(accepted_on, '')
        FROM cases WHERE id = OLD.case_id);
    DELETE FROM registration_counts WHERE n <= 0 AND day = date(OLD.issued_at, '+8 hours');
END;

CREATE TRIGGER registration_counts_update AFTER UPDATE ON registration_numbers
WHEN OLD.state IS NOT NEW.state OR OLD.case_id IS NOT NEW.case_id OR OLD.issued_at IS NOT NEW.issued_at
BEGIN
    UPDATE registration_counts SET n = n - 1
    WHERE OLD.state IN ('used', 'revoked')
      AND (day, office, category, state, accepted_on) IN (
        SELECT date(OLD.issued_at, '+8 hours'), office_key, category, OLD.state, COALESCE(accepted_on, '')
        FROM cases WHERE id = OLD.case_id);
    DELETE FROM registration_counts WHERE n <= 0 AND day = date(OLD.issued_at, '+8 hours');
    INSERT INTO registration_counts (day, office, category, state, accepted_on, n)
    SELECT date(NEW.issued_at, '+8 hours'), office_key, category, NEW.state, COALESCE(accepted_on, ''), 1
    FROM cases WHERE id = NEW.case_id AND NEW.state IN ('used', 'revoked')
    ON CONFLICT (day, office, category, state, accepted_on) DO UPDATE SET n = n + 1;
END;

-- A case whose office, category or start of clock changes moves its
-- registrations with it; a case written after its numbers (rows arriving
-- from the server in any order) brings them in, a case deleted takes them
-- out. A case with no number is skipped at once (by the index on case_id).
CREATE TRIGGER registration_counts_case_update AFTER UPDATE ON cases
WHEN (OLD.office_key IS NOT NEW.office_key OR OLD.category IS NOT NEW.category
      OR OLD.accepted_on IS NOT NEW.accepted_on OR OLD.id IS NOT NEW.id)
  AND EXISTS (SELECT 1 FROM registration_numbers WHERE case_id IN (OLD.id, NEW.id))
BEGIN
    UPDATE registration_counts SET n = n - x.k
    FROM (SELECT date(issued_at, '+8 hours') AS d, state AS s, COUNT(*) AS k FROM registration_numbers
          WHERE case_id = OLD.id AND state IN ('used', 'revoked') GROUP BY 1, 2) AS x
    WHERE registration_counts.day = x.d AND registration_counts.state = x.s
      AND office = OLD.office_key AND category = OLD.category AND accepted_on = COALESCE(OLD.accepted_on, '');
    DELETE FROM registration_counts WHERE n <= 0
      AND day IN (SELECT date(issued_at, '+8 hours') FROM registration_numbers WHERE case_id = OLD.id);
    INSERT INTO registration_counts (day, office, category, state, accepted_on, n)
    SELECT date(issued_at, '+8 hours'), NEW.office_key, NEW.category, state, COALESCE(NEW.accepted_on, ''), COUNT(*)
    FROM registration_numbers WHERE case_id = NEW.id AND state IN ('used', 'revoked')
    GROUP BY 1, 4
    ON CONFLICT (day, office, category, state, accepted_on) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER registration_counts_case_insert AFTER INSERT ON cases
WHEN EXISTS (SELECT 1 FROM registration_numbers WHERE case_id = NEW.id)
BEGIN
    INSERT INTO registration_counts (day, office, category, state, accepted_on, n)
    SELECT date(issued_at, '+8 hours'), NEW.office_key, NEW.category, state, COALESCE(NEW.accepted_on, ''), COUNT(*)
    FROM registration_numbers WHERE case_id = NEW.id AND state IN ('used', 'revoked')
    GROUP BY 1, 4
    ON CONFLICT (day, office, category, state, accepted_on) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER registration_counts_case_delete AFTER DELETE ON cases
WHEN EXISTS (SELECT 1 FROM registration_numbers WHERE case_id = OLD.id)
BEGIN
    UPDATE registration_counts SET n = n - x.k
    FROM (SELECT date(issued_at, '+8 hours') AS d, state AS s, COUNT(*) AS k FROM registration_numbers
          WHERE case_id = OLD.id AND state IN ('used', 'revoked') GROUP BY 1, 2) AS x
    WHERE registration_counts.day = x.d AND registration_counts.state = x.s
      AND office = OLD.office_key AND category = OLD.category AND accepted_on = COALESCE(OLD.accepted_on, '');
    DELETE FROM registration_counts WHERE n <= 0
      AND day IN (SELECT date(issued_at, '+8 hours') FROM registration_numbers WHERE case_id = OLD.id);
END;

-- The review backlog of the supervisor's picture reads the cases still in
-- review (by state) with the day their clock started and their office, from
-- this index alone.
CREATE INDEX cases_state_accepted ON cases (state, accepted_on, office_code);
