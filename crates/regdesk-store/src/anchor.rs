//! The audit anchor (审计锚点): the head of the chain (its sequence number and
//! entry hash) kept outside the database and signed with a key that is not in
//! it, so that deleting the last entries — which leaves a chain that is whole
//! as far as it goes — is found, and numbers are never given twice.
//!
//! Standalone, the anchor is a file beside the database ([`HEAD_FILE`]),
//! signed with HMAC-SHA256 under the station's head key (the key lives outside
//! the data directory: whoever can edit the database with sqlite3 cannot sign
//! a head). Once a station is enrolled the central server holds the head
//! instead; [`HeadAnchor`] is the one interface both keep.
//!
//! The file is rewritten after each committed command: the new head is
//! written to a temporary file inside the command's write lock (a full disk
//! fails the command, which rolls back), and renamed over the head once the
//! command has committed, under a lock file so that a slower process never
//! puts an older head back.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{Result, StoreError};

/// The signed head's file in the data directory.
pub const HEAD_FILE: &str = "audit-head.json";
const LOCK_FILE: &str = "audit-head.lock";
const TEMP_PREFIX: &str = "audit-head.json.tmp-";
const FORMAT: u32 = 1;

/// The key that signs the audit head: 32 bytes derived from the station's
/// master secret (`keys::StationKeys::audit_head`), never stored in the data
/// directory. Its `Debug` shows no bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct HeadKey([u8; 32]);

impl HeadKey {
    pub fn new(bytes: [u8; 32]) -> HeadKey {
        HeadKey(bytes)
    }

    /// A key written as 64 hexadecimal digits (surrounding white space ignored).
    pub fn from_hex(text: &str) -> Result<HeadKey> {
        let bytes = hex::decode(text.trim()).map_err(|_| bad_key())?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| bad_key())?;
        Ok(HeadKey(bytes))
    }
}

fn bad_key() -> StoreError {
    StoreError::AuditAnchor("审计锚点密钥应为 64 位十六进制数字（32 字节），请检查密钥文件".into())
}

impl fmt::Debug for HeadKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HeadKey(<redacted>)")
    }
}

/// The head of the chain as the anchor keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedHead {
    pub format: u32,
    pub station_id: String,
    /// The last entry's sequence number.
    pub seq: i64,
    /// The last entry's `audit.entry_hash`.
    pub entry_hash: String,
    pub at: DateTime<Utc>,
    /// The first entry written while the anchor before it was missing or
    /// failed its check; carried into every later head until an administrator
    /// resets the anchor (`Store::reset_audit_anchor`), so that a lost anchor
    /// is never papered over by the next command.
    pub unanchored_since: Option<i64>,
    /// HMAC-SHA256 of the fields above (hex).
    pub mac: String,
}

/// What the anchor holds now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadState {
    /// No head was ever written.
    Missing,
    /// A head whose signature or station does not check out.
    Invalid(String),
    Valid(SignedHead),
}

/// A head written but not yet in force (see [`HeadAnchor::stage`]); one
/// dropped unpublished (the command failed to commit) is removed.
pub struct StagedHead {
    temp: PathBuf,
    seq: i64,
}

