-- Each case names its row in the full-text index (case_search.rowid, stable
-- across VACUUM), so a search joins on integers instead of reading the
-- indexed case id of every match.
ALTER TABLE cases ADD COLUMN search_rowid INTEGER;

CREATE TEMP TABLE search_link AS SELECT rowid AS search_rowid, case_id FROM case_search;
CREATE INDEX temp.search_link_case ON search_link (case_id);
UPDATE cases SET search_rowid = (SELECT l.search_rowid FROM search_link l WHERE l.case_id = cases.id);
DROP TABLE temp.search_link;

CREATE UNIQUE INDEX cases_search ON cases (search_rowid);
