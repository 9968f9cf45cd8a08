//! Opening the database (db.rs): pragmas, migrations, the workstation, the data directory.

use regdesk_domain::queue::Queue;
use rusqlite::Connection;

use super::fixtures::*;
use crate::*;

#[test]
fn pragmas_are_set() {
    let f = fixture();
    let c = f.store.conn();
    let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    let sync: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
    let fk: i64 = c.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
}

#[test]
fn a_newer_database_is_refused_with_a_clear_message() {
    let f = fixture();
    let path = f.store.path().to_path_buf();
    drop(f.store);
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let e = Store::open(f.dir.path(), f.clock.clone()).err().unwrap();
    assert!(matches!(e, StoreError::DatabaseTooNew { found: 99, .. }));
    assert!(e.to_string().contains("请安装新版"));
}

#[test]
fn a_version_9_database_links_its_search_index_when_opened() {
    // A database from before the search link: cases and their index rows, no
    // search_rowid. Opening it fills the link; search and edits then use it.
    let f = sample_office(6);
    let clerk = sample_login(&f, "wangli");
    let draft = f
        .store
        .list_queue(&clerk, &QueueInput::first(Queue::Drafts, 1))
        .unwrap()
        .rows[0]
        .clone();
    let path = f.store.path().to_path_buf();
    drop(f.store);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP INDEX cases_search; ALTER TABLE cases DROP COLUMN search_rowid; PRAGMA user_version = 9;",
        )
        .unwrap();
    }
    let store = Store::open(f.dir.path(), f.clock.clone()).unwrap();
    let unlinked: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM cases WHERE search_rowid IS NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(unlinked, 0);
    let clerk = store
        .login(&LoginInput {
            username: "wangli".into(),
            password: crate::demo::DEMO_PASSWORD.into(),
        })
        .unwrap();
    let search = |text: &str| {
        store
            .list_queue(
                &clerk,
                &QueueInput {
                    search: Some(text.into()),
                    ..QueueInput::first(Queue::Drafts, 20)
                },
            )
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.serial)
            .collect::<Vec<_>>()
    };
    assert_eq!(search(&draft.title), vec![draft.serial.clone()]);
    // Saved again, the case is indexed once, under its new words only.
    let detail = store.case_detail(&clerk, &draft.serial).unwrap();
    let mut changed = detail.draft.clone();
    changed.work.title = "断桥残雪新编".into();
    store
        .save_draft(
            &clerk,
            &crate::SaveDraftInput {
                case_id: Some(detail.id.clone()),
                version: Some(detail.version),
                applicant_id: detail.applicant_id.clone(),
                draft: changed,
            },
        )
        .unwrap();
    assert_eq!(search("断桥残雪新编"), vec![draft.serial.clone()]);
    assert!(search(&draft.title).is_empty());
    let rows: i64 = Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM case_search WHERE case_id = ?1",
            [&detail.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn reopening_keeps_station_and_data() {
    let (f, _) = office();
    let station = f.store.station_id().to_string();
    drop(f.store);
    let again = Store::open(f.dir.path(), f.clock.clone()).unwrap();
    assert_eq!(again.station_id(), station);
    assert!(again.app_status(None).unwrap().setup_done);
}

#[test]
fn data_dir_prefers_the_explicit_path() {
    let p = std::path::Path::new("/tmp/regdesk-explicit");
    assert_eq!(data_dir(Some(p)).unwrap(), p);
}
