//! Opening the database: the key, pragmas, migrations, the workstation row,
//! the data directory, and the one-time conversion of a plain database.
//!
//! The database is SQLCipher (AES-256 pages with HMAC), keyed with the
//! station's raw 32-byte database key ([`crate::keys`]) right after
//! connecting, in [`connect`] — the only place a connection is made.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};

use zeroize::Zeroizing;

use crate::error::{Result, StoreError};
use crate::keys::{Key32, KeyError};

/// The database file inside the data directory.
pub const DB_FILE: &str = "regdesk.db";

/// The migrations, in order: a database's `user_version` is how many of them it has.
const MIGRATIONS: &[(&str, &str)] = &[
    ("001_foundation", include_str!("migrations/001_foundation.sql")),
    ("002_cases_calendar", include_str!("migrations/002_cases_calendar.sql")),
    ("003_case_settings", include_str!("migrations/003_case_settings.sql")),
    ("004_applicants", include_str!("migrations/004_applicants.sql")),
    ("005_filings", include_str!("migrations/005_filings.sql")),
    (
        "006_identity_proofs",
        include_str!("migrations/006_identity_proofs.sql"),
    ),
    ("007_payments", include_str!("migrations/007_payments.sql")),
    ("008_review", include_str!("migrations/008_review.sql")),
    ("009_office_tree", include_str!("migrations/009_office_tree.sql")),
    ("010_search_link", include_str!("migrations/010_search_link.sql")),
    ("011_review_by_rule", include_str!("migrations/011_review_by_rule.sql")),
    ("012_payload_format", include_str!("migrations/012_payload_format.sql")),
    ("013_file_purpose", include_str!("migrations/013_file_purpose.sql")),
    ("014_personal_data", include_str!("migrations/014_personal_data.sql")),
    ("015_row_digests", include_str!("migrations/015_row_digests.sql")),
    ("016_backups", include_str!("migrations/016_backups.sql")),
    ("017_certificates", include_str!("migrations/017_certificates.sql")),
    (
        "018_certificate_delivery",
        include_str!("migrations/018_certificate_delivery.sql"),
    ),
    ("019_kept_counts", include_str!("migrations/019_kept_counts.sql")),
    (
        "020_historic_register",
        include_str!("migrations/020_historic_register.sql"),
    ),
    ("021_sync", include_str!("migrations/021_sync.sql")),
    ("022_report_indexes", include_str!("migrations/022_report_indexes.sql")),
    ("023_queue_search", include_str!("migrations/023_queue_search.sql")),
    (
        "024_batch_signing_form",
        include_str!("migrations/024_batch_signing_form.sql"),
    ),
    ("025_number_leases", include_str!("migrations/025_number_leases.sql")),
    (
        "026_registration_counts",
        include_str!("migrations/026_registration_counts.sql"),
    ),
    ("027_station_office", include_str!("migrations/027_station_office.sql")),
    (
        "029_number_lease_settings",
        include_str!("migrations/029_number_lease_settings.sql"),
    ),
    (
        "030_sync_held_columns",
        include_str!("migrations/030_sync_held_columns.sql"),
    ),
    (
        "031_correction_deadlines",
        include_str!("migrations/031_correction_deadlines.sql"),
    ),
    (
        "032_certificate_waiting",
        include_str!("migrations/032_certificate_waiting.sql"),
    ),
    ("033_search_merges", include_str!("migrations/033_search_merges.sql")),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|(_, sql)| M::up(sql)).collect())
}

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What the first bytes of a database file say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Header {
    /// No file, or an empty one: a new database.
    Absent,
    /// `SQLite format 3`: a plain database from before encryption.
    Plain,
    /// Anything else: SQLCipher pages (or not a database at all).
    Encrypted,
}

const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

pub(crate) fn header_of(path: &Path) -> Result<Header> {
    use std::io::Read;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Header::Absent),
        Err(e) => return Err(e.into()),
    };
    let mut head = Vec::with_capacity(16);
    f.by_ref().take(16).read_to_end(&mut head)?;
    Ok(if head.is_empty() {
        Header::Absent
    } else if head == PLAIN_HEADER {
        Header::Plain
    } else {
        Header::Encrypted
    })
}

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 256;

