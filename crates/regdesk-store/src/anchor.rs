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
//! The file is rewritten after each committed command, off the command's
//! path so that the command's only fsync is its commit: the command signs the
//! new head inside its write lock and, once committed, hands it to the
//! store's one head writer (a thread per open store), which writes a
//! temporary file (fsync), renames it over the head under a lock file so that
//! a slower process never puts an older head back, and makes the rename
//! durable (directory fsync). Heads handed over while it writes are
//! coalesced: only the newest is written. Until it is written the store
//! numbers its next command after the head it handed over, not the older one
//! in the file. Closing the store (dropping it) writes the last head before
//! it returns, so a command-line run that exits right after a save leaves
//! its head in force.
//!
//! A crash between the commit and the head's write leaves the head behind the
//! chain, which is tolerated (the entries it does not name are still chained
//! and digested; only the newest few are not yet anchored). A head that
//! cannot be written (a full disk, a directory that refuses the file) does
//! not fail the command — a filing is never lost for its anchor — and is
//! reported instead: [`HeadAnchor::flush`] says why, `audit verify` names it,
//! and the next command writes its own head again.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

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

/// A head signed inside the command's write lock and put in force (see
/// [`HeadAnchor::publish`]) once the command has committed; one dropped
/// unpublished (the command failed to commit) is simply forgotten.
pub struct StagedHead {
    signed: SignedHead,
}

/// Where the chain's head is kept outside the database: a signed file now,
/// the central server once the station is enrolled.
pub trait HeadAnchor: Send + Sync {
    /// The head in force for the next command: the one the anchor holds,
    /// or a newer one this store has committed and is still writing.
    fn read(&self, station_id: &str) -> HeadState;
    /// Signs the new head inside the command's write lock (no I/O); an error fails the command.
    fn stage(&self, head: Head) -> Result<StagedHead>;
    /// Hands a staged head over after the command committed and returns at
    /// once: it is put in force off the command's path, unless a later head
    /// is already there.
    fn publish(&self, staged: StagedHead);
    /// Waits until every head handed over is written (or failed), and says
    /// why the last write failed, if it did.
    fn flush(&self) -> Option<String>;
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

/// The signed head in a file beside the database, written by one writer
/// thread per store so that a command's only fsync is its commit.
pub struct FileAnchor {
    shared: Arc<Shared>,
    /// The writer; `None` if it could not be started (heads are then written
    /// by the command itself, as before).
    writer: Option<JoinHandle<()>>,
}

/// What the command side and the writer share.
struct Shared {
    dir: PathBuf,
    key: HeadKey,
    slot: Mutex<Slot>,
    changed: Condvar,
}

#[derive(Default)]
struct Slot {
    /// The newest head handed over and not yet taken by the writer (a newer
    /// one replaces it: only the newest matters).
    queued: Option<SignedHead>,
    /// The head being written now.
    writing: Option<SignedHead>,
    /// Why the last write failed; cleared by the next that succeeds.
    failure: Option<String>,
    /// The store is closing: write what is queued, then stop.
    closed: bool,
}

/// Makes each temporary head's name unique within the process (two stores of
/// one process may share a data directory).
static TEMP_NONCE: AtomicU64 = AtomicU64::new(0);

impl Shared {
    fn slot(&self) -> MutexGuard<'_, Slot> {
        // The writer never panics holding the lock; a poisoned one holds plain data.
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn path(&self) -> PathBuf {
        self.dir.join(HEAD_FILE)
    }

