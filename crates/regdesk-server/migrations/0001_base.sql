-- The server's own tables: the office it keeps, its enrolled stations, the
-- one-time enrolment codes, failed enrolment attempts (for rate limiting) and
-- the log of refused requests. The office's shared rows (staff, cases, …)
-- live in the record's tables, not here.

-- The one office this server keeps (made by `init` or `adopt`).
CREATE TABLE office (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    prefix     TEXT NOT NULL,
    province   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- At most one row.
    only_one   BOOLEAN NOT NULL DEFAULT TRUE UNIQUE CHECK (only_one)
);

-- An enrolled workstation; its id is the station's own database id.
CREATE TABLE stations (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    office_id         TEXT NOT NULL REFERENCES office (id),
    -- SHA-256 (hex) of the credential's secret part; the secret itself is never stored.
    credential_sha256 TEXT NOT NULL,
    enrolled_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at        TIMESTAMPTZ,
    revoked_by        TEXT,
    last_seen_at      TIMESTAMPTZ,
    app_version       TEXT NOT NULL
);
-- A name names one station that is not revoked.
CREATE UNIQUE INDEX stations_active_name ON stations (name) WHERE revoked_at IS NULL;

-- One-time enrolment codes: only their SHA-256 is kept.
CREATE TABLE enrolment_codes (
    code_sha256  TEXT PRIMARY KEY,
    station_name TEXT NOT NULL,
    made_by      TEXT NOT NULL,
    made_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ,
    used_by      TEXT REFERENCES stations (id)
);
CREATE INDEX enrolment_codes_name ON enrolment_codes (station_name);

-- Failed enrolment attempts, one row each: `scope` is `ip:<address>`; the
-- limits count the rows of the last minutes per address and in all.
CREATE TABLE enrol_failures (
    id    BIGSERIAL PRIMARY KEY,
    scope TEXT NOT NULL,
    at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX enrol_failures_scope_at ON enrol_failures (scope, at);
CREATE INDEX enrol_failures_at ON enrol_failures (at);

-- Every refused request: who (address, the station it claimed), what (method
-- and path), why (the refusal code and message).
CREATE TABLE refusals (
    id         BIGSERIAL PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    source_ip  TEXT NOT NULL,
    station_id TEXT,
    method     TEXT NOT NULL,
    path       TEXT NOT NULL,
    status     INTEGER NOT NULL,
    code       TEXT NOT NULL,
    message    TEXT NOT NULL
);
CREATE INDEX refusals_at ON refusals (at);
