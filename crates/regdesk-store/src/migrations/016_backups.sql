-- Backups (备份): where, how many and how often, set by the admin.
ALTER TABLE settings ADD COLUMN backup_dir TEXT NOT NULL DEFAULT '';          -- '' = no scheduled backups
ALTER TABLE settings ADD COLUMN backup_keep INTEGER NOT NULL DEFAULT 7;       -- generations kept
ALTER TABLE settings ADD COLUMN backup_every_hours INTEGER NOT NULL DEFAULT 24;

-- Every backup made, each with its verification (written by the command that made it).
CREATE TABLE backups (
    id               TEXT PRIMARY KEY,                -- UUID v7
    started_at       TEXT NOT NULL,
    finished_at      TEXT NOT NULL,
    folder           TEXT NOT NULL,                   -- the backup folder
    generation       TEXT NOT NULL,                   -- the generation's folder name ('' if none was made)
    trigger          TEXT NOT NULL,                   -- manual | scheduled
    staff_id         TEXT REFERENCES staff(id),       -- NULL when the schedule made it
    ok               INTEGER NOT NULL,                -- made and verified
    message          TEXT NOT NULL,                   -- the verification, or why it failed
    journal_seq      INTEGER NOT NULL,                -- the journal's last entry in the copy
    files            INTEGER NOT NULL,                -- attachments copied
    bytes            INTEGER NOT NULL                 -- database and attachments
) STRICT;
CREATE INDEX backups_by_time ON backups (started_at);

-- When this database last passed a full integrity check (the store runs one
-- weekly, at open). This workstation's own note, written outside any command
-- and so left out of the audit chain's row digests.
CREATE TABLE integrity_checks (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at  TEXT NOT NULL
) STRICT;
