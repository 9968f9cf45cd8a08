//! Backups (备份) and restores (恢复).
//!
//! A backup is a *generation*: a folder `regdesk-YYYYMMDD-HHMMSS` (office
//! time) in the folder the admin chose, holding a copy of the database made
//! with SQLite's online backup API (the desk keeps working meanwhile), the
//! attachments it refers to under `files/ab/<sha256>` (the data directory's
//! own layout) and `manifest.json` with the checksums of everything. It is
//! written as `<name>.partial` and renamed when complete, then verified:
//! opened, `integrity_check`, the audit chain walked, every checksum compared.
//! After a verified generation the folder is pruned to the newest N.
//!
//! Each backup is recorded by one command (`record_backup`, journaled, with
//! its verification), so the admin sees the last one and its result; a
//! verified one is also noted in `last-backup.json` beside the database, which
//! the screen for a damaged database reads when the database cannot be.
//!
//! A restore (`regdesk restore`, with the app closed) verifies the generation,
//! refuses to replace a database holding work the backup lacks unless forced,
//! keeps the replaced database as a side copy until the restored one opens
//! and verifies, and records itself in the restored database's journal.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use regdesk_domain::staff::Permission;
use regdesk_domain::FieldError;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::audit::AuditReport;
use crate::db::{self, DB_FILE};
use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::keys::StationKeys;
use crate::session::{actor, Session};
use crate::{Clock, Store, OFFICE_UTC_OFFSET_HOURS};

/// The checksums of a generation, in its folder.
pub const MANIFEST_FILE: &str = "manifest.json";
/// Beside the database: the last verified generation (read when the database cannot be).
pub const LAST_BACKUP_FILE: &str = "last-backup.json";
/// The journal command of a backup; its entries are not work a restore loses.
pub const BACKUP_COMMAND: &str = "record_backup";
/// The journal command of a restore.
pub const RESTORE_COMMAND: &str = "restore_backup";
const GENERATION_PREFIX: &str = "regdesk-";
const PARTIAL_SUFFIX: &str = ".partial";
const MANIFEST_FORMAT: u32 = 1;
const CHUNK: usize = 1 << 20;
/// Generations kept: the setting's bounds.
pub const KEEP_RANGE: (u32, u32) = (1, 100);
/// Hours between scheduled backups: the setting's bounds (an hour to a week).
pub const EVERY_HOURS_RANGE: (u32, u32) = (1, 168);
/// How many of the entries a restore would lose are named.
const LOST_NAMED: usize = 5;

/// One backup at a time in this program (the schedule and a button may meet).
static RUNNING: Mutex<()> = Mutex::new(());

/// Scheduled failures not journaled because the last journaled backup failed
/// for the same reason: that record's id and how many followed it (this
/// process's count; the journal keeps the first).
static REPEATED: Mutex<Option<(String, u32)>> = Mutex::new(None);

/// A `.partial` folder untouched this long is what an interrupted backup left.
const STALE_PARTIAL: std::time::Duration = std::time::Duration::from_secs(3600);

// ---- What crosses to the screens ----

/// 备份设置。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupSettingsView {
    /// The office settings' version (the backup settings are part of them).
    #[ts(type = "number")]
    pub version: i64,
    /// 备份目录 ('' = none chosen: no scheduled backups).
    pub folder: String,
    /// 保留份数
    pub keep: u32,
    /// 每隔几小时自动备份
    pub every_hours: u32,
}

/// 修改备份设置（管理员）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupSettingsInput {
    #[ts(type = "number")]
    pub version: i64,
    pub folder: String,
    pub keep: u32,
    pub every_hours: u32,
}

/// Who asked for a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupTrigger {
    /// 立即备份 or `regdesk backup`.
    Manual,
    /// The schedule.
    Scheduled,
}

/// 一次备份及其校验结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupRecord {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub folder: String,
    /// The generation's folder name ('' when none was made).
    pub generation: String,
    pub trigger: BackupTrigger,
    /// Who asked (none: the schedule).
    pub staff_name: Option<String>,
    /// Made and verified.
    pub ok: bool,
    /// The verification's result, or why the backup failed.
    pub message: String,
    /// The last journal entry the copy holds.
    #[ts(type = "number")]
    pub journal_seq: i64,
    pub files: u32,
    #[ts(type = "number")]
    pub bytes: i64,
}

/// 备份目录中的一代备份。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GenerationView {
    pub name: String,
    pub path: String,
    pub made_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub journal_seq: i64,
    pub files: u32,
    #[ts(type = "number")]
    pub bytes: i64,
    /// The verification recorded when it was made (none: made elsewhere or by another database).
    pub verified: Option<bool>,
    pub message: Option<String>,
    /// The command that restores it (with the app closed).
    pub restore_command: String,
}

/// 管理 → 备份：设置、上一次备份、备份目录中的各代。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupStatus {
    pub settings: BackupSettingsView,
    /// The last backup, made or failed.
    pub last: Option<BackupRecord>,
    /// The last verified one.
    pub last_ok: Option<BackupRecord>,
    /// When the schedule makes the next one (none: no folder chosen).
    pub next_due_at: Option<DateTime<Utc>>,
    pub generations: Vec<GenerationView>,
    /// Why the folder cannot be listed (not connected, not readable).
    pub folder_problem: Option<String>,
}

/// 备份进行到哪一步。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupStage {
    Database,
    Attachments,
    Verifying,
    Pruning,
}

/// Progress of a backup, as it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupProgress {
    pub stage: BackupStage,
    pub done: u32,
    pub total: u32,
}

