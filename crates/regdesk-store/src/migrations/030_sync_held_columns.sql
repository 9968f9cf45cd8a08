-- Mixed schemas (docs/SYNC.md, "Mixed schemas"): the columns a row of the
-- record has after this schema's last (a station of a newer version wrote
-- them), held for the row until an upgrade adds them to the table. The
-- workstation's own bookkeeping: never sent to the server.
CREATE TABLE sync_held_columns (
    tbl TEXT NOT NULL,
    key TEXT NOT NULL,
    -- JSON: the columns, as the record sent them ([{name, value}, …]).
    columns TEXT NOT NULL,
    PRIMARY KEY (tbl, key)
) WITHOUT ROWID;