    /// Writes a head: a temporary file (fsync), renamed over the head under
    /// the lock file unless a later head is already there, then the
    /// directory (fsync) so that the rename itself is durable.
    fn write(&self, head: &SignedHead) -> std::result::Result<(), String> {
        let failed = |e: &dyn fmt::Display| format!("写不进审计锚点文件（{}）：{e}", self.dir.display());
        let text = serde_json::to_string_pretty(head).map_err(|e| failed(&e))?;
        let temp = self.dir.join(format!(
            "{TEMP_PREFIX}{}-{}-{}",
            std::process::id(),
            head.seq,
            TEMP_NONCE.fetch_add(1, Ordering::Relaxed)
        ));
        let staged = || -> std::io::Result<File> {
            let mut f = OpenOptions::new().write(true).create_new(true).open(&temp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            crate::documents::private_file(&temp)?;
            let lock = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(self.dir.join(LOCK_FILE))?;
            lock.lock()?;
            Ok(lock)
        };
        let lock = staged().map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            failed(&e)
        })?;
        let newer_in_force = match read_file(&self.path()) {
            HeadState::Valid(h) => check(&self.key, &h, &h.station_id).is_ok() && h.seq >= head.seq,
            _ => false,
        };
        let done = if newer_in_force {
            let _ = std::fs::remove_file(&temp);
            Ok(())
        } else {
            match std::fs::rename(&temp, self.path()) {
                Ok(()) => {
                    if let Ok(d) = File::open(&self.dir) {
                        // Make the rename itself durable (Unix; elsewhere this is a no-op or refused).
                        let _ = d.sync_all();
                    }
                    Ok(())
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&temp);
                    Err(failed(&e))
                }
            }
        };
        let _ = lock.unlock();
        done
    }

    /// The writer's loop: takes the newest queued head, writes it, and
    /// stops once the store is closing and nothing is queued.
    fn run(&self) {
        let mut slot = self.slot();
        loop {
            if let Some(head) = slot.queued.take() {
                slot.writing = Some(head.clone());
                drop(slot);
                let done = self.write(&head);
                slot = self.slot();
                slot.writing = None;
                slot.failure = done.err();
                self.changed.notify_all();
            } else if slot.closed {
                return;
            } else {
                slot = self.changed.wait(slot).unwrap_or_else(|p| p.into_inner());
            }
        }
    }
}

fn read_file(path: &Path) -> HeadState {
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

impl FileAnchor {
    /// The anchor of the data directory `dir`, with its writer started.
    pub fn new(dir: &Path, key: HeadKey) -> FileAnchor {
        let shared = Arc::new(Shared {
            dir: dir.to_path_buf(),
            key,
            slot: Mutex::new(Slot::default()),
            changed: Condvar::new(),
        });
        let theirs = Arc::clone(&shared);
        let writer = std::thread::Builder::new()
            .name("regdesk-audit-head".into())
            .spawn(move || theirs.run())
            .ok();
        FileAnchor { shared, writer }
    }

    /// Whether the writer is running (a writer that has stopped cannot be waited for).
    fn writer_running(&self) -> bool {
        self.writer.as_ref().is_some_and(|w| !w.is_finished())
    }

    /// Removes temporary heads a crash left behind (older than an hour, so a
    /// head being written by another process keeps its own).
    pub fn sweep_temps(&self) {
        let Ok(entries) = std::fs::read_dir(&self.shared.dir) else {
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
        let stored = match read_file(&self.shared.path()) {
            HeadState::Valid(h) => match check(&self.shared.key, &h, station_id) {
                Ok(()) => HeadState::Valid(h),
                Err(why) => HeadState::Invalid(why),
            },
            other => other,
        };
        let pending = {
            let slot = self.shared.slot();
            slot.queued.clone().or_else(|| slot.writing.clone())
        };
        match (pending, stored) {
            (Some(p), HeadState::Valid(h)) if h.seq >= p.seq => HeadState::Valid(h),
            (Some(p), _) => HeadState::Valid(p),
            (None, stored) => stored,
        }
    }

    fn stage(&self, head: Head) -> Result<StagedHead> {
        Ok(StagedHead {
            signed: sign(&self.shared.key, head)?,
        })
    }

    fn publish(&self, staged: StagedHead) {
        // A head that cannot be put in force leaves the anchor behind the
        // chain; `flush` (and so `audit verify`) reports why, and the next
        // command writes its own head again.
        let head = staged.signed;
        if !self.writer_running() {
            let done = self.shared.write(&head);
            self.shared.slot().failure = done.err();
            return;
        }
        let mut slot = self.shared.slot();
        if !matches!(&slot.queued, Some(q) if q.seq >= head.seq) {
            slot.queued = Some(head);
        }
        self.shared.changed.notify_all();
    }

    fn flush(&self) -> Option<String> {
        let mut slot = self.shared.slot();
        while (slot.queued.is_some() || slot.writing.is_some()) && self.writer_running() {
            let (next, _) = self
                .shared
                .changed
                .wait_timeout(slot, Duration::from_millis(100))
                .unwrap_or_else(|p| p.into_inner());
            slot = next;
        }
        // A writer that stopped with a head still queued: write it here.
        if let Some(head) = slot.queued.take() {
            drop(slot);
            let done = self.shared.write(&head);
            slot = self.shared.slot();
            slot.failure = done.err();
        }
        slot.failure.clone()
    }

    fn describe(&self) -> String {
        format!("锚点文件 {}", self.shared.path().display())
    }
}

impl Drop for FileAnchor {
    /// Closing the store puts its last head in force before it returns.
    fn drop(&mut self) {
        self.shared.slot().closed = true;
        self.shared.changed.notify_all();
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        // Anything the writer left (it could not be started, or stopped) is written here.
        let _ = self.flush();
    }
}
