//! Another workstation of the office for the desk tests: its own data
//! directory and store, enrolled with a one-time code from the server;
//! [`Station::sync`] is one round of `regdesk sync` (push, then pull).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use regdesk_store::{LoginInput, Session, Store};
use regdesk_sync::client::SyncClient;
use regdesk_sync::station::SyncOutcome;

use super::office::Office;
use super::steps::PASSWORD;

pub struct Station {
    pub store: Store,
    client: SyncClient,
    rt: tokio::runtime::Runtime,
    _data: Office,
}

impl Station {
    /// Enrols a new data directory at the server `url` with `code` and makes its first sync.
    pub fn enrol(url: &str, fingerprint: &str, code: &str) -> Station {
        let data = Office::empty();
        let store = data.open();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let enrolment = rt
            .block_on(SyncClient::enrol(url, code, fingerprint, store.station_id()))
            .unwrap();
        store.join_office(&enrolment).unwrap();
        let client = SyncClient::new(&enrolment).unwrap();
        let s = Station {
            store,
            client,
            rt,
            _data: data,
        };
        s.synced();
        s
    }

    pub fn sync(&self) -> SyncOutcome {
        self.rt
            .block_on(regdesk_sync::run::sync_once(&self.store, &self.client))
    }

    /// One round that must go through with nothing refused.
    pub fn synced(&self) {
        let out = self.sync();
        assert_eq!((out.rejected, out.error.clone()), (0, None), "{out:?}");
    }

    /// Syncs until `seen` holds (the other desk's work may still be on its
    /// way up). A round may fail on a connection the server closed when it
    /// stopped: the next round goes on, as `regdesk sync --watch` does.
    pub fn sync_until<T>(&self, what: &str, seen: impl Fn(&Station) -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let out = self.sync();
            assert_eq!(out.rejected, 0, "{out:?}");
            if let Some(v) = seen(self) {
                return v;
            }
            if Instant::now() > deadline {
                panic!("{what} never arrived: {out:?}");
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    pub fn login(&self, user: &str) -> Session {
        self.store
            .login(&LoginInput {
                username: user.into(),
                password: PASSWORD.into(),
            })
            .unwrap()
    }
}