impl Drop for StagedHead {
    fn drop(&mut self) {
        // After a publish the temporary file has been renamed and is gone.
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// Where the chain's head is kept outside the database: a signed file now,
/// the central server once the station is enrolled.
pub trait HeadAnchor: Send + Sync {
    /// The head as the anchor holds it, checked.
    fn read(&self, station_id: &str) -> HeadState;
    /// Prepares a new head inside the command's write lock; an error fails the command.
    fn stage(&self, head: Head) -> Result<StagedHead>;
    /// Puts a staged head in force after the command committed, unless a
    /// later head is already there.
    fn publish(&self, staged: StagedHead);
    /// Where the head is kept, for messages.
    fn describe(&self) -> String;
}

/// The fields of a head, before signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub station_id: String,
    pub seq: i64,
    pub entry_hash: String,
    pub at: DateTime<Utc>,
    pub unanchored_since: Option<i64>,
}

fn message(h: &Head) -> String {
    format!(
        "regdesk-audit-head/{FORMAT}\n{}\n{}\n{}\n{}\n{}",
        h.station_id,
        h.seq,
        h.entry_hash,
        h.at.to_rfc3339_opts(SecondsFormat::Nanos, true),
        h.unanchored_since.map(|s| s.to_string()).unwrap_or_default()
    )
}

fn mac(key: &HeadKey) -> Result<Hmac<Sha256>> {
    <Hmac<Sha256> as Mac>::new_from_slice(&key.0).map_err(|_| bad_key())
}

/// Signs a head.
pub fn sign(key: &HeadKey, head: Head) -> Result<SignedHead> {
    let mut m = mac(key)?;
    m.update(message(&head).as_bytes());
    let tag = hex::encode(m.finalize().into_bytes());
    Ok(SignedHead {
        format: FORMAT,
        station_id: head.station_id,
        seq: head.seq,
        entry_hash: head.entry_hash,
        at: head.at,
        unanchored_since: head.unanchored_since,
        mac: tag,
    })
}

/// Checks a signed head's signature (in constant time) and station.
pub fn check(key: &HeadKey, signed: &SignedHead, station_id: &str) -> std::result::Result<(), String> {
    if signed.format != FORMAT {
        return Err(format!("锚点格式 {} 无法识别", signed.format));
    }
    let head = Head {
        station_id: signed.station_id.clone(),
        seq: signed.seq,
        entry_hash: signed.entry_hash.clone(),
        at: signed.at,
        unanchored_since: signed.unanchored_since,
    };
    let tag = hex::decode(&signed.mac).map_err(|_| "签名不是十六进制数字".to_string())?;
    let mut m = mac(key).map_err(|e| e.to_string())?;
    m.update(message(&head).as_bytes());
    m.verify_slice(&tag)
        .map_err(|_| "签名不符（锚点被改动或伪造，或密钥不是本工作站的）".to_string())?;
    if signed.station_id != station_id {
        return Err("锚点属于别的工作站".into());
    }
    Ok(())
}

/// The signed head in a file beside the database.
pub struct FileAnchor {
    dir: PathBuf,
    key: HeadKey,
}

impl FileAnchor {
    pub fn new(dir: &Path, key: HeadKey) -> FileAnchor {
        FileAnchor {
            dir: dir.to_path_buf(),
            key,
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.join(HEAD_FILE)
    }

    fn read_file(&self, path: &Path) -> HeadState {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return HeadState::Missing,
            Err(e) => return HeadState::Invalid(format!("读不出锚点文件：{e}")),
        };
        match serde_json::from_str::<SignedHead>(&text) {
            Ok(h) => HeadState::Valid(h),
            Err(e) => HeadState::Invalid(format!("锚点文件无法解析：{e}")),
        }
    }

    /// Removes temporary heads a crash left behind (older than an hour, so a
    /// command in flight in another process keeps its own).
    pub fn sweep_temps(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let hour = std::time::Duration::from_secs(3600);
        for e in entries.flatten() {
            let stale = e.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
                && e.metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > hour);
            if stale {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

impl HeadAnchor for FileAnchor {
    fn read(&self, station_id: &str) -> HeadState {
        match self.read_file(&self.path()) {
            HeadState::Valid(h) => match check(&self.key, &h, station_id) {
                Ok(()) => HeadState::Valid(h),
                Err(why) => HeadState::Invalid(why),
            },
            other => other,
        }
    }

    fn stage(&self, head: Head) -> Result<StagedHead> {
        let seq = head.seq;
        let signed = sign(&self.key, head)?;
        let text = serde_json::to_string_pretty(&signed).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let temp = self.dir.join(format!("{TEMP_PREFIX}{}-{seq}", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = OpenOptions::new().write(true).create_new(true).open(&temp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            StoreError::AuditAnchor(format!("写不进审计锚点文件（{}）：{e}", self.dir.display()))
        })?;
        crate::documents::private_file(&temp)?;
        Ok(StagedHead { temp, seq })
    }

    fn publish(&self, staged: StagedHead) {
        // A head that cannot be put in force leaves the anchor behind the
        // chain, which `audit verify` reports; the next command writes it again.
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(LOCK_FILE))
            .and_then(|f: File| f.lock().map(|()| f));
        let newer_in_force = match self.read_file(&self.path()) {
            HeadState::Valid(h) => check(&self.key, &h, &h.station_id).is_ok() && h.seq >= staged.seq,
            _ => false,
        };
        if !newer_in_force && std::fs::rename(&staged.temp, self.path()).is_ok() {
            if let Ok(d) = File::open(&self.dir) {
                // Make the rename itself durable (Unix; elsewhere this is a no-op or refused).
                let _ = d.sync_all();
            }
        }
        if let Ok(f) = lock {
            let _ = f.unlock();
        }
    }

    fn describe(&self) -> String {
        format!("锚点文件 {}", self.path().display())
    }
}
