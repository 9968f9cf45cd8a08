-- Foundation: this workstation, the office, staff, settings, the journal (sync outbox) and the audit chain.

CREATE TABLE station (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    station_id  TEXT NOT NULL,          -- UUID v7, made when the database is created
    name        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE office (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    name           TEXT NOT NULL,
    office_code    TEXT NOT NULL,
    reg_prefix     TEXT NOT NULL,
    province_code  TEXT NOT NULL,
    province_name  TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created_at     TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    id                    TEXT PRIMARY KEY,
    username              TEXT NOT NULL UNIQUE,
    display_name          TEXT NOT NULL,
    roles                 TEXT NOT NULL,            -- comma-separated role codes
    password_hash         TEXT NOT NULL,            -- Argon2id PHC string
    disabled              INTEGER NOT NULL DEFAULT 0,
    failed_logins         INTEGER NOT NULL DEFAULT 0,
    locked_until          TEXT,
    must_change_password  INTEGER NOT NULL DEFAULT 0,
    version               INTEGER NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    idle_lock_minutes  INTEGER NOT NULL,
    version            INTEGER NOT NULL
) STRICT;

-- The outbox: one entry per state change, shipped by sync (synced_at stays NULL until then).
CREATE TABLE journal (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,       -- UUID v7
    station_id      TEXT NOT NULL,
    staff_id        TEXT,
    at              TEXT NOT NULL,
    command         TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    entity_version  INTEGER NOT NULL,
    payload         TEXT NOT NULL,              -- JSON
    synced_at       TEXT
) STRICT;
CREATE INDEX journal_unsynced ON journal (seq) WHERE synced_at IS NULL;
CREATE INDEX journal_entity ON journal (entity, entity_id);

-- The audit chain: each entry holds the hash of the previous entry and of its own content.
CREATE TABLE audit (
    seq           INTEGER PRIMARY KEY,
    journal_id    TEXT NOT NULL UNIQUE REFERENCES journal (id),
    prev_hash     TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    entry_hash    TEXT NOT NULL
) STRICT;
