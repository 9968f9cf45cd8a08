-- Office tree scope: the office of the tree an enrolled station belongs to
-- (NULL: the top office). The station changes only that office's cases and
-- sees those of every office under it (docs/SYNC.md, "Scope").
ALTER TABLE sync_enrolment ADD COLUMN station_office TEXT;
