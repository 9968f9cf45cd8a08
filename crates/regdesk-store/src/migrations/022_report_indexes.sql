-- 统计与上报: the reports read registrations by the time their number was
-- given, review decisions by their time, and cases by the day their clock
-- started, each over a period, without reading the whole table.
CREATE INDEX registration_numbers_issued ON registration_numbers (issued_at, state, case_id);
CREATE INDEX review_log_at ON review_log (at, command);
CREATE INDEX cases_accepted ON cases (accepted_on);
