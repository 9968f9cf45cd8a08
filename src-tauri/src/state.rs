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
    /// When the database is damaged: what the screen shows instead of sign-in —
    /// found at open, or by the checks a large database leaves for after it
    /// opened (`Store::deferred_check`, run on a thread of their own).
    pub(crate) damaged: Arc<Mutex<Option<DamagedDatabase>>>,
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
            Err(e) => (Err(ApiError::from(e)), Arc::new(Mutex::new(None))),
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
                let damaged = Arc::new(Mutex::new(damaged));
                if let Some(check) = opened.as_ref().ok().and_then(Store::deferred_check) {
                    let found = Arc::clone(&damaged);
                    let spawned = std::thread::Builder::new()
                        .name("integrity-check".into())
                        .spawn(move || {
                            if let Err(StoreError::Damaged { detail }) = check.run(chrono::Utc::now()) {
                                *found.lock().unwrap_or_else(|p| p.into_inner()) =
                                    Some(regdesk_store::backup::damaged_database(&dir, &detail));
                            }
                        });
                    // No thread to spare: the next start checks again (the week's full check is not noted).
                    drop(spawned);
                }
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

    /// The store; once the background check found the file damaged, every
    /// command is refused as the open would have refused it, and the screen
    /// switches to the way back.
    pub(crate) fn store(&self) -> Result<&Store, ApiError> {
        if let Some(d) = self.damaged_database() {
            if self.store.is_ok() {
                return Err(StoreError::Damaged { detail: d.detail }.to_api());
            }
        }
        self.store.as_ref().map_err(Clone::clone)
    }

    /// What the damaged-database screen shows, if the file was found damaged.
    pub(crate) fn damaged_database(&self) -> Option<DamagedDatabase> {
        self.damaged.lock().unwrap_or_else(|p| p.into_inner()).clone()
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
