//! WAL checkpoints off the command's path. SQLite copies the write-ahead log
//! back into the database file (a checkpoint: about a thousand pages written
//! and the file synced) on the connection whose commit took the log past
//! `wal_autocheckpoint` pages, so one save in twenty or so at a million
//! cases waited for it (p95 6 ms against p50 3 ms; docs/BENCHMARKS.md). The
//! store's command connection now checkpoints only as a safety net, far past
//! the usual size ([`SAFETY_AUTOCHECKPOINT_PAGES`]); one thread per open
//! store, on a connection of its own, runs a `PASSIVE` checkpoint after every
//! [`COMMITS_PER_CHECKPOINT`] commits. A passive checkpoint never waits for
//! the commands (it copies what no reader still needs and leaves the rest
//! for the next one), and a command never waits for it.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use rusqlite::Connection;

use crate::keys::Key32;

/// Commits between two checkpoints of the thread.
pub(crate) const COMMITS_PER_CHECKPOINT: u64 = 16;

/// The command connection's own checkpoint, should the thread fall behind or
/// be gone (pages of 4 KiB: 64 MiB of log).
pub(crate) const SAFETY_AUTOCHECKPOINT_PAGES: i64 = 16_384;

#[derive(Default)]
struct State {
    /// Commits since the last checkpoint.
    commits: u64,
    closed: bool,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The store's checkpoint thread.
pub(crate) struct Checkpointer {
    shared: Arc<Shared>,
    worker: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread for the database at `path` (opened with `key` when
    /// the first checkpoint is due). A thread that cannot be started leaves
    /// the checkpoints to the command connection's safety net.
    pub(crate) fn start(path: PathBuf, key: Key32) -> Checkpointer {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        });
        let theirs = Arc::clone(&shared);
        let worker = std::thread::Builder::new()
            .name("regdesk-checkpoint".into())
            .spawn(move || run(&theirs, &path, &key))
            .ok();
        Checkpointer { shared, worker }
    }

    /// A command committed: its pages are in the log.
    pub(crate) fn committed(&self) {
        let mut s = self.shared.state();
        s.commits += 1;
        if s.commits >= COMMITS_PER_CHECKPOINT {
            self.shared.wake.notify_one();
        }
    }
}

fn run(shared: &Shared, path: &std::path::Path, key: &Key32) {
    let mut conn: Option<Connection> = None;
    loop {
        {
            let mut s = shared.state();
            while s.commits < COMMITS_PER_CHECKPOINT && !s.closed {
                s = shared.wake.wait(s).unwrap_or_else(|p| p.into_inner());
            }
            if s.closed {
                return;
            }
            s.commits = 0;
        }
        if conn.is_none() {
            conn = crate::db::connect(path, key).ok();
        }
        // A checkpoint that fails (the disk, a lock) is tried again after the
        // next commits, on a new connection; nothing is lost meanwhile: the log
        // holds every commit, and the command connection's safety net remains.
        let done = conn
            .as_ref()
            .map(|c| c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())).is_ok());
        if done != Some(true) {
            conn = None;
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.shared.state().closed = true;
        self.shared.wake.notify_all();
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}
