//! Two stations a schema version apart, through a real server. The newer
//! station's settings row has a column the older one lacks: the server learns
//! it, the older station applies the row it pulls and holds that column's
//! value, its own edit of the row lands field by field on the record (which
//! keeps the column), and once it is upgraded the held value lands in its
//! row: every station's state hash is the server's again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use regdesk_store::keys::{station_keys, KeyUse};
use regdesk_store::{LoginInput, NumberLeaseSettingsInput, Session, Store, SystemClock, DB_FILE};
use regdesk_sync::client::SyncClient;
use regdesk_testkit::station::Station;
use regdesk_testkit::{init_office, ServerProcess, PASSWORD};

/// The column a newer version of the program adds to `settings`.
const NEW_COLUMN: &str = "number_lease_days";

/// Closes the station's database, runs `sql` on it (what a newer version's
/// migration does) and opens it again.
fn upgrade(s: &mut Station, sql: &str) {
    let spare = tempfile::tempdir().unwrap();
    let old = std::mem::replace(&mut s.store, Store::open(spare.path(), Arc::new(SystemClock)).unwrap());
    drop(old);
    let key = station_keys(&s.dir, KeyUse::OpenOrCreate).unwrap().database();
    regdesk_store::connect(&s.dir.join(DB_FILE), &key)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    s.store = Store::open(&s.dir, Arc::new(SystemClock)).unwrap();
}

fn admin(s: &Station) -> Session {
    s.store
        .login(&LoginInput {
            username: "admin".into(),
            password: PASSWORD.into(),
        })
        .unwrap()
}

fn set_leases(s: &Station, size: u32, refill: u32) {
    let admin = admin(s);
    let version = s.store.settings(&admin).unwrap().version;
    s.store
        .set_number_leases(
            &admin,
            &NumberLeaseSettingsInput {
                version,
                lease_size: size,
                refill_at: refill,
            },
        )
        .unwrap();
}

fn new_column(s: &Station) -> Option<i64> {
    let key = station_keys(&s.dir, KeyUse::OpenOrCreate).unwrap().database();
    regdesk_store::connect(&s.dir.join(DB_FILE), &key)
        .unwrap()
        .query_row(&format!("SELECT {NEW_COLUMN} FROM settings WHERE id = 1"), [], |r| {
            r.get(0)
        })
        .ok()
}

#[test]
fn a_station_one_schema_behind_converges_once_upgraded() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let srv = root.join("server");
    init_office(&srv);
    let server = ServerProcess::start(&srv);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let join =
        |dir: &str, name: &str| rt.block_on(Station::join(root, dir, name, &srv, &server.url(), &server.fingerprint));
    let server_hash = |s: &Station| {
        let enrolment = s.store.enrolment().unwrap().unwrap();
        rt.block_on(SyncClient::new(&enrolment).unwrap().state())
            .unwrap()
            .state_hash
    };
    let sync = |s: &Station| {
        let out = rt.block_on(s.sync());
        assert_eq!(out.error, None, "{}: {out:?}", s.name);
        assert_eq!(out.rejected, 0, "{}: {out:?}", s.name);
    };
    let mut old = join("old", "受理窗口1");
    let mut new = join("new", "受理窗口2");

    // The newer version: a column at the end of settings, 30 in this office.
    upgrade(
        &mut new,
        &format!(
            "ALTER TABLE settings ADD COLUMN {NEW_COLUMN} INTEGER NOT NULL DEFAULT 7;
             UPDATE settings SET {NEW_COLUMN} = 30;"
        ),
    );
    set_leases(&new, 40, 8);
    sync(&new);
    assert_eq!(new.store.state_hash().unwrap(), server_hash(&new));

    // The older station takes the row: the columns it has, the new one held.
    sync(&old);
    let view = old.store.settings(&admin(&old)).unwrap();
    assert_eq!((view.number_lease_size, view.number_refill_at), (40, 8));
    assert_eq!(new_column(&old), None);

    // Its own edit of the row lands on the record, which keeps the new column.
    set_leases(&old, 50, 10);
    sync(&old);
    sync(&new);
    let view = new.store.settings(&admin(&new)).unwrap();
    assert_eq!((view.number_lease_size, view.number_refill_at), (50, 10));
    assert_eq!(new_column(&new), Some(30));
    assert_eq!(new.store.state_hash().unwrap(), server_hash(&new));
    assert_ne!(
        old.store.state_hash().unwrap(),
        server_hash(&old),
        "the older station lacks a column of the record"
    );

    // Upgraded, the older station writes the held value into its row.
    upgrade(
        &mut old,
        &format!("ALTER TABLE settings ADD COLUMN {NEW_COLUMN} INTEGER NOT NULL DEFAULT 7;"),
    );
    assert_eq!(new_column(&old), Some(30));
    assert_eq!(old.store.outbox_len().unwrap(), 0);
    sync(&old);
    assert_eq!(old.store.state_hash().unwrap(), server_hash(&old));
    assert_eq!(old.store.state_hash().unwrap(), new.store.state_hash().unwrap());
    server.stop();
}
