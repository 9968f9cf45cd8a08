//! The case manager on SQLite (案件管理存储).
//!
//! Invariant: every state change is one command → one `IMMEDIATE` transaction
//! that updates the tables, appends one journal entry (the sync outbox) and one
//! hash-chained audit entry. See [`Store::run`]. Reads never write.
//!
//! Time comes from the [`Clock`] the store was opened with; nothing here reads
//! the system clock behind the caller's back.

mod access;
pub mod anchor;
mod applicants;
mod audit;
pub mod backup;
pub mod bindings;
mod calendar;
mod cases;
mod certificates;
mod checkpoint;
mod codes;
mod db;
mod delivery;
pub mod demo;
mod documents;
mod error;
mod files;
mod forms;
mod grams;
mod inbox_fields;
mod intake;
mod journal;
pub mod keys;
mod numbers;
mod offices;
mod payments;
mod proofs;
mod queues;
mod register;
mod review;
mod rows;
mod scope;
mod session;
mod settings;
mod signing;
mod staff;
mod stats;
mod sync;
mod views;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

pub use access::{AccessLogEntry, AccessLogInput};
pub use anchor::{HeadKey, HEAD_FILE};
pub use applicants::{
    ApplicantView, ChangeCategoryInput, ConsequenceView, FindApplicantsInput, IdCheckInput, IdCheckView,
    UpdateApplicantInput,
};
pub use audit::{
    AuditHead, AuditProblem, AuditProblemKind, AuditReport, ResetAnchorInput, ServerComparison, MAX_PROBLEMS,
};
pub use calendar::{CalendarYearView, LoadCalendarInput, LoadedYear};
pub use cases::{
    station_code, AttributionCheckInput, CaseDetail, CaseKey, CaseRef, RecordSignatureInput, SaveDraftInput,
};
pub use certificates::{
    certificate_date, parse_printer_list, CalibrationInput, CertificateModeInput, CertificatePage, CertificateProgress,
    CertificateQueueFilter, CertificateRow, CertificateSettingsView, CertificateSheetView, LetterEntryView,
    LetterTableView, LetterTablesView, PrintCertificatesInput, PrintSummary, PrintedCertificates, PrinterInput,
    PrinterView, SetLettersInput, SkippedCertificate, SystemPrinters, VerificationUrlInput, VoidSheetInput,
    CERTIFICATE_COUNT_CAP, CERTIFICATE_PAGE, CERTIFICATE_PAGE_MAX,
};
pub use db::{connect, data_dir, DeferredCheck, DB_FILE, FULL_CHECK_EVERY_DAYS, OPEN_CHECK_MAX_BYTES, SCHEMA_VERSION};
pub use delivery::{
    DeliveredCase, DeliverySettingsView, HandOverInput, HandoverView, MailCaseRow, MailDesk, PickupFindInput,
    PickupRow, PrepareShipmentsInput, ScanWaybillInput, ShipCasesInput, ShipmentView, ShipmentsInput,
    ShippingListInput, UpdateDeliverySettingsInput,
};
pub use documents::{private_dir, DocumentFolder, DEFAULT_DOCUMENT_MAX_AGE_DAYS, DOCUMENT_FOLDERS};
pub use error::{ApiError, ErrorKind, Result, StoreError};
pub use files::{mime_of, AddFileInput, BlobReader, FileFetchProgress, FileView};
pub use forms::chinese_date;
pub use intake::{
    BatchSubmitView, FilingImportView, ImportFilingsInput, IntakeProgress, IntakeRowView, SubmitManyInput,
};
pub use journal::COMMANDS;
pub use numbers::{LeaseHoldingView, NumberSeriesView, NumbersAuditView};
pub use offices::{OfficeCounts, OfficeNode};
pub use payments::*;
pub use proofs::{AddProofInput, IdentityProofView};
pub use queues::{
    CaseHit, CasePage, CaseRow, CaseSearchInput, CaseSearchResult, DeskInput, DeskOverview, QueueCount, QueueInput,
    QueueSort, QueueSortKey,
};
pub use register::{
    CounterView, HistoricView, RegisterImportInput, RegisterImportView, RevokeHistoricInput, SetCounterInput,
};
pub use review::*;
pub use session::Session;
pub use signing::{
    BatchCasesInput, BatchSignatureInput, BatchSignerCaseView, BatchSignerView, BatchSigningSettingInput,
    BatchSigningView,
};
pub use stats::{
    AnnouncementRow, AnnouncementView, BacklogPoint, DurationMonth, FormColumnView, FormRow, MonthCompare,
    MonthlyFormView, ReportExportInput, ReportFormat, ReportKind, ShareRow, StageCount, StatsInput, SummaryView,
    SupervisorView, WorkloadRow,
};
pub use sync::{
    command_words, DiscardInboxInput, EnrolInput, InboxFieldView, InboxItemView, InboxLineView, InboxRowView,
    RedoneInboxInput, SnapshotProgress, SyncStatusView,
};
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
    keys: keys::StationKeys,
    /// The tables whose rows the audit chain covers (`rows.rs`).
    audited: Vec<rows::AuditedTable>,
    /// Where the chain's head is kept outside the database, signed with the
    /// station's audit head key (`anchor.rs`).
    anchor: Box<dyn anchor::HeadAnchor>,
    /// The integrity checks left for after the open (a large file).
    deferred_check: Option<db::DeferredCheck>,
    /// The thread that checkpoints the write-ahead log off the commands' path.
    checkpoint: checkpoint::Checkpointer,
}

