//! Opening the database: pragmas, migrations, the workstation row, the data directory.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};

use crate::error::{Result, StoreError};

/// The database file inside the data directory.
pub const DB_FILE: &str = "regdesk.db";

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_foundation.sql")),
        M::up(include_str!("migrations/002_cases_calendar.sql")),
        M::up(include_str!("migrations/003_case_settings.sql")),
        M::up(include_str!("migrations/004_applicants.sql")),
        M::up(include_str!("migrations/005_filings.sql")),
        M::up(include_str!("migrations/006_identity_proofs.sql")),
        M::up(include_str!("migrations/007_payments.sql")),
        M::up(include_str!("migrations/008_review.sql")),
        M::up(include_str!("migrations/009_office_tree.sql")),
        M::up(include_str!("migrations/010_search_link.sql")),
        M::up(include_str!("migrations/011_review_by_rule.sql")),
        M::up(include_str!("migrations/012_payload_format.sql")),
        M::up(include_str!("migrations/014_personal_data.sql")),
    ])
}

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 13;

pub(crate) fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::DatabaseTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    migrations()
        .to_latest(conn)
        .map_err(|e| StoreError::Migration(e.to_string()))
}

/// Makes the workstation row on first open and returns the station id.
pub(crate) fn ensure_station(conn: &Connection, now: DateTime<Utc>) -> Result<String> {
    let existing: Option<String> = conn
        .query_row("SELECT station_id FROM station WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = crate::journal::uuid_v7(now).to_string();
    conn.execute(
        "INSERT INTO station (id, station_id, created_at) VALUES (1, ?1, ?2)",
        params![id, now],
    )?;
    Ok(id)
}

/// Where the data lives: `explicit` (from `--data-dir`), else `REGDESK_DATA_DIR`,
/// else the platform's data directory (`~/.local/share/regdesk` on Linux).
pub fn data_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("REGDESK_DATA_DIR").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("cn", "regdesk", "regdesk")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            StoreError::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "找不到用户主目录，请用 --data-dir 或 REGDESK_DATA_DIR 指定数据目录",
            ))
        })
}
