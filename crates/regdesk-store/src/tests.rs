//! Store tests on real SQLite files in temporary directories.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use regdesk_domain::office::OfficeInput;
use regdesk_domain::queue::Queue;
use regdesk_domain::staff::{Desk, Role};
use rusqlite::Connection;

use crate::*;

pub(crate) struct Fixture {
    pub dir: tempfile::TempDir,
    pub clock: Arc<FixedClock>,
    pub store: Store,
}

pub(crate) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 1, 30, 0).unwrap()));
    let store = Store::open(dir.path(), clock.clone()).unwrap();
    Fixture { dir, clock, store }
}

pub(crate) fn setup_input() -> SetupInput {
    SetupInput {
        office: OfficeInput {
            name: "浙江省版权局".into(),
            office_code: "ZJ".into(),
            reg_prefix: "浙作登字".into(),
            province_code: "33".into(),
        },
        station_name: "受理窗口1".into(),
        admin: NewStaffInput {
            username: "admin".into(),
            display_name: "周建国".into(),
            roles: vec![Role::Admin],
            password: "Banquan2026".into(),
        },
    }
}

pub(crate) fn set_up(f: &Fixture) -> Session {
    f.store.setup_office(&setup_input()).unwrap()
}

fn add_reviewer(f: &Fixture, admin: &Session) -> StaffView {
    f.store
        .add_staff(
            admin,
            &NewStaffInput {
                username: "liwen".into(),
                display_name: "李雯".into(),
                roles: vec![Role::FirstReviewer],
                password: "Chushen2026".into(),
            },
        )
        .unwrap()
}

fn login(f: &Fixture, user: &str, pw: &str) -> Result<Session> {
    f.store.login(&LoginInput {
        username: user.into(),
        password: pw.into(),
    })
}

fn journal_count(f: &Fixture) -> i64 {
    let c = Connection::open(f.store.path()).unwrap();
    c.query_row("SELECT COUNT(*) FROM journal", [], |r| r.get(0)).unwrap()
}

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
fn first_start_creates_office_admin_and_one_journal_entry() {
    let f = fixture();
    let before = f.store.app_status(None).unwrap();
    assert!(!before.setup_done);
    let s = set_up(&f);
    let st = f.store.app_status(Some(&s)).unwrap();
    assert!(st.setup_done);
    assert_eq!(st.office.as_ref().map(|o| o.province_name.as_str()), Some("浙江省"));
    assert_eq!(st.station_name, "受理窗口1");
    let me = st.session.unwrap();
    assert_eq!(me.roles, vec![Role::Admin]);
    assert_eq!(me.desks.iter().map(|d| d.desk).collect::<Vec<_>>(), vec![Desk::Admin]);
    assert_eq!(journal_count(&f), 1);
    assert_eq!(st.pending_sync, 1);
    // Only once.
    assert!(matches!(
        f.store.setup_office(&setup_input()),
        Err(StoreError::AlreadySetUp)
    ));
    assert_eq!(journal_count(&f), 1);
}

#[test]
fn setup_reports_every_bad_field_with_its_path() {
    let f = fixture();
    let mut i = setup_input();
    i.office.office_code = "浙".into();
    i.station_name = " ".into();
    i.admin.password = "short".into();
    let e = f.store.setup_office(&i).unwrap_err();
    let api = e.to_api();
    assert_eq!(api.kind, ErrorKind::Validation);
    let fields: Vec<&str> = api.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["office.office_code", "station_name", "admin.password"]);
    assert_eq!(journal_count(&f), 0);
}

#[test]
fn staff_lifecycle_each_change_journaled_and_audited() {
    let f = fixture();
    let admin = set_up(&f);
    let r = add_reviewer(&f, &admin);
    assert!(r.must_change_password);
    assert_eq!(r.version, 1);
    let r = f
        .store
        .update_staff(
            &admin,
            &UpdateStaffInput {
                id: r.id.clone(),
                version: 1,
                display_name: "李雯雯".into(),
                roles: vec![Role::FirstReviewer, Role::CounterClerk],
            },
        )
        .unwrap();
    assert_eq!(r.version, 2);
    // A stale version is a conflict and changes nothing.
    let stale = f.store.update_staff(
        &admin,
        &UpdateStaffInput {
            id: r.id.clone(),
            version: 1,
            display_name: "X".into(),
            roles: vec![Role::Finance],
        },
    );
    match stale {
        Err(e @ StoreError::Conflict { .. }) => {
            assert_eq!(e.kind(), ErrorKind::Conflict);
            assert!(e.to_string().contains("已被其他人修改"));
        }
        other => panic!("expected conflict, got {other:?}"),
    }
    let r = f
        .store
        .set_staff_disabled(
            &admin,
            &SetDisabledInput {
                id: r.id.clone(),
                version: 2,
                disabled: true,
            },
        )
        .unwrap();
    assert!(r.disabled);
    assert_eq!(journal_count(&f), 4);
    assert!(matches!(login(&f, "liwen", "Chushen2026"), Err(StoreError::Domain(_))));
    let report = f.store.verify_audit().unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.entries, 4);
}

#[test]
fn duplicate_username_is_refused_on_its_field() {
    let f = fixture();
    let admin = set_up(&f);
    add_reviewer(&f, &admin);
    let e = f
        .store
        .add_staff(
            &admin,
            &NewStaffInput {
                username: "LiWen".into(),
                display_name: "另一个李雯".into(),
                roles: vec![Role::Finance],
                password: "Caiwu20260".into(),
            },
        )
        .unwrap_err()
        .to_api();
    assert_eq!(e.fields.len(), 1);
    assert_eq!(e.fields[0].field, "username");
    assert_eq!(e.fields[0].code, "taken");
}

#[test]
fn roles_are_checked_in_the_store_not_only_in_the_ui() {
    let f = fixture();
    let admin = set_up(&f);
    add_reviewer(&f, &admin);
    let reviewer = login(&f, "liwen", "Chushen2026").unwrap();
    let e = f.store.list_staff(&reviewer).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permission);
    assert!(e.to_string().contains("管理工作人员"));
    let e = f.store.update_settings(&reviewer, &settings_input(1, 5)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permission);
    // A locked session can do nothing.
    let locked = Session {
        locked: true,
        ..admin.clone()
    };
    assert_eq!(
        f.store.list_staff(&locked).unwrap_err().kind(),
        ErrorKind::SessionLocked
    );
}

#[test]
fn wrong_passwords_lock_the_account_and_reset_clears_it() {
    let f = fixture();
    let admin = set_up(&f);
    let r = add_reviewer(&f, &admin);
    for i in 1..=5 {
        let e = login(&f, "liwen", "wrong-password1").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth);
        if i < 5 {
            assert!(e.to_string().contains("登录名或密码错误"), "{e}");
        } else {
            assert!(e.to_string().contains("已锁定至 09:45"), "{e}");
        }
    }
    // Even the right password is refused while locked.
    assert!(login(&f, "liwen", "Chushen2026")
        .unwrap_err()
        .to_string()
        .contains("已锁定"));
    f.clock.advance(Duration::minutes(15));
    assert!(login(&f, "liwen", "Chushen2026").is_ok());
    // Lock again, then an admin reset clears it.
    for _ in 0..5 {
        let _ = login(&f, "liwen", "wrong-password1");
    }
    let fresh = f
        .store
        .list_staff(&admin)
        .unwrap()
        .into_iter()
        .find(|s| s.id == r.id)
        .unwrap();
    assert!(fresh.locked_until.is_some());
    let after = f
        .store
        .reset_password(
            &admin,
            &ResetPasswordInput {
                id: r.id.clone(),
                version: fresh.version,
                new_password: "Chongzhi2026".into(),
            },
        )
        .unwrap();
    assert!(after.locked_until.is_none());
    let s = login(&f, "liwen", "Chongzhi2026").unwrap();
    assert!(f.store.session_view(&s).unwrap().must_change_password);
    f.store
        .change_password(
            &s,
            &ChangePasswordInput {
                old_password: "Chongzhi2026".into(),
                new_password: "Ziji2026ab".into(),
            },
        )
        .unwrap();
    assert!(!f.store.session_view(&s).unwrap().must_change_password);
    assert!(f.store.verify_audit().unwrap().ok);
}

#[test]
fn unknown_user_gets_the_same_answer_as_a_wrong_password() {
    let f = fixture();
    set_up(&f);
    let a = login(&f, "nobody", "whatever1").unwrap_err().to_string();
    let b = login(&f, "admin", "whatever1").unwrap_err().to_string();
    assert_eq!(a, b);
}

#[test]
fn the_last_admin_cannot_be_removed() {
    let f = fixture();
    let admin = set_up(&f);
    let me = f.store.session_view(&admin).unwrap();
    let e = f
        .store
        .update_staff(
            &admin,
            &UpdateStaffInput {
                id: me.staff_id.clone(),
                version: 1,
                display_name: "周建国".into(),
                roles: vec![Role::Supervisor],
            },
        )
        .unwrap_err()
        .to_api();
    assert_eq!(e.fields[0].code, "last_admin");
    // Rolled back: still an admin, no journal entry added.
    assert_eq!(f.store.session_view(&admin).unwrap().roles, vec![Role::Admin]);
    assert_eq!(journal_count(&f), 1);
}