/// 一代备份的校验结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VerifyReport {
    pub path: String,
    pub ok: bool,
    #[ts(type = "number")]
    pub journal_seq: i64,
    pub files: u32,
    /// Each problem found, in plain Chinese.
    pub problems: Vec<String>,
    pub message: String,
}

/// The last verified backup, as noted beside the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LastBackup {
    pub path: String,
    pub made_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub journal_seq: i64,
}

/// 数据库已损坏：说明与恢复办法（数据库本身读不出时给出）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DamagedDatabase {
    /// What happened, ready to show.
    pub message: String,
    /// What SQLite found.
    pub detail: String,
    pub data_dir: String,
    pub last_backup: Option<LastBackup>,
    /// The exact command that restores the last verified backup.
    pub restore_command: Option<String>,
}

/// A journal entry a restore would drop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub command: String,
    pub entity: String,
    pub entity_id: String,
    /// The case's serial, for a case.
    pub serial: Option<String>,
}

/// What restoring a generation would do to the database in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestorePlan {
    pub from: String,
    pub backup_made_at: DateTime<Utc>,
    pub backup_journal_seq: i64,
    /// The database in place: its last journal entry (none: no database, or unreadable).
    pub live_journal_seq: Option<i64>,
    /// Why the database in place cannot be read (damaged), if so.
    pub live_problem: Option<String>,
    /// Journal entries (backup records aside) the database in place holds and the backup lacks.
    pub lost_entries: u32,
    /// Cases those entries changed.
    pub lost_cases: u32,
    /// The latest of them, newest first.
    pub latest_lost: Vec<LostEntry>,
    /// Restoring needs `--force` (work would be lost).
    pub needs_force: bool,
    pub message: String,
}

/// A restore done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestoreReport {
    pub plan: RestorePlan,
    /// Where the replaced database was kept (when it held work the backup lacks, or was damaged).
    pub side_copy: Option<String>,
    pub audit: AuditReport,
    pub message: String,
}

// ---- The generation's manifest ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    made_at: DateTime<Utc>,
    station_id: String,
    schema_version: i64,
    journal_seq: i64,
    journal_id: Option<String>,
    database_sha256: String,
    database_bytes: u64,
    files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ManifestFile {
    sha256: String,
    size: u64,
}

fn read_manifest(generation: &Path) -> std::result::Result<Manifest, String> {
    let path = generation.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{} 不是完整的备份（读不到 {MANIFEST_FILE}：{e}）", generation.display()))?;
    let m: Manifest =
        serde_json::from_str(&text).map_err(|e| format!("{MANIFEST_FILE} 已损坏（{e}）：{}", generation.display()))?;
    if m.format > MANIFEST_FORMAT {
        return Err(format!(
            "这代备份由更新版本的作品登记工作台制作（格式 {}），请用新版本恢复",
            m.format
        ));
    }
    Ok(m)
}

// ---- Small helpers ----

fn office_time(t: DateTime<Utc>) -> chrono::NaiveDateTime {
    chrono::FixedOffset::east_opt(OFFICE_UTC_OFFSET_HOURS * 3600)
        .map(|o| t.with_timezone(&o).naive_local())
        .unwrap_or_else(|| t.naive_utc())
}

/// `regdesk-YYYYMMDD-HHMMSS` in office time.
pub fn generation_name(t: DateTime<Utc>) -> String {
    format!("{GENERATION_PREFIX}{}", office_time(t).format("%Y%m%d-%H%M%S"))
}

/// A folder name this module made (not a partial one): `regdesk-YYYYMMDD-HHMMSS[-N]`.
fn is_generation_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(GENERATION_PREFIX) else {
        return false;
    };
    let (stamp, suffix) = match rest.get(15..) {
        Some(s) => (rest.get(..15).unwrap_or(""), s),
        None => return false,
    };
    let stamp_ok = stamp.len() == 15
        && stamp
            .char_indices()
            .all(|(i, c)| if i == 8 { c == '-' } else { c.is_ascii_digit() });
    let suffix_ok = suffix.is_empty()
        || suffix
            .strip_prefix('-')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    stamp_ok && suffix_ok
}

fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut reader = BufReader::with_capacity(CHUNK, File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Copies `from` to `to` and syncs it to the disk.
fn copy_synced(from: &Path, to: &Path) -> std::io::Result<u64> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut reader = BufReader::with_capacity(CHUNK, File::open(from)?);
    let mut writer = BufWriter::with_capacity(CHUNK, File::create(to)?);
    let n = std::io::copy(&mut reader, &mut writer)?;
    writer.flush()?;
    writer.get_ref().sync_all()?;
    Ok(n)
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Where an attachment lives under a data directory or a generation: the
/// stored (encrypted) file, copied as it is.
fn blob_path(root: &Path, sha: &str) -> PathBuf {
    root.join("files")
        .join(sha.get(0..2).unwrap_or("00"))
        .join(format!("{sha}.enc"))
}

fn quoted(p: &Path) -> String {
    format!("\"{}\"", p.display())
}

/// The command that restores `generation` into `data_dir` (the app closed first).
pub fn restore_command(data_dir: &Path, generation: &Path) -> String {
    format!("regdesk --data-dir {} restore {}", quoted(data_dir), quoted(generation))
}

fn invalid(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

/// Journal entries from `live` after `after` (backup records aside): how many,
/// how many cases, the latest named.
fn entries_after(live: &Connection, after: i64) -> Result<(u32, u32, Vec<LostEntry>)> {
    let count: u32 = live.query_row(
        "SELECT COUNT(*) FROM journal WHERE seq > ?1 AND command <> ?2",
        params![after, BACKUP_COMMAND],
        |r| r.get(0),
    )?;
    let cases: u32 = live.query_row(
        "SELECT COUNT(DISTINCT entity_id) FROM journal WHERE seq > ?1 AND command <> ?2 AND entity = 'case'",
        params![after, BACKUP_COMMAND],
        |r| r.get(0),
    )?;
    let mut stmt = live.prepare(
        "SELECT j.seq, j.at, j.command, j.entity, j.entity_id, c.serial
         FROM journal j LEFT JOIN cases c ON j.entity = 'case' AND c.id = j.entity_id
         WHERE j.seq > ?1 AND j.command <> ?2 ORDER BY j.seq DESC LIMIT ?3",
    )?;
    let latest = stmt
        .query_map(params![after, BACKUP_COMMAND, LOST_NAMED as i64], |r| {
            Ok(LostEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                command: r.get(2)?,
                entity: r.get(3)?,
                entity_id: r.get(4)?,
                serial: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((count, cases, latest))
}

fn journal_id_at(conn: &Connection, seq: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT id FROM journal WHERE seq = ?1", [seq], |r| r.get(0))
        .optional()?)
}

fn journal_head(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM journal", [], |r| r.get(0))?)
}

/// The last journal entry both databases hold alike (ids are unique, so the
/// shared entries are a prefix and a binary search finds its end).
fn common_prefix(live: &Connection, copy: &Connection, copy_head: i64) -> Result<i64> {
    let (mut lo, mut hi) = (0i64, copy_head.min(journal_head(live)?));
    while lo < hi {
        let mid = lo + (hi - lo + 1) / 2;
        let same = match (journal_id_at(live, mid)?, journal_id_at(copy, mid)?) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        };
        if same {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(lo)
}

// ---- Verification ----

/// Verifies a generation: its manifest, the database copy's checksum, SQLite's
/// `integrity_check` and the audit chain on the copy, every attachment's checksum.
pub fn verify_generation(generation: &Path, keys: &StationKeys) -> Result<VerifyReport> {
    let path = generation.display().to_string();
    let manifest = match read_manifest(generation) {
        Ok(m) => m,
        Err(problem) => {
            return Ok(VerifyReport {
                path,
                ok: false,
                journal_seq: 0,
                files: 0,
                message: format!("备份校验未通过：{problem}"),
                problems: vec![problem],
            })
        }
    };
    let mut problems = Vec::new();
    let db_path = generation.join(DB_FILE);
    match sha256_file(&db_path) {
        Ok((sha, _)) if sha == manifest.database_sha256 => {}
        Ok(_) => problems.push("数据库副本与制作时的校验和不符（文件已损坏或被改动）".to_string()),
        Err(e) => problems.push(format!("读不到数据库副本：{e}")),
    }
    if db_path.is_file() {
        match db::connect(&db_path, &keys.database()).and_then(|c| {
            let found = db::integrity_problems(&c, true)?;
            let audit = crate::audit::verify_chain(&c)?;
            Ok((found, audit))
        }) {
            Ok((found, audit)) => {
                if !found.is_empty() {
                    let shown: Vec<&str> = found.iter().take(3).map(String::as_str).collect();
                    problems.push(format!("数据库副本完整性检查未通过：{}", shown.join("；")));
                }
                if !audit.ok {
                    problems.push(format!("数据库副本的{}", audit.message));
                }
            }
            Err(e) => problems.push(format!("数据库副本打不开：{e}")),
        }
    }
    // Each attachment decrypted (to nowhere) must hash to its address.
    let files_key = keys.files();
    for f in &manifest.files {
        let read = File::open(blob_path(generation, &f.sha256))
            .map_err(StoreError::from)
            .and_then(|file| {
                let size = file.metadata()?.len();
                let mut reader = BufReader::with_capacity(CHUNK, file);
                let got = crate::files::decrypt_stream(&files_key, &mut reader, &mut std::io::sink())?;
                Ok((got, size))
            });
        match read {
            Ok((Ok(sha), size)) if sha == f.sha256 && size == f.size => {}
            Ok(_) => problems.push(format!("附件 {} 与校验和不符（已损坏）", f.sha256)),
            Err(e) => problems.push(format!("附件 {} 读不到：{e}", f.sha256)),
        }
    }
    let files = u32::try_from(manifest.files.len()).unwrap_or(u32::MAX);
    let ok = problems.is_empty();
    let message = if ok {
        format!(
            "备份校验通过：数据库完整性检查通过，审计链完整（至第 {} 条），{files} 个附件校验和一致",
            manifest.journal_seq
        )
    } else {
        format!("备份校验未通过：{}", problems.join("；"))
    };
    Ok(VerifyReport {
        path,
        ok,
        journal_seq: manifest.journal_seq,
        files,
        problems,
        message,
    })
}

// ---- Settings ----

fn load_settings(conn: &Connection) -> Result<BackupSettingsView> {
    conn.query_row(
        "SELECT version, backup_dir, backup_keep, backup_every_hours FROM settings WHERE id = 1",
        [],
        |r| {
            Ok(BackupSettingsView {
                version: r.get(0)?,
                folder: r.get(1)?,
                keep: r.get(2)?,
                every_hours: r.get(3)?,
            })
        },
    )
    .optional()?
    .ok_or(StoreError::NotSetUp)
}

const RECORD_COLS: &str = "b.id, b.started_at, b.finished_at, b.folder, b.generation, b.trigger, s.display_name, \
     b.ok, b.message, b.journal_seq, b.files, b.bytes";

fn record_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<BackupRecord> {
    let trigger: String = r.get(5)?;
    Ok(BackupRecord {
        id: r.get(0)?,
        started_at: r.get(1)?,
        finished_at: r.get(2)?,
        folder: r.get(3)?,
        generation: r.get(4)?,
        trigger: if trigger == "scheduled" {
            BackupTrigger::Scheduled
        } else {
            BackupTrigger::Manual
        },
        staff_name: r.get(6)?,
        ok: r.get(7)?,
        message: r.get(8)?,
        journal_seq: r.get(9)?,
        files: r.get(10)?,
        bytes: r.get(11)?,
    })
}

fn last_record(conn: &Connection, only_ok: bool) -> Result<Option<BackupRecord>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {RECORD_COLS} FROM backups b LEFT JOIN staff s ON s.id = b.staff_id
                 {} ORDER BY b.started_at DESC, b.id DESC LIMIT 1",
                if only_ok { "WHERE b.ok = 1" } else { "" }
            ),
            [],
            record_of,
        )
        .optional()?)
}

/// What a backup made, before it is recorded.
struct Made {
    generation: String,
    ok: bool,
    message: String,
    journal_seq: i64,
    files: u32,
    bytes: i64,
}

impl Store {
    fn data_dir(&self) -> PathBuf {
        self.path.parent().map(Path::to_path_buf).unwrap_or_default()
    }

    /// 备份设置（管理员）。
    pub fn backup_settings(&self, session: &Session) -> Result<BackupSettingsView> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), Some(Permission::ManageSettings))?;
        load_settings(&conn)
    }

    /// 修改备份设置（管理员）: the folder must exist and lie outside the data
    /// directory ('' turns scheduled backups off); 1–100 generations; every 1–168 hours.
    pub fn update_backup_settings(&self, session: &Session, input: &BackupSettingsInput) -> Result<BackupSettingsView> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let mut errs = Vec::new();
        let folder = input.folder.trim().to_string();
        if !folder.is_empty() {
            let p = Path::new(&folder);
            if !p.is_absolute() {
                errs.push(invalid(
                    "folder",
                    "not_absolute",
                    "备份目录请写完整路径（如 E:\\备份 或 /media/u盘/备份），或用“选择…”挑选",
                ));
            } else if !p.is_dir() {
                errs.push(invalid(
                    "folder",
                    "missing",
                    format!("备份目录“{folder}”不存在或未连接：请接上 U 盘或网络共享，或选择别的目录"),
                ));
            } else {
                let inside = match (p.canonicalize(), self.data_dir().canonicalize()) {
                    (Ok(a), Ok(b)) => a.starts_with(&b) || b.starts_with(&a),
                    _ => false,
                };
                if inside {
                    errs.push(invalid(
                        "folder",
                        "inside_data",
                        "备份目录不能是数据目录或在其中（同一块盘坏了备份也一起没了）：请选 U 盘或网络共享上的目录",
                    ));
                }
            }
        }
        if !(KEEP_RANGE.0..=KEEP_RANGE.1).contains(&input.keep) {
            errs.push(invalid(
                "keep",
                "range",
                format!("保留份数请填 {} 到 {} 之间的整数", KEEP_RANGE.0, KEEP_RANGE.1),
            ));
        }
        if !(EVERY_HOURS_RANGE.0..=EVERY_HOURS_RANGE.1).contains(&input.every_hours) {
            errs.push(invalid(
                "every_hours",
                "range",
                format!(
                    "自动备份间隔请填 {} 到 {} 小时（24 即每天一次）",
                    EVERY_HOURS_RANGE.0, EVERY_HOURS_RANGE.1
                ),
            ));
        }
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        self.run(Some(admin.id()), "update_backup_settings", |tx, _now| {
            let current = load_settings(tx)?;
            StoreError::check_version("系统设置", input.version, current.version)?;
            tx.execute(
                "UPDATE settings SET backup_dir = ?1, backup_keep = ?2, backup_every_hours = ?3, version = version + 1
                 WHERE id = 1",
                params![folder, input.keep, input.every_hours],
            )?;
            let v = load_settings(tx)?;
            let change = Change {
                entity: "settings",
                entity_id: "office".into(),
                version: v.version,
                payload: json!({ "backup": v }),
            };
            Ok((change, v))
        })
    }

    /// 管理 → 备份: the settings, the last backup and the last verified one,
    /// when the next is due, and the generations in the folder.
    pub fn backup_status(&self, session: &Session) -> Result<BackupStatus> {
        let (settings, last, last_ok) = {
            let conn = self.conn();
            actor(&conn, self.now(), Some(session), Some(Permission::ManageSettings))?;
            (
                load_settings(&conn)?,
                last_record(&conn, false)?,
                last_record(&conn, true)?,
            )
        };
        let next_due_at = (!settings.folder.is_empty()).then(|| {
            last_ok.as_ref().map_or(self.now(), |b| {
                b.started_at + chrono::Duration::hours(i64::from(settings.every_hours))
            })
        });
        let (generations, folder_problem) = if settings.folder.is_empty() {
            (Vec::new(), None)
        } else {
            match self.generations(Path::new(&settings.folder)) {
                Ok(g) => (g, None),
                Err(e) => (
                    Vec::new(),
                    Some(format!(
                        "备份目录“{}”读不到（{e}）：U 盘或网络共享是否已接上？",
                        settings.folder
                    )),
                ),
            }
        };
        Ok(BackupStatus {
            settings,
            last,
            last_ok,
            next_due_at,
            generations,
            folder_problem,
        })
    }

    /// The generations in `folder`, newest first, each with the verification
    /// recorded when this database made it.
    pub fn generations(&self, folder: &Path) -> Result<Vec<GenerationView>> {
        let data = self.data_dir();
        let mut out = Vec::new();
        for name in generation_names(folder)? {
            let path = folder.join(&name);
            let Ok(m) = read_manifest(&path) else { continue };
            let recorded: Option<(bool, String)> = self
                .conn()
                .query_row(
                    "SELECT ok, message FROM backups WHERE generation = ?1 AND folder = ?2
                     ORDER BY started_at DESC LIMIT 1",
                    params![name, folder.display().to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let bytes = m.database_bytes + m.files.iter().map(|f| f.size).sum::<u64>();
            out.push(GenerationView {
                restore_command: restore_command(&data, &path),
                path: path.display().to_string(),
                name,
                made_at: m.made_at,
                journal_seq: m.journal_seq,
                files: u32::try_from(m.files.len()).unwrap_or(u32::MAX),
                bytes: i64::try_from(bytes).unwrap_or(i64::MAX),
                verified: recorded.as_ref().map(|r| r.0),
                message: recorded.map(|r| r.1),
            });
        }
        Ok(out)
    }

    /// 立即备份 (`regdesk backup`): into `to`, else the folder in the settings.
    /// A backup that fails (folder missing, disk full, verification) is
    /// recorded and returned with `ok: false`; only a failure to record it is an error.
    pub fn backup_now(
        &self,
        session: &Session,
        to: Option<&Path>,
        progress: &mut dyn FnMut(BackupProgress),
    ) -> Result<BackupRecord> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let settings = load_settings(&self.conn())?;
        let folder = match to {
            Some(p) => p.to_path_buf(),
            None if !settings.folder.is_empty() => PathBuf::from(&settings.folder),
            None => {
                return Err(StoreError::Refused {
                    code: "no_backup_folder".into(),
                    message: "尚未设置备份目录：请在 管理 → 备份 中选择（U 盘或网络共享上的目录），或用 --to 指定"
                        .into(),
                })
            }
        };
        self.backup_into(
            Some(admin.id()),
            &folder,
            settings.keep,
            BackupTrigger::Manual,
            progress,
        )
    }

    /// The schedule (the desktop app's timer, no person): a backup into the
    /// folder in the settings when one is chosen and the last verified backup
    /// is older than the interval. `None` when none was due.
    pub fn backup_if_due(&self, progress: &mut dyn FnMut(BackupProgress)) -> Result<Option<BackupRecord>> {
        let (settings, last_ok) = {
            let conn = self.conn();
            (load_settings(&conn)?, last_record(&conn, true)?)
        };
        if settings.folder.is_empty() {
            return Ok(None);
        }
        let due = last_ok
            .is_none_or(|b| self.now() - b.started_at >= chrono::Duration::hours(i64::from(settings.every_hours)));
        if !due {
            return Ok(None);
        }
        self.backup_into(
            None,
            Path::new(&settings.folder),
            settings.keep,
            BackupTrigger::Scheduled,
            progress,
        )
        .map(Some)
    }

    fn backup_into(
        &self,
        staff_id: Option<&str>,
        folder: &Path,
        keep: u32,
        trigger: BackupTrigger,
        progress: &mut dyn FnMut(BackupProgress),
    ) -> Result<BackupRecord> {
        let _one = RUNNING.lock().unwrap_or_else(|p| p.into_inner());
        let started = self.now();
        let made = match self.make_generation(folder, started, progress) {
            Ok(m) => m,
            Err(e) => Made {
                generation: String::new(),
                ok: false,
                message: format!("备份失败：{e}"),
                journal_seq: 0,
                files: 0,
                bytes: 0,
            },
        };
        // A schedule failing hour after hour for the same reason (the USB disk
        // left unplugged) journals the first failure only; the rest are
        // counted, and the admin is still told each time.
        if trigger == BackupTrigger::Scheduled && !made.ok {
            if let Some(last) = last_record(&self.conn(), false)?.filter(|l| !l.ok && l.message == made.message) {
                let mut repeated = REPEATED.lock().unwrap_or_else(|p| p.into_inner());
                let n = match repeated.as_ref() {
                    Some((id, n)) if *id == last.id => n + 1,
                    _ => 1,
                };
                *repeated = Some((last.id.clone(), n));
                let since = office_time(last.started_at).format("%Y-%m-%d %H:%M");
                return Ok(BackupRecord {
                    started_at: started,
                    finished_at: self.now(),
                    trigger,
                    staff_name: None,
                    message: format!("{}（自 {since} 起原因相同，已又连续失败 {n} 次）", made.message),
                    ..last
                });
            }
        }
        let made = if made.ok {
            progress(BackupProgress {
                stage: BackupStage::Pruning,
                done: 0,
                total: 1,
            });
            match prune(folder, keep) {
                Ok(removed) if removed > 0 => Made {
                    message: format!("{}；已按保留 {keep} 份删去较早的 {removed} 代", made.message),
                    ..made
                },
                Ok(_) => made,
                Err(e) => Made {
                    message: format!("{}；但删去较早的备份时出错：{e}", made.message),
                    ..made
                },
            }
        } else {
            made
        };
        if made.ok {
            let note = LastBackup {
                path: folder.join(&made.generation).display().to_string(),
                made_at: started,
                journal_seq: made.journal_seq,
            };
            // The note only helps the screen of a damaged database; the record below is what counts.
            if let Ok(text) = serde_json::to_vec_pretty(&note) {
                let _ = write_synced(&self.data_dir().join(LAST_BACKUP_FILE), &text);
            }
        }
        let trigger_code = match trigger {
            BackupTrigger::Manual => "manual",
            BackupTrigger::Scheduled => "scheduled",
        };
        self.run(staff_id, BACKUP_COMMAND, |tx, now| {
            let id = uuid_v7(now).to_string();
            tx.execute(
                "INSERT INTO backups (id, started_at, finished_at, folder, generation, trigger, staff_id, ok, message,
                                      journal_seq, files, bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    id,
                    started,
                    now,
                    folder.display().to_string(),
                    made.generation,
                    trigger_code,
                    staff_id,
                    made.ok,
                    made.message,
                    made.journal_seq,
                    made.files,
                    made.bytes
                ],
            )?;
            let record = tx.query_row(
                &format!("SELECT {RECORD_COLS} FROM backups b LEFT JOIN staff s ON s.id = b.staff_id WHERE b.id = ?1"),
                [&id],
                record_of,
            )?;
            let change = Change {
                entity: "backup",
                entity_id: id,
                version: 1,
                payload: json!(record),
            };
            Ok((change, record))
        })
    }

    /// Writes one generation into `folder` and verifies it.
    fn make_generation(
        &self,
        folder: &Path,
        started: DateTime<Utc>,
        progress: &mut dyn FnMut(BackupProgress),
    ) -> Result<Made> {
        if !folder.is_dir() {
            return Err(StoreError::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!(
                    "备份目录“{}”不存在或未连接（U 盘或网络共享是否已接上？）",
                    folder.display()
                ),
            )));
        }
        let swept = sweep_partials(folder);
        let base = generation_name(started);
        let mut name = base.clone();
        let mut n = 1;
        while folder.join(&name).exists() || folder.join(format!("{name}{PARTIAL_SUFFIX}")).exists() {
            n += 1;
            name = format!("{base}-{n}");
        }
        let partial = folder.join(format!("{name}{PARTIAL_SUFFIX}"));
        std::fs::create_dir(&partial)?;
        match self.write_generation(&partial, started, progress) {
            Ok(()) => {}
            Err(e) => {
                let _ = std::fs::remove_dir_all(&partial);
                return Err(e);
            }
        }
        let done = folder.join(&name);
        std::fs::rename(&partial, &done)?;
        progress(BackupProgress {
            stage: BackupStage::Verifying,
            done: 0,
            total: 1,
        });
        let report = verify_generation(&done, &self.keys)?;
        let m = read_manifest(&done).map_err(StoreError::Corrupt)?;
        let bytes = m.database_bytes + m.files.iter().map(|f| f.size).sum::<u64>();
        Ok(Made {
            generation: name,
            ok: report.ok,
            message: if swept > 0 {
                format!("{}；已清理上次中断留下的 {swept} 个未完成备份", report.message)
            } else {
                report.message
            },
            journal_seq: report.journal_seq,
            files: report.files,
            bytes: i64::try_from(bytes).unwrap_or(i64::MAX),
        })
    }

    fn write_generation(
        &self,
        partial: &Path,
        started: DateTime<Utc>,
        progress: &mut dyn FnMut(BackupProgress),
    ) -> Result<()> {
        progress(BackupProgress {
            stage: BackupStage::Database,
            done: 0,
            total: 1,
        });
        let copy_path = partial.join(DB_FILE);
        // A connection of its own: the copy reads one snapshot (WAL) while the desk goes on writing.
        let key = self.keys.database();
        let source = db::connect(&self.path, &key)?;
        let (journal_seq, journal_id, schema_version, files) = {
            let mut copy = db::connect(&copy_path, &key)?;
            {
                use rusqlite::backup::{Backup, StepResult};
                let backup = Backup::new(&source, &mut copy)?;
                // All pages in one step (one read snapshot); a writer holding the
                // file a moment is waited for, up to about ten seconds.
                let mut waits = 0;
                loop {
                    match backup.step(-1)? {
                        StepResult::Done => break,
                        StepResult::More => {}
                        _ if waits < 200 => {
                            waits += 1;
                            std::thread::sleep(std::time::Duration::from_millis(50));
                        }
                        _ => {
                            return Err(StoreError::Refused {
                                code: "backup_busy".into(),
                                message: "数据库一直被占用，备份未能完成，请稍后重试".into(),
                            })
                        }
                    }
                }
            }
            copy.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
            let head: Option<(i64, String)> = copy
                .query_row("SELECT seq, id FROM journal ORDER BY seq DESC LIMIT 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let schema: i64 = copy.pragma_query_value(None, "user_version", |r| r.get(0))?;
            let mut stmt = copy.prepare("SELECT DISTINCT sha256 FROM files ORDER BY sha256")?;
            let files = stmt
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            (head.as_ref().map_or(0, |h| h.0), head.map(|h| h.1), schema, files)
        };
        drop(source);
        progress(BackupProgress {
            stage: BackupStage::Database,
            done: 1,
            total: 1,
        });
        let data = self.data_dir();
        let total = u32::try_from(files.len()).unwrap_or(u32::MAX);
        let mut listed = Vec::with_capacity(files.len());
        for (i, sha) in files.into_iter().enumerate() {
            let size = copy_synced(&blob_path(&data, &sha), &blob_path(partial, &sha))
                .map_err(|e| StoreError::Io(std::io::Error::new(e.kind(), format!("附件 {sha} 复制失败（{e}）"))))?;
            listed.push(ManifestFile { sha256: sha, size });
            progress(BackupProgress {
                stage: BackupStage::Attachments,
                done: u32::try_from(i + 1).unwrap_or(u32::MAX),
                total,
            });
        }
        let (database_sha256, database_bytes) = sha256_file(&copy_path)?;
        File::open(&copy_path)?.sync_all()?;
        let manifest = Manifest {
            format: MANIFEST_FORMAT,
            made_at: started,
            station_id: self.station_id.clone(),
            schema_version,
            journal_seq,
            journal_id,
            database_sha256,
            database_bytes,
            files: listed,
        };
        let text = serde_json::to_vec_pretty(&manifest).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        write_synced(&partial.join(MANIFEST_FILE), &text)?;
        Ok(())
    }

    /// A full `integrity_check` now (the weekly one, on demand); remembered when it passes.
    pub fn check_integrity(&self) -> Result<()> {
        let conn = self.conn();
        db::check(&conn, true)?;
        db::note_full_check(&conn, self.now())
    }

    /// After a restore, in the restored database (no person: whoever holds the
    /// data directory restored it): the signed audit head, which the restore
    /// left in place and which is ahead of the older database, is re-set to the
    /// restored chain, declaring the numbers given since the backup (they are
    /// never given again); then the restore's own journal entry. **Anything
    /// else a restored, older database needs before the desk uses it belongs here.**
    fn after_restore(&self, plan: &RestorePlan) -> Result<()> {
        self.reset_anchor(None, &format!("从备份 {} 恢复", plan.from))?;
        self.run(None, RESTORE_COMMAND, |_tx, _now| {
            let change = Change {
                entity: "backup",
                entity_id: plan.from.clone(),
                version: 1,
                payload: json!({
                    "from": plan.from,
                    "backup_made_at": plan.backup_made_at,
                    "backup_journal_seq": plan.backup_journal_seq,
                    "replaced_journal_seq": plan.live_journal_seq,
                    "lost_entries": plan.lost_entries,
                    "lost_cases": plan.lost_cases,
                    "replaced_damaged": plan.live_problem.is_some(),
                }),
            };
            Ok((change, ()))
        })
    }
}

