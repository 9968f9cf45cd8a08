-- The hourly check for corrections past their deadline (`expire_corrections_due`)
-- read every case waiting for signatures or for a correction and opened its
-- facts: a third of a million-case office, seconds with the store's lock held
-- while the desk waited. This index holds only the cases with a correction
-- notice, by the (UTC) day of its deadline, so the check reads the cases whose
-- deadline day has come and decides each exactly.
CREATE INDEX cases_correction_due
    ON cases (substr(json_extract(facts, '$.correction.deadline'), 1, 10))
    WHERE state IN ('returned_for_correction', 'awaiting_signatures')
      AND json_extract(facts, '$.correction') IS NOT NULL;
