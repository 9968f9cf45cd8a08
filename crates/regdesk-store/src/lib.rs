//! The case manager on SQLite (案件管理存储).
//!
//! Invariant: every state change is one command → one `IMMEDIATE` transaction
//! that updates the tables, appends one journal entry (the sync outbox) and one
//! hash-chained audit entry. See [`Store::run`]. Reads never write.
//!
//! Time comes from the [`Clock`] the store was opened with; nothing here reads
//! the system clock behind the caller's back.

mod access;
mod applicants;
mod audit;
pub mod bindings;
mod calendar;
mod cases;
mod codes;
mod db;
pub mod demo;
mod documents;
mod error;
mod files;
mod forms;
mod journal;
mod offices;
mod payments;
mod proofs;
mod queues;
mod review;
mod session;
mod settings;
mod staff;
mod views;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

pub use access::{AccessLogEntry, AccessLogInput};
pub use applicants::{
    ApplicantView, ChangeCategoryInput, ConsequenceView, FindApplicantsInput, IdCheckInput, IdCheckView,
    UpdateApplicantInput,
};
pub use audit::AuditReport;
pub use calendar::{CalendarYearView, LoadCalendarInput, LoadedYear};
pub use cases::{
    station_code, AttributionCheckInput, CaseDetail, CaseKey, CaseRef, RecordSignatureInput, SaveDraftInput,
};
pub use db::{data_dir, DB_FILE, SCHEMA_VERSION};
pub use documents::{private_dir, DEFAULT_DOCUMENT_MAX_AGE_DAYS, DOCUMENT_FOLDERS};
pub use error::{ApiError, ErrorKind, Result, StoreError};
pub use files::{mime_of, AddFileInput, FileView};
pub use forms::chinese_date;
pub use offices::{OfficeCounts, OfficeNode};
pub use payments::*;
pub use proofs::{AddProofInput, IdentityProofView};
pub use queues::{
    CaseHit, CasePage, CaseRow, CaseSearchInput, CaseSearchResult, DeskInput, DeskOverview, QueueCount, QueueInput,
    QueueSort, QueueSortKey,
};
pub use review::*;
pub use session::Session;
pub use views::*;

/// The source of "now" for every command.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock (used by the desktop app and the CLI).
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved (tests, demo data).
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(t: DateTime<Utc>) -> Self {
        FixedClock(Mutex::new(t))
    }
    pub fn set(&self, t: DateTime<Utc>) {
        if let Ok(mut g) = self.0.lock() {
            *g = t;
        }
    }
    pub fn advance(&self, d: chrono::Duration) {
        if let Ok(mut g) = self.0.lock() {
            *g += d;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|g| *g).unwrap_or_else(|p| *p.into_inner())
    }
}

/// The office's local offset from UTC (China Standard Time).
pub const OFFICE_UTC_OFFSET_HOURS: i32 = 8;

/// The office's calendar date of an instant.
pub fn office_date(t: DateTime<Utc>) -> chrono::NaiveDate {
    chrono::FixedOffset::east_opt(OFFICE_UTC_OFFSET_HOURS * 3600)
        .map(|o| t.with_timezone(&o).date_naive())
        .unwrap_or_else(|| t.date_naive())
}

/// One workstation's database.
pub struct Store {
    conn: Mutex<Connection>,
    clock: Arc<dyn Clock>,
    station_id: String,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database in `dir`, migrating it to the current schema.
    pub fn open(dir: &Path, clock: Arc<dyn Clock>) -> Result<Store> {
        documents::private_dir(dir)?;
        let path = dir.join(DB_FILE);
        let mut conn = db::connect(&path)?;
        db::migrate(&mut conn)?;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            documents::private_file(Path::new(&name))?;
        }
        let station_id = db::ensure_station(&conn, clock.now())?;
        let store = Store {
            conn: Mutex::new(conn),
            clock,
            station_id,
            path,
        };
        // Old prints and exports can always be rendered again; a folder that
        // cannot be swept does not stop the store from opening.
        let _ = store.sweep_documents(DEFAULT_DOCUMENT_MAX_AGE_DAYS);
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This workstation's id (UUID v7, made when the database was created).
    pub fn station_id(&self) -> &str {
        &self.station_id
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-done transaction
        // (rusqlite rolls back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}
