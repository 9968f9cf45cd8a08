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
        M::up(include_str!("migrations/016_backups.sql")),
    ])
}

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 13;

/// Opens a database file: the live one, a backup's copy, a restored one.
/// **Every SQLite file the store reads or writes is opened here**, so that
/// what every connection needs (a key, pragmas) is set in this one place.
pub(crate) fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// How long a full `integrity_check` stands before the store runs another at open.
pub const FULL_CHECK_EVERY_DAYS: i64 = 7;

/// A SQLite error that means the file itself is damaged (or no database at all).
pub(crate) fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

/// Turns a SQLite error that says the file is damaged into [`StoreError::Damaged`].
pub(crate) fn damage(e: StoreError) -> StoreError {
    match e {
        StoreError::Sqlite(s) if is_damage(&s) => StoreError::Damaged { detail: s.to_string() },
        other => other,
    }
}

/// The problems `PRAGMA quick_check` (`full`: `integrity_check`) finds; empty when the file is sound.
pub(crate) fn integrity_problems(conn: &Connection, full: bool) -> Result<Vec<String>> {
    let pragma = if full { "integrity_check" } else { "quick_check" };
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

/// Refuses a damaged database: the problems found, or the error reading it.
pub(crate) fn check(conn: &Connection, full: bool) -> Result<()> {
    let problems = integrity_problems(conn, full).map_err(damage)?;
    if problems.is_empty() {
        Ok(())
    } else {
        let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
        Err(StoreError::Damaged {
            detail: format!("完整性检查发现 {} 处问题：{}", problems.len(), shown.join("；")),
        })
    }
}

/// At open: the full check when the last one is older than a week (or never
/// ran), remembering when it passed. The time is this workstation's own fact,
/// written beside the station row and not journaled.
pub(crate) fn weekly_check(conn: &Connection, now: DateTime<Utc>) -> Result<bool> {
    let last: Option<DateTime<Utc>> = conn
        .query_row("SELECT integrity_checked_at FROM station WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    if last.is_some_and(|t| now - t < chrono::Duration::days(FULL_CHECK_EVERY_DAYS) && t <= now) {
        return Ok(false);
    }
    check(conn, true)?;
    conn.execute("UPDATE station SET integrity_checked_at = ?1 WHERE id = 1", [now])?;
    Ok(true)
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