/// The generation folders in `folder` (complete ones), newest first.
fn generation_names(folder: &Path) -> std::io::Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(folder)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_generation_name(n))
        .collect();
    names.sort_unstable_by(|a, b| b.cmp(a));
    Ok(names)
}

/// The newest modification time of `path` and everything under it.
fn newest_change(path: &Path) -> std::io::Result<std::time::SystemTime> {
    let meta = std::fs::symlink_metadata(path)?;
    let mut newest = meta.modified()?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path)? {
            newest = newest.max(newest_change(&entry?.path())?);
        }
    }
    Ok(newest)
}

/// Removes the `.partial` folders an interrupted backup left in `folder`
/// (only names this module gives, untouched for an hour, so a backup another
/// program is writing right now is left alone); returns how many went.
fn sweep_partials(folder: &Path) -> u32 {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in entries.filter_map(|e| e.ok()) {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let ours = name.strip_suffix(PARTIAL_SUFFIX).is_some_and(is_generation_name);
        if !ours || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let stale = newest_change(&entry.path())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age >= STALE_PARTIAL);
        if stale && std::fs::remove_dir_all(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Keeps the newest `keep` generations in `folder`; returns how many went.
/// Only folders this module names and completes (with a manifest) are touched.
fn prune(folder: &Path, keep: u32) -> std::io::Result<u32> {
    let mut removed = 0;
    let complete: Vec<String> = generation_names(folder)?
        .into_iter()
        .filter(|n| folder.join(n).join(MANIFEST_FILE).is_file())
        .collect();
    for name in complete.iter().skip(keep.max(1) as usize) {
        std::fs::remove_dir_all(folder.join(name))?;
        removed += 1;
    }
    Ok(removed)
}

// ---- Damaged database ----

/// What the screen for a damaged database shows: what happened and the way
/// back (the last verified backup noted beside the database, and the command).
pub fn damaged_database(data_dir: &Path, detail: &str) -> DamagedDatabase {
    let last_backup: Option<LastBackup> = std::fs::read(data_dir.join(LAST_BACKUP_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let restore = last_backup
        .as_ref()
        .map(|b| restore_command(data_dir, Path::new(&b.path)));
    DamagedDatabase {
        message: "本工作站的数据库文件已损坏，程序已停止使用它，以免在损坏的数据上继续办理。请关闭本程序，用最近一次校验通过的备份恢复。".into(),
        detail: detail.to_string(),
        data_dir: data_dir.display().to_string(),
        last_backup,
        restore_command: restore,
    }
}

// ---- Restore ----

/// What restoring `from` into `data_dir` would do: verifies the generation and
/// compares its journal with the database in place.
/// `keys` are the data directory's (a backup is encrypted with them; on a new
/// machine `regdesk key import` brings them first).
pub fn restore_plan(data_dir: &Path, from: &Path, keys: &StationKeys) -> Result<RestorePlan> {
    let report = verify_generation(from, keys)?;
    if !report.ok {
        let hint = match generation_names(from) {
            Ok(names) if !names.is_empty() => format!(
                "。{} 是备份目录，请指定其中的一代，如最新的：{}",
                from.display(),
                from.join(&names[0]).display()
            ),
            _ => String::new(),
        };
        return Err(StoreError::Refused {
            code: "backup_not_verified".into(),
            message: format!("不能用这代备份恢复：{}{hint}", report.message),
        });
    }
    let manifest = read_manifest(from).map_err(StoreError::Corrupt)?;
    let key = keys.database();
    let copy = db::connect(&from.join(DB_FILE), &key)?;
    let live_path = data_dir.join(DB_FILE);
    let mut plan = RestorePlan {
        from: from.display().to_string(),
        backup_made_at: manifest.made_at,
        backup_journal_seq: manifest.journal_seq,
        live_journal_seq: None,
        live_problem: None,
        lost_entries: 0,
        lost_cases: 0,
        latest_lost: Vec::new(),
        needs_force: false,
        message: String::new(),
    };
    if live_path.is_file() {
        let live = db::connect(&live_path, &key).and_then(|c| {
            db::check(&c, false)?;
            Ok(c)
        });
        match live.and_then(|c| {
            let head = journal_head(&c)?;
            let shared = common_prefix(&c, &copy, manifest.journal_seq)?;
            Ok((head, entries_after(&c, shared)?))
        }) {
            Ok((head, (count, cases, latest))) => {
                plan.live_journal_seq = Some(head);
                plan.lost_entries = count;
                plan.lost_cases = cases;
                plan.latest_lost = latest;
                plan.needs_force = count > 0;
            }
            Err(e) => plan.live_problem = Some(db::damage(e).to_string()),
        }
    }
    plan.message = if let Some(p) = &plan.live_problem {
        format!("现有数据库读不出（{p}），将以这代备份取代（原文件另存一份）")
    } else if plan.needs_force {
        let named: Vec<String> = plan
            .latest_lost
            .iter()
            .map(|e| {
                format!(
                    "第 {} 条 {} {}（{}）",
                    e.seq,
                    office_time(e.at).format("%Y-%m-%d %H:%M"),
                    e.command,
                    e.serial
                        .clone()
                        .unwrap_or_else(|| format!("{} {}", e.entity, e.entity_id))
                )
            })
            .collect();
        format!(
            "现有数据库比这代备份新：恢复会丢失备份之后的 {} 条日志记录（涉及 {} 件案件），最近的是：{}。确要恢复请加 --force（现有数据库会另存一份）",
            plan.lost_entries,
            plan.lost_cases,
            named.join("；")
        )
    } else if plan.live_journal_seq.is_some() {
        "现有数据库没有这代备份之后的办理记录，恢复不会丢失任何办理".into()
    } else {
        "数据目录中没有数据库，将以这代备份建立".into()
    };
    Ok(plan)
}

/// `regdesk restore FROM [--force]` (the app closed): restores a verified
/// generation into `data_dir`. Refuses, saying what would be lost, when the
/// database in place holds work the backup lacks, unless `force`. The
/// replaced database is moved aside first and put back if the restored one
/// does not open and verify; it is kept when it held work the backup lacks or
/// was damaged, and removed otherwise.
pub fn restore(
    data_dir: &Path,
    from: &Path,
    force: bool,
    clock: Arc<dyn Clock>,
    keys: &StationKeys,
) -> Result<RestoreReport> {
    let plan = restore_plan(data_dir, from, keys)?;
    if plan.needs_force && !force {
        return Err(StoreError::Refused {
            code: "restore_would_lose_work".into(),
            message: plan.message.clone(),
        });
    }
    crate::documents::private_dir(data_dir)?;
    let now = clock.now();
    let live_path = data_dir.join(DB_FILE);
    let side = data_dir.join(format!("before-restore-{}", office_time(now).format("%Y%m%d-%H%M%S")));
    let mut moved_aside = false;
    if live_path.is_file() {
        if plan.live_problem.is_none() {
            // Everything committed goes into the main file before it moves.
            let c = db::connect(&live_path, &keys.database())?;
            c.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        }
        crate::documents::private_dir(&side)?;
        for suffix in ["", "-wal", "-shm"] {
            let from_f = data_dir.join(format!("{DB_FILE}{suffix}"));
            if from_f.exists() {
                std::fs::rename(&from_f, side.join(format!("{DB_FILE}{suffix}")))?;
            }
        }
        moved_aside = true;
    }
    let put_back = || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(data_dir.join(format!("{DB_FILE}{suffix}")));
            let f = side.join(format!("{DB_FILE}{suffix}"));
            if f.exists() {
                let _ = std::fs::rename(&f, data_dir.join(format!("{DB_FILE}{suffix}")));
            }
        }
        let _ = std::fs::remove_dir(&side);
    };
    let outcome = (|| -> Result<AuditReport> {
        let manifest = read_manifest(from).map_err(StoreError::Corrupt)?;
        // The generation's attachments were verified above; copied as they are stored.
        for f in &manifest.files {
            copy_synced(&blob_path(from, &f.sha256), &blob_path(data_dir, &f.sha256))?;
        }
        let tmp = data_dir.join(format!("{DB_FILE}.restoring"));
        copy_synced(&from.join(DB_FILE), &tmp)?;
        std::fs::rename(&tmp, &live_path)?;
        let store = Store::open_with_keys(data_dir, clock.clone(), keys.clone())?;
        store.check_integrity()?;
        // The chain itself; the signed head is ahead of the older database until after_restore re-sets it.
        let audit = crate::audit::verify_chain(&store.conn())?;
        if !audit.ok {
            return Err(StoreError::Corrupt(format!("恢复后的数据库{}", audit.message)));
        }
        store.after_restore(&plan)?;
        store.verify_audit()
    })();
    let audit = match outcome {
        Ok(a) => a,
        Err(e) => {
            if moved_aside {
                put_back();
            } else {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(data_dir.join(format!("{DB_FILE}{suffix}")));
                }
            }
            return Err(StoreError::Refused {
                code: "restore_failed".into(),
                message: format!("恢复失败，原数据库未动：{e}"),
            });
        }
    };
    let keep_side = moved_aside && (plan.lost_entries > 0 || plan.live_problem.is_some());
    if moved_aside && !keep_side {
        std::fs::remove_dir_all(&side)?;
    }
    let side_copy = keep_side.then(|| side.display().to_string());
    let message = format!(
        "已用 {} 的备份恢复（至第 {} 条日志），{}{}",
        office_time(plan.backup_made_at).format("%Y-%m-%d %H:%M"),
        plan.backup_journal_seq,
        audit.message,
        side_copy
            .as_ref()
            .map(|s| format!("；原数据库另存在 {s}"))
            .unwrap_or_default()
    );
    Ok(RestoreReport {
        plan,
        side_copy,
        audit,
        message,
    })
}
