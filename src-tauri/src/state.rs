//! The shell's state: the store and who is signed in at this workstation.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};

use regdesk_store::backup::DamagedDatabase;
use regdesk_store::{ApiError, Session, Store, StoreError, SystemClock};

use crate::sync::SyncRunner;
use crate::Options;

/// The shell's state: the store (or why it could not open) and who is signed in.
pub struct AppState {
    pub(crate) store: Result<Store, ApiError>,
    /// When the database is damaged: what the screen shows instead of sign-in.
    pub(crate) damaged: Option<DamagedDatabase>,
    pub(crate) session: Mutex<Option<Session>>,
    /// Set by 取消 while a bank statement is being matched (read without the store's lock).
    pub(crate) import_cancel: AtomicBool,
    /// Set by 取消 while a batch of filings is being imported (read between rows).
    pub(crate) intake_cancel: AtomicBool,
    /// Set by 取消 while certificates are being printed (read without the store's lock).
    pub(crate) print_cancel: AtomicBool,
    /// The background sync with the central server (an enrolled station only).
    pub(crate) sync: SyncRunner,
}

impl AppState {
    pub fn open(opts: &Options) -> AppState {
        let (store, damaged) = match regdesk_store::data_dir(opts.data_dir.as_deref()) {
            Err(e) => (Err(ApiError::from(e)), None),
            Ok(dir) => {
                let opened = Store::open(&dir, Arc::new(SystemClock)).and_then(|s| {
                    if opts.demo && s.office()?.is_none() {
                        regdesk_store::demo::fill_office(&s, 24)?;
                    }
                    Ok(s)
                });
                let damaged = match &opened {
                    Err(StoreError::Damaged { detail }) => Some(regdesk_store::backup::damaged_database(&dir, detail)),
                    _ => None,
                };
                (opened.map_err(ApiError::from), damaged)
            }
        };
        AppState {
            store,
            damaged,
            session: Mutex::new(None),
            import_cancel: AtomicBool::new(false),
            intake_cancel: AtomicBool::new(false),
            print_cancel: AtomicBool::new(false),
            sync: SyncRunner::default(),
        }
    }

    pub(crate) fn store(&self) -> Result<&Store, ApiError> {
        self.store.as_ref().map_err(Clone::clone)
    }

    pub(crate) fn session(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The current session, or the error the screen expects when there is none: a
    /// handle on the one held here (clones share its lock and last activity, so a
    /// command refreshes, or the core's idle lock locks, the held session).
    pub(crate) fn current(&self) -> Result<Session, ApiError> {
        self.session().clone().ok_or_else(|| StoreError::NotSignedIn.to_api())
    }

    /// Runs `f` with the store and the current session; a session the store no
    /// longer accepts (account disabled meanwhile) is dropped. Work left for
    /// the server afterwards pokes the background sync to push it at once.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&Store, &Session) -> Result<T, StoreError>) -> Result<T, ApiError> {
        let store = self.store()?;
        let s = self.current()?;
        let result = f(store, &s).map_err(|e| {
            if e.ends_session() {
                *self.session() = None;
            }
            e.to_api()
        });
        if result.is_ok() && self.sync.is_running() && store.outbox_len().unwrap_or(0) > 0 {
            self.sync.poke();
        }
        result
    }
}

/// What a command answers: its result, or the error the screen shows.
pub type Res<T> = Result<T, ApiError>;
