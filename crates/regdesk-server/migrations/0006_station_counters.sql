-- A station's count of the day's filings (serial_counters) is the station's
-- own: case serials carry the station's code. The record forgets the counts
-- it kept while the table was shared, and the effects on them in accepted
-- entries, so stations' state hashes (which leave station tables out) and
-- pulled entries (which may not write station tables) agree with it.
DELETE FROM record_rows WHERE tbl = 'serial_counters';
DELETE FROM record_tables WHERE tbl = 'serial_counters';
UPDATE record_entries
SET effects = COALESCE(
    (SELECT jsonb_agg(e ORDER BY n)
     FROM jsonb_array_elements(effects) WITH ORDINALITY AS x(e, n)
     WHERE e->>'table' <> 'serial_counters'),
    '[]'::jsonb)
WHERE effects @> '[{"table": "serial_counters"}]';