fn settings_input(version: i64, idle: i64) -> UpdateSettingsInput {
    UpdateSettingsInput {
        version,
        idle_lock_minutes: idle,
        review_working_days: 30,
        correction_notice_days: 7,
        correction_period_days: 30,
        fee_per_work_fen: 15_000,
    }
}

#[test]
fn case_periods_and_fee_are_settings() {
    let f = fixture();
    let admin = set_up(&f);
    assert_eq!(
        f.store.case_periods().unwrap(),
        regdesk_domain::calendar::CasePeriods::default()
    );
    assert_eq!(f.store.fee_schedule().unwrap().per_work_fen, 15_000);
    let mut i = settings_input(1, 10);
    i.review_working_days = 20;
    i.fee_per_work_fen = 12_000;
    let v = f.store.update_settings(&admin, &i).unwrap();
    assert_eq!((v.review_working_days, v.fee_per_work_fen), (20, 12_000));
    assert_eq!(f.store.case_periods().unwrap().review_working_days, 20);
    // Every bad field at once, each named.
    let mut bad = settings_input(2, 0);
    bad.correction_period_days = 0;
    bad.fee_per_work_fen = -1;
    let e = f.store.update_settings(&admin, &bad).unwrap_err().to_api();
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["idle_lock_minutes", "correction_period_days", "fee_per_work_fen"]
    );
}

#[test]
fn settings_are_versioned() {
    let f = fixture();
    let admin = set_up(&f);
    let s = f.store.settings(&admin).unwrap();
    assert_eq!(s.idle_lock_minutes, 10);
    let s2 = f.store.update_settings(&admin, &settings_input(s.version, 3)).unwrap();
    assert_eq!((s2.version, s2.idle_lock_minutes), (2, 3));
    let e = f.store.update_settings(&admin, &settings_input(1, 4)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    let e = f
        .store
        .update_settings(&admin, &settings_input(2, 0))
        .unwrap_err()
        .to_api();
    assert_eq!(e.fields[0].field, "idle_lock_minutes");
}

#[test]
fn tampering_behind_the_stores_back_is_found_at_that_entry() {
    let f = fixture();
    let admin = set_up(&f);
    add_reviewer(&f, &admin);
    let _ = login(&f, "liwen", "Chushen2026").unwrap();
    assert!(f.store.verify_audit().unwrap().ok);
    let c = Connection::open(f.store.path()).unwrap();
    c.execute(
        "UPDATE journal SET payload = replace(payload, 'first_reviewer', 'admin') WHERE seq = 2",
        [],
    )
    .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert!(!r.ok);
    assert_eq!(r.first_broken, Some(2));
    assert!(r.message.contains("第 2 条"), "{}", r.message);
}

#[test]
fn deleting_an_entry_breaks_the_chain_after_it() {
    let f = fixture();
    let admin = set_up(&f);
    add_reviewer(&f, &admin);
    let _ = login(&f, "liwen", "Chushen2026").unwrap();
    let c = Connection::open(f.store.path()).unwrap();
    c.execute_batch("PRAGMA foreign_keys=OFF; DELETE FROM audit WHERE seq = 2; DELETE FROM journal WHERE seq = 2;")
        .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert_eq!(r.first_broken, Some(2));
}

#[test]
fn a_rewritten_hash_is_caught_by_the_next_entry() {
    let f = fixture();
    let admin = set_up(&f);
    add_reviewer(&f, &admin);
    let _ = login(&f, "liwen", "Chushen2026").unwrap();
    let c = Connection::open(f.store.path()).unwrap();
    c.execute(
        "UPDATE audit SET entry_hash = '00' || substr(entry_hash, 3) WHERE seq = 1",
        [],
    )
    .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert_eq!(r.first_broken, Some(1));
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
    let f = fixture();
    crate::demo::fill(&f.store, 6).unwrap();
    let clerk = f
        .store
        .login(&LoginInput {
            username: "wangli".into(),
            password: crate::demo::DEMO_PASSWORD.into(),
        })
        .unwrap();
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
    let f = fixture();
    let _ = set_up(&f);
    let station = f.store.station_id().to_string();
    drop(f.store);
    let again = Store::open(f.dir.path(), f.clock.clone()).unwrap();
    assert_eq!(again.station_id(), station);
    assert!(again.app_status(None).unwrap().setup_done);
}

#[test]
fn a_failed_command_leaves_nothing_behind() {
    // A command whose body fails after writing rolls back tables, journal and audit together.
    let f = fixture();
    let _ = set_up(&f);
    let r: Result<()> = f.store.run(None, "boom", |tx, _| {
        tx.execute("UPDATE station SET name = 'changed' WHERE id = 1", [])?;
        Err(StoreError::Corrupt("simulated crash".into()))
    });
    assert!(r.is_err());
    assert_eq!(f.store.app_status(None).unwrap().station_name, "受理窗口1");
    assert_eq!(journal_count(&f), 1);
}

#[test]
fn an_interrupted_transaction_is_not_visible_after_reopen() {
    // Simulates a crash: a writer process dies mid-transaction (connection dropped without commit).
    let f = fixture();
    let _ = set_up(&f);
    {
        let mut c = Connection::open(f.store.path()).unwrap();
        let tx = c.transaction().unwrap();
        tx.execute("UPDATE station SET name = 'half' WHERE id = 1", []).unwrap();
        tx.execute(
            "INSERT INTO journal (id, station_id, at, command, entity, entity_id, entity_version, payload)
             VALUES ('x', 's', '2026-01-01', 'c', 'e', 'i', 1, '{}')",
            [],
        )
        .unwrap();
        std::mem::forget(tx);
        drop(c);
    }
    let again = Store::open(f.dir.path(), f.clock.clone()).unwrap();
    assert_eq!(again.app_status(None).unwrap().station_name, "受理窗口1");
    assert!(again.verify_audit().unwrap().ok);
}

#[test]
fn two_workstation_processes_on_one_file_conflict_cleanly() {
    let f = fixture();
    let admin = set_up(&f);
    let r = add_reviewer(&f, &admin);
    let other = Store::open(f.dir.path(), f.clock.clone()).unwrap();
    let threads: Vec<_> = (0..2)
        .map(|i| {
            let dir = f.dir.path().to_path_buf();
            let clock = f.clock.clone();
            let admin = admin.clone();
            let id = r.id.clone();
            std::thread::spawn(move || {
                let s = Store::open(&dir, clock).unwrap();
                s.update_staff(
                    &admin,
                    &UpdateStaffInput {
                        id,
                        version: 1,
                        display_name: format!("李雯{i}"),
                        roles: vec![Role::FirstReviewer],
                    },
                )
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Conflict { .. })))
        .count();
    assert_eq!((ok, conflicts), (1, 1), "{results:?}");
    assert!(other.verify_audit().unwrap().ok);
}

#[test]
fn data_dir_prefers_the_explicit_path() {
    let p = std::path::Path::new("/tmp/regdesk-explicit");
    assert_eq!(data_dir(Some(p)).unwrap(), p);
}

#[test]
fn desks_show_their_queues_to_those_who_hold_them() {
    let f = fixture();
    let admin = set_up(&f);
    add_reviewer(&f, &admin);
    let reviewer = login(&f, "liwen", "Chushen2026").unwrap();
    let o = f.store.desk_overview(&reviewer, Desk::FirstReview).unwrap();
    assert_eq!(o.queues.len(), 1);
    assert_eq!((o.queues[0].label.as_str(), o.queues[0].count), ("待初审", 0));
    assert_eq!(
        f.store.desk_overview(&reviewer, Desk::Admin).unwrap_err().kind(),
        ErrorKind::Permission
    );
    use regdesk_domain::queue::Queue;
    let page = f
        .store
        .list_queue(&reviewer, &QueueInput::first(Queue::FirstReview, 20))
        .unwrap();
    assert_eq!((page.total, page.rows.len()), (0, 0));
    let e = f
        .store
        .list_queue(&reviewer, &QueueInput::first(Queue::Registered, 20))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permission);
}

#[test]
fn queues_list_cases_by_state_oldest_deadline_first() {
    let f = fixture();
    let admin = set_up(&f);
    add_reviewer(&f, &admin);
    let reviewer = login(&f, "liwen", "Chushen2026").unwrap();
    {
        let c = f.store.conn();
        for (i, (state, due)) in [
            ("awaiting_first_review", Some("2026-12-20")),
            ("awaiting_first_review", Some("2026-12-05")),
            ("awaiting_final_review", Some("2026-12-01")),
            ("draft", None),
        ]
        .iter()
        .enumerate()
        {
            c.execute(
                "INSERT INTO cases (id, serial, title, category, state, applicant_name, created_at, due_on, version, updated_at)
                 VALUES (?1, ?2, ?3, 'fine_art', ?4, '杭州某某文化有限公司', '2026-11-20T01:00:00Z', ?5, 1, '2026-11-20T01:00:00Z')",
                rusqlite::params![format!("c{i}"), format!("ZJ01-20261120-000{i}"), format!("作品{i}"), state, due],
            )
            .unwrap();
        }
    }
    let page = f
        .store
        .list_queue(
            &reviewer,
            &QueueInput::first(regdesk_domain::queue::Queue::FirstReview, 20),
        )
        .unwrap();
    let titles: Vec<&str> = page.rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, vec!["作品1", "作品0"]);
    assert_eq!(page.rows[0].state_label, "待初审");
    assert_eq!(page.rows[0].stage, regdesk_domain::queue::Stage::WaitingOffice);
    assert_eq!(page.rows[0].category_label, "美术");
    let o = f.store.desk_overview(&reviewer, Desk::FirstReview).unwrap();
    assert_eq!(o.queues[0].count, 2);
    // Sorted by a column the clerk clicks: title, newest deadline first, ...
    let sorted = |key, descending| {
        f.store
            .list_queue(
                &reviewer,
                &QueueInput {
                    queue: regdesk_domain::queue::Queue::FirstReview,
                    page: 1,
                    page_size: 20,
                    search: None,
                    sort: Some(QueueSort { key, descending }),
                    office: None,
                },
            )
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.title)
            .collect::<Vec<_>>()
    };
    assert_eq!(sorted(QueueSortKey::Title, false), vec!["作品0", "作品1"]);
    assert_eq!(sorted(QueueSortKey::Due, true), vec!["作品0", "作品1"]);
    assert_eq!(sorted(QueueSortKey::Serial, true), vec!["作品1", "作品0"]);
}