/// The raw-key form SQLCipher reads: `x'<64 hex digits>'`.
fn key_literal(key: &Key32) -> Zeroizing<String> {
    Zeroizing::new(format!("x'{}'", Zeroizing::new(hex::encode(key.as_bytes())).as_str()))
}

/// The page cache of each connection, in KiB (SQLite's negative `cache_size`).
pub const PAGE_CACHE_KIB: i64 = -65_536;

/// Opens the database at `path` with the station's database key: the live
/// one, a backup's copy, a restored one. **Every SQLite file the store reads
/// or writes is opened here**, so what every connection needs is set in this one place.
/// A wrong key
/// (or a file that is not a database) is [`KeyError::Wrong`], not SQLite's
/// "file is not a database".
pub fn connect(path: &Path, key: &Key32) -> Result<Connection> {
    let conn = Connection::open(path)?;
    let pragma = Zeroizing::new(format!("PRAGMA key = \"{}\";", key_literal(key).as_str()));
    conn.execute_batch(&pragma)?;
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        return Err(match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => KeyError::Wrong {
                dir: path
                    .parent()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| path.display().to_string()),
            }
            .into(),
            _ => e.into(),
        });
    }
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // SQLite's default page cache is 2 MiB; every page read past it is read
    // and decrypted again. At the design volume (a million cases, about
    // 5 GB) a queue page or a save touches index pages all over the file,
    // so each connection keeps up to 64 MiB of them (memory is taken as
    // pages are read, not up front).
    conn.pragma_update(None, "cache_size", PAGE_CACHE_KIB)?;
    // Sync writes rows of every shared table with statements made once per
    // table (a row, its read-back, its audit row): more than the 16 kept by
    // default, which would make them again and again.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    crate::grams::register(&conn)?;
    Ok(conn)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

/// The user tables of a database and their row counts.
fn row_counts(conn: &Connection, schema: &str) -> Result<Vec<(String, i64)>> {
    let names: Vec<String> = conn
        .prepare(&format!(
            "SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names
        .into_iter()
        .map(|n| {
            let q = format!("SELECT count(*) FROM {schema}.\"{}\"", n.replace('"', "\"\""));
            let c: i64 = conn.query_row(&q, [], |r| r.get(0))?;
            Ok((n, c))
        })
        .collect()
}

/// Converts a plain database at `path` to an encrypted one, in place:
/// exports it into `<path>.encrypting` with `sqlcipher_export`, copies the
/// schema version, verifies the copy (integrity check, the same row count in
/// every table, an intact audit chain), then replaces the plain file and
/// removes its `-wal`/`-shm`. Until the replacement nothing of the plain
/// database is touched, so an interrupted conversion is simply done again.
pub(crate) fn convert_plain(path: &Path, key: &Key32) -> Result<()> {
    let tmp = with_suffix(path, ".encrypting");
    for leftover in ["", "-wal", "-shm", "-journal"] {
        remove_if_present(&with_suffix(&tmp, leftover))?;
    }
    let failed = |what: String| {
        StoreError::Corrupt(format!(
            "明文数据库转为加密数据库时校验未通过（{what}），原数据库保持不变"
        ))
    };
    {
        let mut plain = Connection::open(path)?;
        plain.busy_timeout(std::time::Duration::from_secs(5))?;
        // Bring it to this build's schema first, as the version before would have.
        migrate(&mut plain)?;
        let version: i64 = plain.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let before = row_counts(&plain, "main")?;
        let plain_audit = crate::audit::verify_chain(&plain)?;
        plain.execute(
            "ATTACH DATABASE ?1 AS enc KEY ?2",
            rusqlite::params![tmp.to_string_lossy(), key_literal(key).as_str()],
        )?;
        plain.query_row("SELECT sqlcipher_export('enc')", [], |_| Ok(()))?;
        plain.pragma_update(Some("enc"), "user_version", version)?;
        plain.execute_batch("DETACH DATABASE enc")?;
        // Fold the write-ahead log into the plain file so that nothing of it is left beside the new one.
        plain.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        drop(plain);

        let enc = connect(&tmp, key)?;
        let check: String = enc.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(failed(format!("完整性检查：{check}")));
        }
        let enc_version: i64 = enc.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if enc_version != version {
            return Err(failed(format!("架构版本 {enc_version} ≠ {version}")));
        }
        let after = row_counts(&enc, "main")?;
        if after != before {
            return Err(failed("各表行数不一致".into()));
        }
        let enc_audit = crate::audit::verify_chain(&enc)?;
        if enc_audit != plain_audit {
            return Err(failed(format!("审计链：{}", enc_audit.message)));
        }
        enc.pragma_update(None, "journal_mode", "DELETE")?;
        drop(enc);
    }
    std::fs::File::open(&tmp)?.sync_all()?;
    for leftover in ["-wal", "-shm", "-journal"] {
        remove_if_present(&with_suffix(path, leftover))?;
    }
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        // Make the rename durable where the platform allows syncing a folder.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
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
        StoreError::Sqlite(s) if is_damage(&s) => StoreError::Damaged { detail: unreadable(&s) },
        other => other,
    }
}

