//! The background sync of an enrolled station: one thread running the sync
//! loop (`regdesk_sync::run::watch`) over the open store while the app runs.
//! A local command pokes it so new work goes up at once; every round's status
//! reaches the screen as the `sync-status` event, so the header follows
//! without polling. 立即同步 and enrolment stop the loop, do their work and
//! start it again, so two rounds never run over one store at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use regdesk_store::{ApiError, ErrorKind, Store};
use regdesk_sync::client::SyncClient;
use regdesk_sync::run::{watch, WatchConfig};
use tauri::{Emitter, Manager};
use tokio::sync::{watch as signal, Notify};

use crate::AppState;

/// An attachment coming down from the server ([`regdesk_store::FileFetchProgress`]).
pub(crate) const FILE_FETCH_PROGRESS: &str = "file-fetch-progress";

/// The station's sync status after a round ([`regdesk_store::SyncStatusView`]).
pub(crate) const SYNC_STATUS: &str = "sync-status";

/// Entries from other stations (or the server's additions) were applied: queues reload.
pub(crate) const SYNC_PULLED: &str = "sync-pulled";

/// A first sync's progress ([`regdesk_store::SnapshotProgress`]).
pub(crate) const SNAPSHOT_PROGRESS: &str = "sync-snapshot-progress";

struct Running {
    stop: signal::Sender<bool>,
    thread: JoinHandle<()>,
}

/// The shell's handle on the background sync.
#[derive(Default)]
pub struct SyncRunner {
    poke: Arc<Notify>,
    running: Mutex<Option<Running>>,
    /// Set by 取消 while a first sync is receiving the office's rows.
    pub(crate) snapshot_cancel: AtomicBool,
}

/// A runtime for one sync task on the current thread.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, ApiError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| refusal(format!("无法启动同步所需的网络环境（{e}）：请重新启动程序")))
}

/// An error of the sync client or the network, as the screen shows it.
pub(crate) fn refusal(message: impl Into<String>) -> ApiError {
    ApiError {
        kind: ErrorKind::Refused,
        message: message.into(),
        fields: Vec::new(),
    }
}

impl SyncRunner {
    fn running(&self) -> MutexGuard<'_, Option<Running>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A local command may have added work for the server: push it now.
    pub(crate) fn poke(&self) {
        self.poke.notify_one();
    }

    /// Whether the background loop is running.
    pub(crate) fn is_running(&self) -> bool {
        self.running().is_some()
    }

    /// Starts the loop when the store is open, the station enrolled and its
    /// office's rows all here (a first sync under way finishes first). A
    /// loop already running is left as it is.
    pub(crate) fn start(&self, app: &tauri::AppHandle) {
        let mut running = self.running();
        if running.is_some() {
            return;
        }
        let state = app.state::<AppState>();
        let Ok(store) = state.store() else {
            return;
        };
        if !ready(store) {
            return;
        }
        let (stop, stop_rx) = signal::channel(false);
        let app = app.clone();
        let poke = self.poke.clone();
        let spawned = std::thread::Builder::new()
            .name("sync".into())
            .spawn(move || watch_store(&app, &poke, stop_rx));
        match spawned {
            Ok(thread) => *running = Some(Running { stop, thread }),
            Err(e) => eprintln!("无法启动后台同步：{e}"),
        }
    }

    /// Stops the loop and waits for it (its current request is dropped; the
    /// work it had not had answered stays pending).
    pub(crate) fn stop(&self) {
        let taken = self.running().take();
        if let Some(r) = taken {
            let _ = r.stop.send(true);
            if r.thread.join().is_err() {
                eprintln!("后台同步异常结束");
            }
        }
    }
}

/// Enrolled, and no first sync left to finish.
fn ready(store: &Store) -> bool {
    match store.sync_status() {
        Ok(s) => s.enrolled && s.snapshot.is_none() && store.office().ok().flatten().is_some(),
        Err(_) => false,
    }
}

/// The loop's thread: runs [`watch`] until told to stop, telling the screen
/// the status after every round.
fn watch_store(app: &tauri::AppHandle, poke: &Notify, stop: signal::Receiver<bool>) {
    let state = app.state::<AppState>();
    let Ok(store) = state.store() else {
        return;
    };
    let client = match store.enrolment() {
        Ok(Some(e)) => match SyncClient::new(&e) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("无法启动后台同步：{e}");
                return;
            }
        },
        Ok(None) => return,
        Err(e) => {
            eprintln!("无法启动后台同步：{e}");
            return;
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{}", e.message);
            return;
        }
    };
    rt.block_on(watch(store, &client, poke, stop, WatchConfig::default(), |outcome| {
        if outcome.pulled > 0 {
            let _ = app.emit(SYNC_PULLED, outcome.pulled);
        }
        emit_status(app, store);
    }));
}

/// Tells the screen the station's sync status.
pub(crate) fn emit_status(app: &tauri::AppHandle, store: &Store) {
    match store.sync_status() {
        Ok(s) => {
            let _ = app.emit(SYNC_STATUS, s);
        }
        Err(e) => eprintln!("同步状态读取失败：{e}"),
    }
}

/// The heads of this station's audit chain the office's server recorded:
/// `Ok(None)` while the station works alone, `Err` (why, in words) when the
/// server cannot be asked now.
pub(crate) async fn server_chain(store: &Store) -> Result<Option<Vec<regdesk_sync::protocol::RecordedHead>>, String> {
    let enrolment = match store.enrolment() {
        Ok(None) => return Ok(None),
        Ok(Some(e)) => e,
        Err(e) => return Err(e.to_api().message),
    };
    let client = SyncClient::new(&enrolment).map_err(|e| e.to_string())?;
    client.chain().await.map(|r| Some(r.heads)).map_err(|e| e.to_string())
}

/// Whether 取消 was pressed (and clears it for the next first sync).
pub(crate) fn take_cancel(flag: &AtomicBool) -> bool {
    flag.swap(false, Ordering::SeqCst)
}