#[test]
fn loaded_calendar_years_persist_and_are_journaled() {
    let f = fixture();
    let admin = set_up(&f);
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert!(f
        .store
        .work_calendar()
        .unwrap()
        .is_working_day(d("2027-01-04"))
        .is_err());
    let text = "year 2027\nsource 测试通知\noff 2027-01-01 元旦\nwork 2027-01-09 调休\n";
    let r = f.store.load_calendar_year(&admin, text).unwrap();
    assert_eq!(
        (r.year, r.holidays, r.make_up_workdays, r.replaced),
        (2027, 1, 1, false)
    );
    let cal = f.store.work_calendar().unwrap();
    assert!(!cal.is_working_day(d("2027-01-01")).unwrap());
    assert!(cal.is_working_day(d("2027-01-09")).unwrap());
    assert!(f.store.load_calendar_year(&admin, text).unwrap().replaced);
    let e = f
        .store
        .load_calendar_year(&admin, "year 2027\noff 2028-01-01\n")
        .unwrap_err()
        .to_api();
    assert_eq!(e.fields[0].field, "calendar");
    assert_eq!(journal_count(&f), 3);
}

mod applicants {
    use super::*;
    use regdesk_domain::applicant::{ApplicantCategory, ApplicantInput, IdConsequence};
    use regdesk_domain::identity::DocumentType;

    fn clerk(f: &Fixture, admin: &Session) -> Session {
        f.store
            .add_staff(
                admin,
                &NewStaffInput {
                    username: "wangli".into(),
                    display_name: "王丽".into(),
                    roles: vec![Role::CounterClerk],
                    password: "Shouli2026".into(),
                },
            )
            .unwrap();
        login(f, "wangli", "Shouli2026").unwrap()
    }

    fn company() -> ApplicantInput {
        ApplicantInput {
            category: ApplicantCategory::Organisation,
            name: "杭州青山文化创意有限公司".into(),
            id_type: DocumentType::Uscc,
            id_number: "91350100m000100y43".into(),
            pen_name: "".into(),
            handler_name: "陈静".into(),
            handler_mobile: "13905710001".into(),
            region: "杭州市".into(),
            invoice_email: "finance@qingshan.cn".into(),
            recipient_name: "陈静".into(),
            recipient_phone: "13905710001".into(),
            postal_address: "浙江省杭州市拱墅区大关路 100 号".into(),
        }
    }

    #[test]
    fn profiles_are_unique_per_document_and_found_as_you_type() {
        let f = fixture();
        let admin = set_up(&f);
        let c = clerk(&f, &admin);
        let a = f.store.create_applicant(&c, &company()).unwrap();
        assert_eq!(a.id_number, "91350100M000100Y43");
        assert_eq!(a.id_number_masked, "913501********0Y43");
        assert_eq!(a.category_label, "法人或非法人组织");
        // The same number again is refused on its field, naming the existing profile.
        let e = f.store.create_applicant(&c, &company()).unwrap_err().to_api();
        assert_eq!(
            (e.fields[0].field.as_str(), e.fields[0].code.as_str()),
            ("id_number", "taken")
        );
        assert!(e.fields[0].message.contains("杭州青山文化创意有限公司"));
        for q in ["青山", "91350100m", "0Y43", "1390571"] {
            let found = f
                .store
                .find_applicants(
                    &c,
                    &FindApplicantsInput {
                        query: q.into(),
                        limit: 10,
                    },
                )
                .unwrap();
            assert_eq!(found.len(), 1, "{q}");
        }
        assert!(f
            .store
            .find_applicants(
                &c,
                &FindApplicantsInput {
                    query: "%".into(),
                    limit: 10
                }
            )
            .unwrap()
            .is_empty());
        // Admins do not keep profiles; counter clerks do.
        assert_eq!(
            f.store.create_applicant(&admin, &company()).unwrap_err().kind(),
            ErrorKind::Permission
        );
    }