/// What the screen says of a database SQLite cannot read through: in words,
/// with SQLite's own message for the technician.
fn unreadable(e: &rusqlite::Error) -> String {
    format!("数据库文件读不出：有数据页已损坏或被改动，无法通过加密校验（SQLite：{e}）")
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
    // The check itself failing (SQLCipher reports a page that fails its
    // authentication as an error, not as a finding) is damage too.
    let problems = integrity_problems(conn, full).map_err(|e| match e {
        StoreError::Sqlite(s) => StoreError::Damaged { detail: unreadable(&s) },
        other => other,
    })?;
    if problems.is_empty() {
        Ok(())
    } else {
        let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
        Err(StoreError::Damaged {
            detail: format!("完整性检查发现 {} 处问题：{}", problems.len(), shown.join("；")),
        })
    }
}

/// The largest database file the store checks while it opens. SQLite's
/// checks read and decrypt every page: about a second per 40 MB here, so a
/// million-case office (about 4 GB) would take minutes before the sign-in
/// showed. A larger file is checked by a [`DeferredCheck`] on a connection of
/// its own while the desk works; SQLCipher still authenticates every page a
/// command reads, so a damaged page is refused when it is read either way.
pub const OPEN_CHECK_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The checks of a database too large to check while it opens
/// ([`OPEN_CHECK_MAX_BYTES`]): `quick_check`, or the full `integrity_check`
/// when the last one passed more than [`FULL_CHECK_EVERY_DAYS`] days ago, on
/// a connection of its own (WAL: commands go on while it reads). The desk
/// runs it in the background after the store opened; a damaged file is
/// [`StoreError::Damaged`], as it would have been at open.
#[derive(Clone)]
pub struct DeferredCheck {
    path: PathBuf,
    key: Key32,
}

impl std::fmt::Debug for DeferredCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeferredCheck")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl DeferredCheck {
    pub(crate) fn new(path: &Path, key: Key32) -> DeferredCheck {
        DeferredCheck {
            path: path.to_path_buf(),
            key,
        }
    }

    /// Runs the checks that are due; `true` when the full check ran (and passed).
    pub fn run(&self, now: DateTime<Utc>) -> Result<bool> {
        let conn = connect(&self.path, &self.key).map_err(damage)?;
        let full = weekly_check(&conn, now)?;
        if !full {
            check(&conn, false)?;
        }
        Ok(full)
    }
}

/// Whether the file at `path` is small enough (at most `check_up_to` bytes) to check while it opens.
pub(crate) fn checked_at_open(path: &Path, check_up_to: u64) -> bool {
    std::fs::metadata(path).map_or(true, |m| m.len() <= check_up_to)
}

/// At open: the full check when the last one is older than a week (or never
/// ran), remembering when it passed. The time is this workstation's own fact,
/// kept in `integrity_checks`, not journaled and not in the row digests.
pub(crate) fn weekly_check(conn: &Connection, now: DateTime<Utc>) -> Result<bool> {
    let last: Option<DateTime<Utc>> = conn
        .query_row("SELECT checked_at FROM integrity_checks WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    if last.is_some_and(|t| now - t < chrono::Duration::days(FULL_CHECK_EVERY_DAYS) && t <= now) {
        return Ok(false);
    }
    check(conn, true)?;
    note_full_check(conn, now)?;
    Ok(true)
}

/// Remembers that the full check passed at `now`.
pub(crate) fn note_full_check(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO integrity_checks (id, checked_at) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
        [now],
    )?;
    Ok(())
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::DatabaseTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    // Migrations fill the short-search index with the store's own tokens.
    crate::grams::register(conn)?;
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