impl Store {
    /// Opens (creating if needed) the database in `dir`, migrating it to the
    /// current schema, with the station's keys found (or, for a new data
    /// directory, made) as [`keys`] describes.
    ///
    /// Every open of a database up to [`OPEN_CHECK_MAX_BYTES`] runs SQLite's
    /// `quick_check`, and the full `integrity_check` when the last one passed
    /// more than [`FULL_CHECK_EVERY_DAYS`] days ago; a damaged file is refused
    /// with [`StoreError::Damaged`]. A larger file opens at once and leaves
    /// the same checks to [`Store::deferred_check`].
    pub fn open(dir: &Path, clock: Arc<dyn Clock>) -> Result<Store> {
        let keys = keys::station_keys(dir, keys::KeyUse::OpenOrCreate)?;
        Store::open_with_keys(dir, clock, keys)
    }

    /// Opens the database in `dir` with the given keys. A plain database (from
    /// before encryption) is migrated, converted and verified first; plain
    /// attachments are encrypted likewise. Each command moves the signed head
    /// in `dir/audit-head.json`, signed with the keys' audit head key.
    pub fn open_with_keys(dir: &Path, clock: Arc<dyn Clock>, keys: keys::StationKeys) -> Result<Store> {
        Store::open_checking(dir, clock, keys, OPEN_CHECK_MAX_BYTES)
    }

    /// [`Store::open_with_keys`], checking the file at open when it is at
    /// most `check_up_to` bytes.
    pub(crate) fn open_checking(
        dir: &Path,
        clock: Arc<dyn Clock>,
        keys: keys::StationKeys,
        check_up_to: u64,
    ) -> Result<Store> {
        documents::private_dir(dir)?;
        let path = dir.join(DB_FILE);
        let db_key = keys.database();
        if db::header_of(&path)? == db::Header::Plain {
            db::convert_plain(&path, &db_key)?;
        }
        // With the keys this data directory's own, a file that cannot be
        // decrypted is most likely damaged: the way back is the last backup
        // (or, if the key itself was replaced, `regdesk key import`).
        let mut conn = db::connect(&path, &db_key).map_err(|e| match e {
            StoreError::Key(keys::KeyError::Wrong { .. }) => StoreError::Damaged {
                detail: format!("数据库文件无法解开：文件已损坏，或本机保存的密钥不是这个数据目录的（{e}）"),
            },
            other => db::damage(other),
        })?;
        // A small file is checked now; a large one after the store opened
        // (`Store::deferred_check`), so that the sign-in does not wait on it.
        let check_now = db::checked_at_open(&path, check_up_to);
        if check_now {
            db::check(&conn, false)?;
        }
        db::migrate(&mut conn).map_err(db::damage)?;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            documents::private_file(Path::new(&name))?;
        }
        let station_id = db::ensure_station(&conn, clock.now()).map_err(db::damage)?;
        if check_now {
            db::weekly_check(&conn, clock.now())?;
        }
        let deferred_check = (!check_now).then(|| db::DeferredCheck::new(&path, db_key.clone()));
        // The log is checkpointed by a thread of the store's (`checkpoint.rs`);
        // the command connection only when that one falls far behind.
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::SAFETY_AUTOCHECKPOINT_PAGES)?;
        let checkpoint = checkpoint::Checkpointer::start(path.clone(), db_key.clone());
        let audited = rows::audited_tables(&conn)?;
        rows::install_capture(&conn, &audited)?;
        let head = anchor::FileAnchor::new(dir, HeadKey::new(*keys.audit_head().as_bytes()));
        head.sweep_temps();
        let store = Store {
            conn: Mutex::new(conn),
            clock,
            station_id,
            path,
            keys,
            audited,
            anchor: Box::new(head),
            deferred_check,
            checkpoint,
        };
        // A database from before row digests records every row once.
        store.audit_baseline()?;
        store.keep_category_letters()?;
        // Columns of the record a newer schema added, held until this one had them.
        store.apply_held_columns()?;
        store.encrypt_plain_files()?;
        // Prints and exports an older version left inside the data directory
        // hold personal data in plain form: they move out. Old prints, exports
        // and decrypted views can always be made again; a folder that cannot
        // be swept does not stop the store from opening.
        let _ = store.move_documents_out();
        let _ = store.sweep_documents(DEFAULT_DOCUMENT_MAX_AGE_DAYS);
        let _ = store.sweep_views(std::time::Duration::ZERO);
        Ok(store)
    }

    /// The station's keys (for the signed audit head: [`keys::StationKeys::audit_head`]).
    pub fn keys(&self) -> &keys::StationKeys {
        &self.keys
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

    /// The integrity checks this open left for later (a database larger than
    /// [`OPEN_CHECK_MAX_BYTES`]), to run off the command path — the desk runs
    /// them on a thread of their own after it started; `None` when the open
    /// checked the file itself.
    pub fn deferred_check(&self) -> Option<DeferredCheck> {
        self.deferred_check.clone()
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-done transaction
        // (rusqlite rolls back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}
