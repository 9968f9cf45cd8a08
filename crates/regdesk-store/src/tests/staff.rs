//! The office set-up, staff, sign-in and locking (staff.rs).

use chrono::Duration;
use regdesk_domain::staff::{Desk, Role};

use super::fixtures::*;
use crate::*;

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
    let (f, admin) = office();
    let r = add_staff(&f, &admin, &REVIEWER);
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
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
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
    let (f, admin) = office();
    let reviewer = signed_in(&f, &admin, &REVIEWER);
    let e = f.store.list_staff(&reviewer).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permission);
    assert!(e.to_string().contains("管理工作人员"));
    let e = f.store.update_settings(&reviewer, &settings_input(1, 5)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permission);
    // A locked session can do nothing.
    let locked = login(&f, "admin", "Banquan2026").unwrap();
    locked.lock();
    assert_eq!(
        f.store.list_staff(&locked).unwrap_err().kind(),
        ErrorKind::SessionLocked
    );
}

#[test]
fn wrong_passwords_lock_the_account_and_reset_clears_it() {
    let (f, admin) = office();
    let r = add_staff(&f, &admin, &REVIEWER);
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
    // The admin, idle meanwhile past the 10 minutes, signs in again.
    let admin = login(&f, "admin", "Banquan2026").unwrap();
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
    let (f, _) = office();
    let a = login(&f, "nobody", "whatever1").unwrap_err().to_string();
    let b = login(&f, "admin", "whatever1").unwrap_err().to_string();
    assert_eq!(a, b);
}

#[test]
fn the_last_admin_cannot_be_removed() {
    let (f, admin) = office();
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

/// `threads` workstations (each its own `Store` on the same file) try a wrong
/// password for `liwen` at the same moment; returns the counter afterwards.
fn parallel_wrong_passwords(threads: usize) -> (Fixture, i64, bool) {
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let dir = f.dir.path().to_path_buf();
            let clock = f.clock.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let s = open_store(&dir, clock).unwrap();
                barrier.wait();
                s.login(&LoginInput {
                    username: "liwen".into(),
                    password: "wrong-password1".into(),
                })
                .unwrap_err()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().kind(), ErrorKind::Auth);
    }
    let c = raw_db(f.store.path()).unwrap();
    let (failed, locked): (i64, bool) = c
        .query_row(
            "SELECT failed_logins, locked_until IS NOT NULL FROM staff WHERE username = 'liwen'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    (f, failed, locked)
}

#[test]
fn parallel_wrong_passwords_each_count() {
    let (f, failed, locked) = parallel_wrong_passwords(4);
    assert_eq!(failed, 4);
    assert!(!locked);
    assert_eq!(journal_count(&f), 2 + 4);
    assert!(f.store.verify_audit().unwrap().ok);
}

#[test]
fn parallel_wrong_passwords_lock_after_five() {
    let (f, failed, locked) = parallel_wrong_passwords(7);
    assert_eq!(failed, 5);
    assert!(locked);
    // The attempts refused as locked leave no entry.
    assert_eq!(journal_count(&f), 2 + 5);
}

#[test]
fn unknown_names_run_the_same_argon2_check_against_a_dummy_hash() {
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
    crate::staff::verifications::take();
    let _ = login(&f, "nobody", "whatever1").unwrap_err();
    let unknown = crate::staff::verifications::take();
    let _ = login(&f, "liwen", "whatever1").unwrap_err();
    let known = crate::staff::verifications::take();
    assert_eq!(unknown.len(), 1, "one Argon2 verification for an unknown name");
    assert_eq!(known.len(), 1);
    assert!(unknown[0].starts_with("$argon2id$"), "{}", unknown[0]);
    assert_eq!(unknown[0], crate::staff::dummy_hash());
    // Same parameters as a real account's hash.
    let params = |h: &str| h.split('$').take(4).collect::<Vec<_>>().join("$");
    assert_eq!(params(&unknown[0]), params(&known[0]));
    // Made once.
    let _ = login(&f, "nobody2", "whatever1").unwrap_err();
    assert_eq!(crate::staff::verifications::take(), unknown);
}