    #[test]
    fn the_category_is_fixed_except_an_admin_promotion_with_a_reason() {
        let f = fixture();
        let admin = set_up(&f);
        let c = clerk(&f, &admin);
        let a = f.store.create_applicant(&c, &company()).unwrap();
        let mut changed = company();
        changed.category = ApplicantCategory::Agency;
        let e = f
            .store
            .update_applicant(
                &c,
                &UpdateApplicantInput {
                    id: a.id.clone(),
                    version: a.version,
                    applicant: changed,
                },
            )
            .unwrap_err()
            .to_api();
        assert_eq!(e.fields[0].code, "fixed");
        let input = ChangeCategoryInput {
            id: a.id.clone(),
            version: a.version,
            category: ApplicantCategory::Agency,
            reason: "已核实版权代理资质证明".into(),
        };
        assert_eq!(
            f.store.change_applicant_category(&c, &input).unwrap_err().kind(),
            ErrorKind::Permission
        );
        let v = f.store.change_applicant_category(&admin, &input).unwrap();
        assert_eq!((v.category, v.version), (ApplicantCategory::Agency, 2));
        // A stale version is a conflict.
        assert_eq!(
            f.store.change_applicant_category(&admin, &input).unwrap_err().kind(),
            ErrorKind::Conflict
        );
        assert!(f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn the_id_panel_says_what_follows() {
        let f = fixture();
        let admin = set_up(&f);
        let c = clerk(&f, &admin);
        let v = f
            .store
            .check_id(
                &c,
                &IdCheckInput {
                    doc_type: None,
                    number: "11010519491231002X".into(),
                },
            )
            .unwrap();
        assert!(v.valid);
        assert_eq!(v.doc_type, DocumentType::ResidentId);
        assert_eq!(v.age, Some(76));
        assert_eq!(v.sex_label.as_deref(), Some("女"));
        assert!(v.region_text.as_deref().unwrap_or_default().starts_with("北京市"));
        let codes: Vec<IdConsequence> = v.consequences.iter().map(|c| c.code).collect();
        assert_eq!(
            codes,
            vec![IdConsequence::IdScanRequired, IdConsequence::ResidenceProofRequired]
        );
        assert!(v.consequences[1].message.contains("浙江省"));
        let bad = f
            .store
            .check_id(
                &c,
                &IdCheckInput {
                    doc_type: Some(DocumentType::ResidentId),
                    number: "110105194912310021".into(),
                },
            )
            .unwrap();
        assert!(!bad.valid);
        let e = bad.error.unwrap();
        assert_eq!(e.code, "checksum");
        assert!(e.message.contains("校验码应为 X"), "{}", e.message);
        // A known number offers its profile.
        f.store.create_applicant(&c, &company()).unwrap();
        let known = f
            .store
            .check_id(
                &c,
                &IdCheckInput {
                    doc_type: None,
                    number: "91350100M000100Y43".into(),
                },
            )
            .unwrap();
        assert_eq!(
            known.known_applicant.map(|a| a.name),
            Some("杭州青山文化创意有限公司".to_string())
        );
    }
}

mod filings {
    use super::*;
    use regdesk_domain::category::WorkCategory;
    use regdesk_domain::filing::*;
    use regdesk_domain::identity::{uscc_check_char, DocumentType};
    use regdesk_domain::lifecycle::CaseState;
    use regdesk_domain::party::{AttachmentKind, PartyKind, SignedAs};
    use regdesk_domain::queue::Queue;
    use regdesk_domain::signature::{SignatureMethod, SignerRef, SignerStatus};
    use regdesk_domain::work::{Acquisition, Attribution, CreationNature, Ownership, PublicationStatus};

    fn clerk(f: &Fixture, admin: &Session) -> Session {
        f.store
            .add_staff(
                admin,
                &NewStaffInput {
                    username: "wangli".into(),
                    display_name: "王丽".into(),
                    roles: vec![Role::CounterClerk],
                    password: "Shouli2026".into(),
                },
            )
            .unwrap();
        login(f, "wangli", "Shouli2026").unwrap()
    }

    fn file(f: &Fixture, s: &Session, name: &str, bytes: &[u8]) -> FileView {
        let p = f.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        f.store.add_file(s, &p).unwrap()
    }

    fn uscc(body: &str) -> String {
        format!("{body}{}", uscc_check_char(body).unwrap())
    }

    /// A 法人作品 with two owners and a 执笔者 (a Beijing ID: residence proof needed).
    fn corporate(f: &Fixture, s: &Session, with_sample: bool) -> FilingDraft {
        let lic1 = file(f, s, "营业执照1.pdf", b"%PDF-1.4 licence one");
        let lic2 = file(f, s, "营业执照2.pdf", b"%PDF-1.4 licence two");
        let idp = file(f, s, "身份证.jpg", b"\xff\xd8\xff id card");
        let res = file(f, s, "居住证明.pdf", b"%PDF-1.4 residence");
        let party_file = |v: &FileView, kind| PartyFile {
            file_id: v.id.clone(),
            kind,
        };
        FilingDraft {
            work: WorkDraft {
                title: "西湖十景之断桥残雪".into(),
                category: Some(WorkCategory::Photography),
                nature: Some(CreationNature::Original),
                completed_on: "20260112".into(),
                completed_place: "浙江省杭州市".into(),
                publication: Some(PublicationStatus::Unpublished),
                attribution: Some(Attribution::Corporate),
                acquisition: Some(Acquisition::Original),
                ownership: Some(Ownership::Full),
                ..WorkDraft::default()
            },
            owners: vec![
                OwnerDraft {
                    kind: Some(PartyKind::Organisation),
                    name: "杭州湖光影像文化传媒有限公司".into(),
                    id_type: Some(DocumentType::Uscc),
                    id_number: uscc("91330106MA2H0K7Q1"),
                    handling_person: "周明".into(),
                    region: "浙江省杭州市".into(),
                    files: vec![party_file(&lic1, AttachmentKind::BusinessLicence)],
                    ..OwnerDraft::default()
                },
                OwnerDraft {
                    kind: Some(PartyKind::Organisation),
                    name: "宁波海曙文化发展有限公司".into(),
                    id_type: Some(DocumentType::Uscc),
                    id_number: uscc("91330203MA2ABCDE1"),
                    handling_person: "林娜".into(),
                    region: "浙江省宁波市".into(),
                    files: vec![party_file(&lic2, AttachmentKind::BusinessLicence)],
                    ..OwnerDraft::default()
                },
            ],
            authors: vec![AuthorDraft {
                kind: Some(PartyKind::Organisation),
                name: "杭州湖光影像文化传媒有限公司".into(),
                signed_as: Some(SignedAs::RealName),
                signed_name: "".into(),
            }],
            writer: Some(WriterDraft {
                name: "陈思远".into(),
                id_type: Some(DocumentType::ResidentId),
                id_number: "11010519491231002X".into(),
                files: vec![
                    party_file(&idp, AttachmentKind::IdentityProof),
                    party_file(&res, AttachmentKind::ResidenceProof),
                ],
                ..WriterDraft::default()
            }),
            samples: if with_sample {
                vec![file(f, s, "断桥残雪.jpg", b"\xff\xd8\xff the photograph").id]
            } else {
                vec![]
            },
            description: "以西湖断桥为主体，雪后清晨拍摄。".into(),
            creation_story: "连续三年冬季守候拍摄。".into(),
            delivery: Some(Delivery::Mail),
            recipient_name: "周明".into(),
            recipient_phone: "13800000000".into(),
            postal_address: "浙江省杭州市西湖区文三路 100 号".into(),
            invoice_email: "finance@huguang.example.cn".into(),
            ..FilingDraft::default()
        }
    }

    fn paper(n: u32) -> SignatureMethod {
        SignatureMethod::PaperScan {
            scan_ref: format!("scan-{n}"),
        }
    }

    #[test]
    fn a_corporate_filing_from_draft_to_awaiting_payment() {
        let f = fixture();
        let admin = set_up(&f);
        let c = clerk(&f, &admin);

        // A draft saves at any point, even empty, and gets a readable serial.
        let empty = f
            .store
            .save_draft(
                &c,
                &SaveDraftInput {
                    case_id: None,
                    version: None,
                    applicant_id: None,
                    draft: FilingDraft::default(),
                },
            )
            .unwrap();
        assert_eq!(empty.state, CaseState::Draft);
        let parts: Vec<&str> = empty.serial.split('-').collect();
        assert_eq!(parts.len(), 4, "{}", empty.serial);
        assert_eq!((parts[0], parts[2], parts[3]), ("ZJ", "20261125", "0001"));

        // Without a sample the submission names the field; nothing changes.
        let d = f
            .store
            .save_draft(
                &c,
                &SaveDraftInput {
                    case_id: Some(empty.id.clone()),
                    version: Some(empty.version),
                    applicant_id: None,
                    draft: corporate(&f, &c, false),
                },
            )
            .unwrap();
        let e = f
            .store
            .submit_for_signing(
                &c,
                &CaseRef {
                    case_id: d.id.clone(),
                    version: d.version,
                },
            )
            .unwrap_err()
            .to_api();
        assert_eq!(e.kind, ErrorKind::Validation);
        assert_eq!(
            e.fields.iter().map(|x| x.field.as_str()).collect::<Vec<_>>(),
            vec!["samples"]
        );

        let mut draft = corporate(&f, &c, true);
        let d = f
            .store
            .save_draft(
                &c,
                &SaveDraftInput {
                    case_id: Some(d.id.clone()),
                    version: Some(d.version),
                    applicant_id: None,
                    draft: draft.clone(),
                },
            )
            .unwrap();
        let d = f
            .store
            .submit_for_signing(
                &c,
                &CaseRef {
                    case_id: d.id.clone(),
                    version: d.version,
                },
            )
            .unwrap();
        assert_eq!(d.state, CaseState::AwaitingSignatures);
        let sheet: Vec<(&str, SignerStatus)> = d.signing.iter().map(|l| (l.signer.name.as_str(), l.status)).collect();
        assert_eq!(
            sheet,
            vec![
                ("杭州湖光影像文化传媒有限公司", SignerStatus::Current),
                ("宁波海曙文化发展有限公司", SignerStatus::Waiting),
                ("陈思远", SignerStatus::Waiting),
            ]
        );

        // Out of order is refused.
        let e = f
            .store
            .record_signature(
                &c,
                &RecordSignatureInput {
                    case_id: d.id.clone(),
                    version: d.version,
                    signer: SignerRef::Writer,
                    method: paper(9),
                },
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused);

        // The first owner signs; then an edit voids the signature and returns the case to draft.
        let d = f
            .store
            .record_signature(
                &c,
                &RecordSignatureInput {
                    case_id: d.id.clone(),
                    version: d.version,
                    signer: SignerRef::Owner { index: 0 },
                    method: paper(1),
                },
            )
            .unwrap();
        assert_eq!(d.signing[0].status, SignerStatus::Signed);
        draft.work.title = "西湖十景之断桥残雪（修订）".into();
        let d = f
            .store
            .save_draft(
                &c,
                &SaveDraftInput {
                    case_id: Some(d.id.clone()),
                    version: Some(d.version),
                    applicant_id: None,
                    draft: draft.clone(),
                },
            )
            .unwrap();
        assert_eq!(d.state, CaseState::Draft);
        assert!(d.signing.iter().all(|l| l.record.is_none()));

        // Submit again and sign in order: the case waits for payment.
        let mut d = f
            .store
            .submit_for_signing(
                &c,
                &CaseRef {
                    case_id: d.id.clone(),
                    version: d.version,
                },
            )
            .unwrap();
        for (n, who) in [
            SignerRef::Owner { index: 0 },
            SignerRef::Owner { index: 1 },
            SignerRef::Writer,
        ]
        .into_iter()
        .enumerate()
        {
            d = f
                .store
                .record_signature(
                    &c,
                    &RecordSignatureInput {
                        case_id: d.id.clone(),
                        version: d.version,
                        signer: who,
                        method: paper(n as u32),
                    },
                )
                .unwrap();
        }
        assert_eq!(d.state, CaseState::AwaitingPayment);

        // It is in 待缴费, found by title, by serial and by the writer's ID number, and by two characters.
        for q in [
            None,
            Some("断桥残雪"),
            Some(d.serial.as_str()),
            Some("11010519491231002X"),
            Some("湖光"),
        ] {
            let page = f
                .store
                .list_queue(
                    &c,
                    &QueueInput {
                        queue: Queue::AwaitingPayment,
                        page: 1,
                        page_size: 20,
                        search: q.map(String::from),
                        sort: None,
                        office: None,
                    },
                )
                .unwrap();
            assert_eq!(page.total, 1, "{q:?}");
        }
        let none = f
            .store
            .list_queue(
                &c,
                &QueueInput {
                    queue: Queue::AwaitingPayment,
                    page: 1,
                    page_size: 20,
                    search: Some("没有这个".into()),
                    sort: None,
                    office: None,
                },
            )
            .unwrap();
        assert_eq!(none.total, 0);
        assert!(f.store.verify_audit().unwrap().ok);
        // Editing is over once it waits for payment.
        let e = f
            .store
            .save_draft(
                &c,
                &SaveDraftInput {
                    case_id: Some(d.id.clone()),
                    version: Some(d.version),
                    applicant_id: None,
                    draft,
                },
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused);
    }

    #[test]
    fn the_application_form_names_the_work_and_every_party() {
        let f = fixture();
        let admin = set_up(&f);
        let c = clerk(&f, &admin);
        let d = f
            .store
            .save_draft(
                &c,
                &SaveDraftInput {
                    case_id: None,
                    version: None,
                    applicant_id: None,
                    draft: corporate(&f, &c, true),
                },
            )
            .unwrap();
        let (serial, pdf) = f.store.application_form_pdf(&c, &d.serial).unwrap();
        assert_eq!(serial, d.serial);
        assert!(pdf.starts_with(b"%PDF"));
        let path = f.dir.path().join("form.pdf");
        std::fs::write(&path, &pdf).unwrap();
        match std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
            Ok(out) if out.status.success() => {
                let text = String::from_utf8_lossy(&out.stdout).replace(char::is_whitespace, "");
                for needle in [
                    "作品登记申请表",
                    "西湖十景之断桥残雪",
                    "杭州湖光影像文化传媒有限公司",
                    "宁波海曙文化发展有限公司",
                    "陈思远",
                    "2026年1月12日",
                    serial.as_str(),
                ] {
                    assert!(text.contains(&needle.replace(' ', "")), "{needle} not in the PDF text");
                }
            }
            _ => eprintln!(
                "pdftotext is not installed; the PDF text was not checked (bash .ci/setup --test installs it)"
            ),
        }
    }

    #[test]
    fn a_draft_survives_closing_the_app() {
        let f = fixture();
        let admin = set_up(&f);
        let c = clerk(&f, &admin);
        let mut draft = FilingDraft::default();
        draft.work.title = "未写完的作品".into();
        draft.work.completed_on = "2026-1".into();
        let d = f
            .store
            .save_draft(
                &c,
                &SaveDraftInput {
                    case_id: None,
                    version: None,
                    applicant_id: None,
                    draft: draft.clone(),
                },
            )
            .unwrap();
        let dir = f.dir.path().to_path_buf();
        let clock = f.clock.clone();
        drop(f.store);
        let again = Store::open(&dir, clock).unwrap();
        let c = again
            .login(&LoginInput {
                username: "wangli".into(),
                password: "Shouli2026".into(),
            })
            .unwrap();
        let back = again.case_detail(&c, &d.serial).unwrap();
        assert_eq!(back.draft, draft);
        assert_eq!(back.state, CaseState::Draft);
    }

    #[test]
    fn files_are_content_addressed_deduplicated_and_verified() {
        let f = fixture();
        let admin = set_up(&f);
        let c = clerk(&f, &admin);
        // A 12 MB file goes through in 1 MB chunks.
        let big: Vec<u8> = (0..12 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
        let a = file(&f, &c, "录像.mp4", &big);
        let b = file(&f, &c, "录像副本.mp4", &big);
        assert_eq!(a.sha256, b.sha256);
        assert_ne!(a.id, b.id);
        assert_eq!((a.size, a.mime.as_str()), (12 * 1024 * 1024, "video/mp4"));
        let blobs = std::fs::read_dir(f.dir.path().join("files").join(&a.sha256[0..2]))
            .unwrap()
            .count();
        assert_eq!(blobs, 1);
        let p = f.store.verified_file_path(&c, &a.id).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), big);
        // Altered on disk: reading it fails with a clear message.
        std::fs::write(&p, b"tampered").unwrap();
        let e = f.store.verified_file_path(&c, &b.id).unwrap_err();
        assert!(e.to_string().contains("内容与登记时不一致"), "{e}");
        // A missing source names the field.
        let e = f
            .store
            .add_file(&c, &f.dir.path().join("nope.jpg"))
            .unwrap_err()
            .to_api();
        assert_eq!(e.fields[0].field, "path");
    }

    #[test]
    fn serials_count_per_day_and_differ_between_stations() {
        let f = fixture();
        let admin = set_up(&f);
        let c = clerk(&f, &admin);
        let save = |s: &Store| {
            s.save_draft(
                &c,
                &SaveDraftInput {
                    case_id: None,
                    version: None,
                    applicant_id: None,
                    draft: FilingDraft::default(),
                },
            )
            .unwrap()
            .serial
        };
        let one = save(&f.store);
        let two = save(&f.store);
        assert!(one.ends_with("-0001") && two.ends_with("-0002"), "{one} {two}");
        f.clock.advance(Duration::days(1));
        assert!(save(&f.store).ends_with("20261126-0001"));
        assert_eq!(station_code(f.store.station_id()), one.split('-').nth(1).unwrap());
    }
}

#[test]
fn dates_in_documents_read_the_chinese_way() {
    use regdesk_domain::work::PartialDate;
    assert_eq!(
        chinese_date(&PartialDate::new(2026, Some(1), Some(12)).unwrap()),
        "2026年1月12日"
    );
    assert_eq!(
        chinese_date(&PartialDate::new(2026, Some(11), None).unwrap()),
        "2026年11月"
    );
    assert_eq!(chinese_date(&PartialDate::new(2026, None, None).unwrap()), "2026年");
    // 23:30 UTC is already the next day in the office.
    let t = Utc.with_ymd_and_hms(2026, 11, 24, 23, 30, 0).unwrap();
    assert_eq!(office_date(t), chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
}

mod proofs {
    use super::*;
    use regdesk_domain::applicant::ProofKind;

    #[test]
    fn proofs_are_scans_checked_by_a_named_clerk_and_removal_is_recorded() {
        let f = fixture();
        crate::demo::fill(&f.store, 1).unwrap();
        let admin = login(&f, "admin", crate::demo::DEMO_PASSWORD).unwrap();
        let clerk = login(&f, "wangli", crate::demo::DEMO_PASSWORD).unwrap();
        let applicant = f
            .store
            .find_applicants(
                &clerk,
                &FindApplicantsInput {
                    query: "湖光影像".into(),
                    limit: 1,
                },
            )
            .unwrap()
            .remove(0);
        let scan = f.dir.path().join("营业执照.pdf");
        std::fs::write(&scan, b"%PDF-1.4 licence scan").unwrap();
        let video = f.dir.path().join("录像.mp4");
        std::fs::write(&video, b"not a scan").unwrap();
        let scan = f.store.add_file(&clerk, &scan).unwrap();
        let video = f.store.add_file(&clerk, &video).unwrap();
        let input = |file_id: &str| AddProofInput {
            applicant_id: applicant.id.clone(),
            file_id: file_id.into(),
            kind: ProofKind::Licence,
        };
        let e = f
            .store
            .add_identity_proof(&clerk, &input(&video.id))
            .unwrap_err()
            .to_api();
        assert_eq!(e.fields[0].code, "not_a_scan");
        // Only the counter keeps profiles.
        assert_eq!(
            f.store.add_identity_proof(&admin, &input(&scan.id)).unwrap_err().kind(),
            ErrorKind::Permission
        );
        let before = journal_count(&f);
        let p = f.store.add_identity_proof(&clerk, &input(&scan.id)).unwrap();
        assert_eq!(journal_count(&f), before + 1);
        assert_eq!(
            (p.kind_label.as_str(), p.file_name.as_str()),
            ("营业执照或信用代码证书", "营业执照.pdf")
        );
        assert_eq!(p.checked_by_name, None);
        f.clock.advance(Duration::minutes(3));
        let checked = f.store.check_identity_proof(&clerk, &p.id).unwrap();
        assert_eq!(checked.checked_by_name.as_deref(), Some("王丽"));
        assert_eq!(checked.checked_at, Some(f.clock.now()));
        let again = f.store.check_identity_proof(&clerk, &p.id).unwrap_err().to_api();
        assert!(again.message.contains("王丽"), "{}", again.message);
        assert_eq!(f.store.identity_proofs(&clerk, &applicant.id).unwrap(), vec![checked]);
        f.store.remove_identity_proof(&clerk, &p.id).unwrap();
        assert!(f.store.identity_proofs(&clerk, &applicant.id).unwrap().is_empty());
        let c = Connection::open(f.store.path()).unwrap();
        let removed: Option<String> = c
            .query_row("SELECT removed_at FROM applicant_proofs WHERE id = ?1", [&p.id], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(removed.is_some());
        assert!(f.store.verify_audit().unwrap().ok);
    }
}

mod payments {
    use super::*;
    use chrono::NaiveDate;
    use regdesk_domain::lifecycle::{CaseState, PaymentMethod};
    use regdesk_domain::payment::{RefundInput, RefundMethod, TransferCommand, TransferInput, TransferState};

    struct Desk {
        f: Fixture,
        clerk: Session,
        chen: Session,
        he: Session,
    }

    fn desk(cases: u32) -> Desk {
        let f = fixture();
        crate::demo::fill(&f.store, cases).unwrap();
        let clerk = login(&f, "wangli", crate::demo::DEMO_PASSWORD).unwrap();
        let chen = login(&f, "chenxy", crate::demo::DEMO_PASSWORD).unwrap();
        let he = login(&f, "hejun", crate::demo::DEMO_PASSWORD).unwrap();
        Desk { f, clerk, chen, he }
    }

    fn transfer(amount_fen: i64, reference: &str) -> TransferInput {
        TransferInput {
            method: PaymentMethod::BankTransfer,
            payer: "林晓雨".into(),
            payer_account: "6222 0202 0001 2345 678".into(),
            payer_bank: "工商银行杭州分行".into(),
            amount_fen,
            received_at: NaiveDate::from_ymd_opt(2026, 11, 25)
                .unwrap()
                .and_hms_opt(9, 5, 0)
                .unwrap(),
            reference: reference.into(),
            purpose: "作品登记费".into(),
        }
    }

    fn waiting(d: &Desk) -> Vec<PaymentCaseRow> {
        d.f.store
            .payment_cases(&d.chen, &PaymentCasesInput { search: None })
            .unwrap()
            .into_iter()
            .filter(|r| r.state == CaseState::AwaitingPayment)
            .collect()
    }

    fn share(case_id: &str, amount_fen: i64) -> ShareInput {
        ShareInput {
            case_id: case_id.into(),
            amount_fen,
        }
    }

    #[test]
    fn one_transfer_pays_two_works_the_maker_cannot_confirm_and_confirmation_starts_the_clock() {
        let d = desk(9);
        let open = waiting(&d);
        let same: Vec<&PaymentCaseRow> = open.iter().filter(|r| r.applicant_name == "林晓雨").collect();
        assert!(same.len() >= 2, "{open:?}");
        assert!(same.iter().all(|r| r.owed_fen == 15_000 && r.short_fen == 15_000));
        let (a, b) = (same[0], same[1]);
        let before = journal_count(&d.f);
        let t =
            d.f.store
                .record_transfer(
                    &d.chen,
                    &RecordTransferInput {
                        transfer: transfer(35_000, "ICBC20261125001"),
                        receipt_file_id: None,
                        shares: vec![share(&a.case_id, 15_000), share(&b.case_id, 15_000)],
                    },
                )
                .unwrap();
        assert_eq!(journal_count(&d.f), before + 1, "one command, one journal entry");
        assert_eq!(
            (t.state, t.over_fen, t.allocations.len()),
            (TransferState::Recorded, 5_000, 2)
        );
        assert!(t
            .allocations
            .iter()
            .all(|x| x.case_state == CaseState::AwaitingPaymentCheck));
        assert!(!t.may_confirm, "the maker may not confirm");
        // The same bank reference is not recorded twice.
        let again =
            d.f.store
                .record_transfer(
                    &d.chen,
                    &RecordTransferInput {
                        transfer: transfer(15_000, "ICBC20261125001"),
                        receipt_file_id: None,
                        shares: vec![share(&open[0].case_id, 15_000)],
                    },
                )
                .unwrap_err()
                .to_api();
        assert_eq!(again.fields[0].field, "reference");
        // Four eyes: the maker is refused, a second finance person confirms.
        let confirm = CheckTransferInput {
            id: t.id.clone(),
            version: t.version,
            command: TransferCommand::Confirm,
        };
        let e = d.f.store.check_transfer(&d.chen, &confirm).unwrap_err().to_api();
        assert_eq!(e.kind, ErrorKind::Refused);
        assert!(e.message.contains("另一位核款人员"), "{}", e.message);
        assert_eq!(
            d.f.store.check_transfer(&d.clerk, &confirm).unwrap_err().kind(),
            ErrorKind::Permission
        );
        let done = d.f.store.check_transfer(&d.he, &confirm).unwrap();
        assert_eq!(done.state, TransferState::Confirmed);
        assert_eq!(done.checked_by_name.as_deref(), Some("何军"));
        for c in [a, b] {
            let detail = d.f.store.case_detail(&d.he, &c.case_id).unwrap();
            assert_eq!(detail.state, CaseState::AwaitingFirstReview);
            assert_eq!(detail.accepted_on, NaiveDate::from_ymd_opt(2026, 11, 25));
            // The 30th working day falls in 2027, whose calendar is not loaded: the deadline waits for it.
            assert_eq!(detail.due_on, None);
        }
        // Loading the year (test data: 元旦 only) fills the deadlines in, in the same command.
        let admin = login(&d.f, "admin", crate::demo::DEMO_PASSWORD).unwrap();
        d.f.store
            .load_calendar_year(&admin, "year 2027\nsource 测试用日历\noff 2027-01-01 元旦\n")
            .unwrap();
        for c in [a, b] {
            let detail = d.f.store.case_detail(&d.he, &c.case_id).unwrap();
            assert_eq!(detail.due_on, NaiveDate::from_ymd_opt(2027, 1, 7));
        }
        // The over payment is the applicant's balance.
        let row =
            d.f.store
                .payment_cases(&d.chen, &PaymentCasesInput { search: None })
                .unwrap()
                .into_iter()
                .find(|r| r.applicant_name == "林晓雨")
                .map(|r| r.applicant_balance_fen);
        if let Some(balance) = row {
            assert_eq!(balance, 5_000);
        }
        assert!(d.f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn short_payments_wait_and_a_rejection_returns_the_case_with_its_reason() {
        let d = desk(3);
        let case = waiting(&d).remove(0);
        let part =
            d.f.store
                .record_transfer(
                    &d.chen,
                    &RecordTransferInput {
                        transfer: transfer(10_000, "ALI-1"),
                        receipt_file_id: None,
                        shares: vec![share(&case.case_id, 10_000)],
                    },
                )
                .unwrap();
        assert_eq!(part.allocations[0].case_state, CaseState::AwaitingPayment);
        let now = waiting(&d).into_iter().find(|r| r.case_id == case.case_id).unwrap();
        assert_eq!((now.covered_fen, now.short_fen), (10_000, 5_000));
        let rest =
            d.f.store
                .record_transfer(
                    &d.he,
                    &RecordTransferInput {
                        transfer: transfer(5_000, "ALI-2"),
                        receipt_file_id: None,
                        shares: vec![share(&case.case_id, 5_000)],
                    },
                )
                .unwrap();
        assert_eq!(rest.allocations[0].case_state, CaseState::AwaitingPaymentCheck);
        // A reason is needed; the case returns to 待缴费 with it.
        let reject = |reason: &str| CheckTransferInput {
            id: rest.id.clone(),
            version: rest.version,
            command: TransferCommand::Reject { reason: reason.into() },
        };
        assert_eq!(
            d.f.store.check_transfer(&d.chen, &reject(" ")).unwrap_err().kind(),
            ErrorKind::Refused
        );
        let r = d.f.store.check_transfer(&d.chen, &reject("银行未到账")).unwrap();
        assert_eq!(r.state, TransferState::Rejected);
        assert_eq!(r.allocations[0].case_state, CaseState::AwaitingPayment);
        let back = waiting(&d).into_iter().find(|r| r.case_id == case.case_id).unwrap();
        assert_eq!(back.covered_fen, 10_000, "the rejected transfer no longer counts");
        // The first part still waits for checking; confirming it alone does not accept the case.
        let first =
            d.f.store
                .check_transfer(
                    &d.he,
                    &CheckTransferInput {
                        id: part.id.clone(),
                        version: part.version,
                        command: TransferCommand::Confirm,
                    },
                )
                .unwrap();
        assert_eq!(first.allocations[0].case_state, CaseState::AwaitingPayment);
    }

    #[test]
    fn a_statement_line_with_the_serial_is_recorded_once_and_waits_for_a_second_person() {
        let d = desk(6);
        let case = waiting(&d).remove(0);
        let csv = format!(
            "中国工商银行账户明细\n账号,1202020209000012345\n\n交易日期,对方户名,对方账号,借方发生额,贷方发生额,摘要,交易流水号\n\
             2026-11-25,林晓雨,6222020200012345678,,150.00,{} 作品登记费,ICBC-A1\n\
             2026-11-25,杭州某某公司,6222020200099999999,,150.00,服务费,ICBC-A2\n\
             2026-11-25,国网杭州供电,,320.00,,电费,ICBC-A3\n合计,,,320.00,300.00,,\n",
            case.serial
        );
        let path = d.f.dir.path().join("流水.csv");
        std::fs::write(&path, csv).unwrap();
        let input = |dry_run| ImportStatementInput {
            path: path.to_str().unwrap().into(),
            dry_run,
        };
        let before = journal_count(&d.f);
        let preview = d.f.store.import_statement(&d.chen, &input(true)).unwrap();
        assert_eq!(journal_count(&d.f), before, "a preview writes nothing");
        let decisions: Vec<LineDecision> = preview.lines.iter().map(|l| l.decision).collect();
        assert_eq!(
            decisions,
            [LineDecision::Matched, LineDecision::Unmatched, LineDecision::Ignored]
        );
        assert_eq!(preview.lines[0].case_serial.as_deref(), Some(case.serial.as_str()));

        // Cancelled while matching (the desk's 取消): nothing is recorded.
        let seen = std::cell::RefCell::new(Vec::new());
        let e =
            d.f.store
                .import_statement_watched(&d.chen, &input(false), &|p| {
                    seen.borrow_mut().push(p);
                    p.done < 2
                })
                .unwrap_err();
        assert!(
            matches!(&e, StoreError::Refused { code, .. } if code == "import_cancelled"),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .contains("比对到第 2 行（共 3 行）时停止，没有记录任何一行"),
            "{e}"
        );
        assert_eq!(journal_count(&d.f), before);
        assert_eq!(d.f.store.open_statement_lines(&d.he).unwrap().len(), 0);
        // Watched to the end: every line, in order, then all of them.
        seen.borrow_mut().clear();
        let watched =
            d.f.store
                .import_statement_watched(&d.chen, &input(true), &|p| {
                    seen.borrow_mut().push(p);
                    true
                })
                .unwrap();
        assert_eq!(watched.lines.len(), 3);
        let progress: Vec<(u32, u32)> = seen.borrow().iter().map(|p| (p.done, p.total)).collect();
        assert_eq!(progress, [(0, 3), (1, 3), (2, 3), (3, 3)]);

        let done = d.f.store.import_statement(&d.chen, &input(false)).unwrap();
        assert_eq!(journal_count(&d.f), before + 1);
        assert_eq!((done.matched, done.waiting, done.ignored), (1, 1, 1));
        let tid = done.lines[0].transfer_id.clone().unwrap();
        let t = d.f.store.transfer(&d.he, &tid).unwrap();
        assert!(t.from_statement && t.may_confirm);
        assert_eq!(t.allocations[0].case_state, CaseState::AwaitingPaymentCheck);

        // The same statement again counts nothing twice.
        let again = d.f.store.import_statement(&d.chen, &input(false)).unwrap();
        assert_eq!((again.matched, again.waiting, again.already_imported), (0, 0, 3));
        let n: i64 = Connection::open(d.f.store.path())
            .unwrap()
            .query_row("SELECT COUNT(*) FROM transfers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);

        // The unmatched line waits for a person, who may dismiss it with a note.
        let open = d.f.store.open_statement_lines(&d.he).unwrap();
        assert_eq!(open.len(), 1);
        let line = open[0].id.clone().unwrap();
        assert_eq!(
            d.f.store
                .dismiss_statement_line(
                    &d.he,
                    &DismissLineInput {
                        line_id: line.clone(),
                        note: "".into()
                    }
                )
                .unwrap_err()
                .to_api()
                .fields[0]
                .field,
            "note"
        );
        d.f.store
            .dismiss_statement_line(
                &d.he,
                &DismissLineInput {
                    line_id: line,
                    note: "其他业务收入".into(),
                },
            )
            .unwrap();
        assert!(d.f.store.open_statement_lines(&d.he).unwrap().is_empty());
    }

    #[test]
    fn a_statement_pays_each_case_and_transfer_once_and_the_journal_names_what_was_applied() {
        let d = desk(9);
        let open = waiting(&d);
        let (a, b) = (&open[0], &open[1]);
        // A transfer recorded by hand, which the bank's line will confirm as seen.
        let t =
            d.f.store
                .record_transfer(
                    &d.chen,
                    &RecordTransferInput {
                        transfer: transfer(15_000, "ICBC-T9"),
                        receipt_file_id: None,
                        shares: vec![share(&b.case_id, 15_000)],
                    },
                )
                .unwrap();
        let csv = format!(
            "交易日期,对方户名,对方账号,借方发生额,贷方发生额,摘要,交易流水号\n\
             2026-11-25,林晓雨,6222020200012345678,,150.00,{a} 作品登记费,ICBC-B1\n\
             2026-11-25,林晓雨,6222020200012345678,,150.00,{a} 作品登记费,ICBC-B2\n\
             2026-11-25,林晓雨,6222020200012345678,,150.00,作品登记费,ICBC-T9\n",
            a = a.serial
        );
        let path = d.f.dir.path().join("两次.csv");
        std::fs::write(&path, csv).unwrap();
        let done =
            d.f.store
                .import_statement(
                    &d.chen,
                    &ImportStatementInput {
                        path: path.to_str().unwrap().into(),
                        dry_run: false,
                    },
                )
                .unwrap();
        let decisions: Vec<LineDecision> = done.lines.iter().map(|l| l.decision).collect();
        assert_eq!(decisions[0], LineDecision::Matched);
        assert_ne!(
            decisions[1],
            LineDecision::Matched,
            "the case was taken by the line before"
        );
        assert_eq!(decisions[2], LineDecision::Matched);
        assert_eq!(done.lines[0].case_serial.as_deref(), Some(a.serial.as_str()));
        assert_eq!(done.lines[2].transfer_id.as_deref(), Some(t.id.as_str()));
        assert_eq!((done.matched, done.waiting, done.ignored), (2, 1, 0));
        let c = Connection::open(d.f.store.path()).unwrap();
        let seen: Option<String> = c
            .query_row("SELECT statement_line_id FROM transfers WHERE id = ?1", [&t.id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(seen, done.lines[2].id);
        let payload: String = c
            .query_row(
                "SELECT payload FROM journal WHERE command = 'import_statement'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
        let new_transfer = done.lines[0].transfer_id.clone().unwrap();
        assert_eq!(
            payload,
            serde_json::json!({
                "file_name": "两次.csv",
                "new_lines": 3,
                "applied": [
                    { "line": done.lines[0].line, "case": a.serial, "transfer": new_transfer },
                    { "line": done.lines[2].line, "case": null, "transfer": t.id },
                ],
                "waiting": 1,
                "ignored": 0,
            })
        );
    }

    #[test]
    fn the_applicants_balance_is_the_over_payment_of_confirmed_transfers() {
        let d = desk(9);
        let open = waiting(&d);
        let same: Vec<&PaymentCaseRow> = open.iter().filter(|r| r.applicant_name == "林晓雨").collect();
        assert!(same.len() >= 2, "{open:?}");
        let (a, b) = (same[0].case_id.clone(), same[1].case_id.clone());
        let balance = |d: &Desk| {
            d.f.store
                .payment_cases(&d.chen, &PaymentCasesInput { search: None })
                .unwrap()
                .into_iter()
                .find(|r| r.case_id == b)
                .unwrap()
                .applicant_balance_fen
        };
        let pay = |amount_fen, reference: &str| {
            d.f.store
                .record_transfer(
                    &d.chen,
                    &RecordTransferInput {
                        transfer: transfer(amount_fen, reference),
                        receipt_file_id: None,
                        shares: vec![share(&a, 15_000)],
                    },
                )
                .unwrap()
        };
        let check = |t: &TransferView, command| {
            d.f.store
                .check_transfer(
                    &d.he,
                    &CheckTransferInput {
                        id: t.id.clone(),
                        version: t.version,
                        command,
                    },
                )
                .unwrap()
        };
        // Over payment counts once confirmed, and a rejected transfer's never.
        let first = pay(18_000, "ICBC-O1");
        assert_eq!((first.over_fen, balance(&d)), (3_000, 0));
        check(
            &first,
            TransferCommand::Reject {
                reason: "金额不符".into(),
            },
        );
        assert_eq!(balance(&d), 0);
        let second = pay(20_000, "ICBC-O2");
        assert_eq!(balance(&d), 0);
        check(&second, TransferCommand::Confirm);
        assert_eq!(balance(&d), 5_000);
    }

    #[test]
    fn a_paid_case_without_a_valid_invoice_email_is_listed_with_the_problem_named() {
        let d = desk(3);
        let case = waiting(&d).remove(0);
        let t =
            d.f.store
                .record_transfer(
                    &d.chen,
                    &RecordTransferInput {
                        transfer: transfer(15_000, "ICBC-E1"),
                        receipt_file_id: None,
                        shares: vec![share(&case.case_id, 15_000)],
                    },
                )
                .unwrap();
        d.f.store
            .check_transfer(
                &d.he,
                &CheckTransferInput {
                    id: t.id,
                    version: t.version,
                    command: TransferCommand::Confirm,
                },
            )
            .unwrap();
        let due = d.f.store.invoices_due(&d.chen).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].email_problem, None, "{:?}", due[0]);
        assert!(due[0].email.contains('@'));
        // No e-mail on the filing, a mistyped one on the profile.
        let c = Connection::open(d.f.store.path()).unwrap();
        c.execute(
            "UPDATE cases SET draft = json_set(draft, '$.invoice_email', '') WHERE id = ?1",
            [&case.case_id],
        )
        .unwrap();
        c.execute(
            "UPDATE applicants SET invoice_email = 'fapiao-at-example.cn'
             WHERE id = (SELECT applicant_id FROM cases WHERE id = ?1)",
            [&case.case_id],
        )
        .unwrap();
        let due = d.f.store.invoices_due(&d.chen).unwrap();
        assert_eq!(due.len(), 1, "still due: the case is paid");
        assert_eq!(due[0].email, "fapiao-at-example.cn");
        assert_eq!(
            due[0].email_problem.as_deref(),
            Some("电子发票接收邮箱格式不对，应形如 name@example.cn")
        );
        let json = serde_json::to_value(&due[0]).unwrap();
        assert!(json["email_problem"].is_string());
    }

    #[test]
    fn refunds_invoices_and_the_day_report() {
        let d = desk(3);
        let case = waiting(&d).remove(0);
        let t =
            d.f.store
                .record_transfer(
                    &d.chen,
                    &RecordTransferInput {
                        transfer: transfer(15_000, "ICBC-R1"),
                        receipt_file_id: None,
                        shares: vec![share(&case.case_id, 15_000)],
                    },
                )
                .unwrap();
        d.f.store
            .check_transfer(
                &d.he,
                &CheckTransferInput {
                    id: t.id,
                    version: t.version,
                    command: TransferCommand::Confirm,
                },
            )
            .unwrap();
        // Paid: on the invoice list, exported, then marked issued.
        let due = d.f.store.invoices_due(&d.chen).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].amount_fen, 15_000);
        let xlsx = d.f.store.invoice_list_xlsx(&d.chen).unwrap();
        assert!(xlsx.starts_with(b"PK"));
        let n =
            d.f.store
                .mark_invoices_issued(
                    &d.chen,
                    &MarkInvoicesInput {
                        case_ids: vec![case.case_id.clone()],
                        invoice_number: "FP2026112500001".into(),
                    },
                )
                .unwrap();
        assert_eq!(n, 1);
        assert!(d.f.store.invoices_due(&d.chen).unwrap().is_empty());

        // The day: one received and confirmed transfer.
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let report =
            d.f.store
                .day_report(&d.chen, &DayReportInput { from: day, to: day })
                .unwrap();
        assert_eq!(report.lines.len(), 1);
        assert_eq!(
            (
                report.totals.received_fen,
                report.totals.confirmed_fen,
                report.totals.pending_fen
            ),
            (15_000, 15_000, 0)
        );
        let pdf =
            d.f.store
                .day_report_pdf(&d.chen, &DayReportInput { from: day, to: day })
                .unwrap();
        assert!(pdf.starts_with(b"%PDF"));

        // A refund owed (as a refusal leaves it) is recorded once, for the amount owed.
        let c = Connection::open(d.f.store.path()).unwrap();
        c.execute(
            "UPDATE cases SET facts = json_set(facts, '$.refund_owed_fen', 15000) WHERE id = ?1",
            [&case.case_id],
        )
        .unwrap();
        let owed = d.f.store.refunds_due(&d.chen).unwrap();
        assert_eq!((owed.len(), owed[0].owed_fen), (1, 15_000));
        let refund = |amount_fen| RecordRefundInput {
            case_id: case.case_id.clone(),
            refund: RefundInput {
                method: RefundMethod::BankTransfer,
                amount_fen,
                reference: "TK-0001".into(),
                refunded_on: day,
            },
        };
        let e = d.f.store.record_refund(&d.chen, &refund(10_000)).unwrap_err().to_api();
        assert_eq!(e.fields[0].field, "refund.amount_fen");
        assert_eq!(
            d.f.store.record_refund(&d.clerk, &refund(15_000)).unwrap_err().kind(),
            ErrorKind::Permission
        );
        d.f.store.record_refund(&d.chen, &refund(15_000)).unwrap();
        assert!(d.f.store.refunds_due(&d.chen).unwrap().is_empty());
        let report =
            d.f.store
                .day_report(&d.chen, &DayReportInput { from: day, to: day })
                .unwrap();
        assert_eq!(report.totals.refunded_fen, 15_000);
    }
}

mod offices {
    use super::*;
    use regdesk_domain::office::SubordinateOfficeInput;
    use regdesk_domain::queue::Queue;

    #[test]
    fn the_supervisor_sees_the_office_tree_with_counts_and_each_offices_cases() {
        let f = fixture();
        crate::demo::fill(&f.store, 6).unwrap();
        let admin = login(&f, "admin", crate::demo::DEMO_PASSWORD).unwrap();
        let boss = login(&f, "zhaomin", crate::demo::DEMO_PASSWORD).unwrap();
        let clerk = login(&f, "wangli", crate::demo::DEMO_PASSWORD).unwrap();
        let add = |code: &str, name: &str, parent: &str| {
            f.store.add_subordinate_office(
                &admin,
                &SubordinateOfficeInput {
                    code: code.into(),
                    name: name.into(),
                    parent_code: parent.into(),
                },
            )
        };
        add("ZJHZ", "杭州市版权局", "ZJ").unwrap();
        add("ZJNB", "宁波市版权局", "zj").unwrap();
        add("ZJHZXH", "杭州市西湖区文化和广电旅游体育局", "ZJHZ").unwrap();
        let e = add("ZJWZ", "温州市版权局", "XX").unwrap_err().to_api();
        assert_eq!(e.fields[0].field, "parent_code");
        assert_eq!(add("ZJHZ", "重复", "ZJ").unwrap_err().to_api().fields[0].code, "taken");
        assert_eq!(
            f.store
                .add_subordinate_office(
                    &boss,
                    &SubordinateOfficeInput {
                        code: "ZJJX".into(),
                        name: "嘉兴".into(),
                        parent_code: "ZJ".into()
                    }
                )
                .unwrap_err()
                .kind(),
            ErrorKind::Permission
        );
        // Cases of a subordinate office arrive by sync; here one is marked so by hand.
        {
            let c = f.store.conn();
            c.execute(
                "UPDATE cases SET office_code = 'ZJHZ' WHERE id = (SELECT id FROM cases ORDER BY serial LIMIT 1)",
                [],
            )
            .unwrap();
        }
        let tree = f.store.office_tree(&boss).unwrap();
        let codes: Vec<(&str, u32)> = tree.iter().map(|n| (n.code.as_str(), n.depth)).collect();
        assert_eq!(codes, [("ZJ", 0), ("ZJHZ", 1), ("ZJHZXH", 2), ("ZJNB", 1)]);
        let total = |n: &OfficeNode| {
            n.counts.counter + n.counts.payment + n.counts.review + n.counts.registered + n.counts.other
        };
        assert_eq!((total(&tree[0]), total(&tree[1]), total(&tree[3])), (5, 1, 0));
        assert!(tree[0].own && !tree[1].own);
        // The supervisor lists one office's cases; a clerk may not see the tree.
        let page = f
            .store
            .list_queue(
                &boss,
                &QueueInput {
                    queue: Queue::Drafts,
                    page: 1,
                    page_size: 20,
                    search: None,
                    sort: None,
                    office: Some("zjhz".into()),
                },
            )
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(f.store.office_tree(&clerk).unwrap_err().kind(), ErrorKind::Permission);
    }
}

#[test]
fn calendar_years_list_the_built_in_and_loaded_ones_and_load_from_a_file() {
    let f = fixture();
    let admin = set_up(&f);
    let years = f.store.calendar_years(&admin).unwrap();
    assert_eq!(
        years.iter().map(|y| (y.year, y.builtin)).collect::<Vec<_>>(),
        [(2025, true), (2026, true)]
    );
    assert!(years[1].source.contains("2026"), "{:?}", years[1]);
    let path = f.dir.path().join("2027.txt");
    std::fs::write(&path, "year 2027\nsource 测试用日历\noff 2027-01-01 元旦\n").unwrap();
    let missing = LoadCalendarInput {
        text: String::new(),
        path: Some(f.dir.path().join("无此文件.txt").display().to_string()),
    };
    assert_eq!(
        f.store.load_calendar(&admin, &missing).unwrap_err().to_api().fields[0].field,
        "path"
    );
    let loaded = f
        .store
        .load_calendar(
            &admin,
            &LoadCalendarInput {
                text: String::new(),
                path: Some(path.display().to_string()),
            },
        )
        .unwrap();
    assert_eq!((loaded.year, loaded.holidays, loaded.replaced), (2027, 1, false));
    let years = f.store.calendar_years(&admin).unwrap();
    assert_eq!(years.last().map(|y| (y.year, y.builtin)), Some((2027, false)));
}
