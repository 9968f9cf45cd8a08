//! The idle lock (空闲锁屏) kept by the core: a session idle past the office's
//! setting is refused and locked, whatever the screen does.

use chrono::Duration;

use super::fixtures::*;
use crate::*;

fn unlock(f: &Fixture, s: &Session, password: &str) -> Result<Session> {
    f.store.unlock(
        s,
        &UnlockInput {
            password: password.into(),
        },
    )
}

/// The office's idle lock set to `minutes` by its admin.
fn idle_lock(f: &Fixture, admin: &Session, minutes: i64) {
    let v = f.store.settings(admin).unwrap().version;
    f.store.update_settings(admin, &settings_input(v, minutes)).unwrap();
}

#[test]
fn an_idle_session_is_refused_and_locked_and_unlocks_with_the_password() {
    let (f, admin) = office();
    idle_lock(&f, &admin, 5);
    let idle = Duration::minutes(5);
    let li = signed_in(&f, &admin, &REVIEWER);
    assert_eq!(li.last_active(), f.clock.now(), "signing in is activity");

    // Acts at t.
    let t = f.clock.now() + Duration::minutes(1);
    f.clock.set(t);
    f.store.settings(&li).unwrap();
    assert_eq!(li.last_active(), t);

    // A second short of the idle time: the command passes and counts as activity.
    let t1 = t + idle - Duration::seconds(1);
    f.clock.set(t1);
    f.store
        .desk_overview(&li, regdesk_domain::staff::Desk::FirstReview)
        .unwrap();
    assert_eq!(li.last_active(), t1);
    assert!(!li.locked());

    // A second past the idle time since then: refused, and the session is locked.
    f.clock.set(t1 + idle + Duration::seconds(1));
    let e = f.store.settings(&li).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SessionLocked);
    assert_eq!(e.to_string(), "工作站已锁屏，请输入密码解锁");
    assert!(li.locked());
    assert!(f.store.session_view(&li).unwrap().locked, "the screen is told");
    // It stays locked: no time passing makes a command pass again.
    assert_eq!(f.store.settings(&li).unwrap_err().kind(), ErrorKind::SessionLocked);
    assert_eq!(li.last_active(), t1, "a refused command is no activity");

    // A wrong password does not unlock; the right one does, fresh from now.
    assert_eq!(unlock(&f, &li, "wrong-password1").unwrap_err().kind(), ErrorKind::Auth);
    assert!(li.locked());
    let li = unlock(&f, &li, REVIEWER.password).unwrap();
    assert!(!li.locked());
    assert_eq!(li.last_active(), f.clock.now());
    f.store.settings(&li).unwrap();

    // Exactly the idle time is not past it.
    f.clock.advance(idle);
    f.store.settings(&li).unwrap();
}

#[test]
fn a_copy_of_the_session_refreshes_and_locks_the_session_it_came_from() {
    // The shell runs each command on a clone of the session it holds.
    let (f, admin) = office();
    let li = signed_in(&f, &admin, &REVIEWER);
    let t = f.clock.now();
    let copy = li.clone();
    f.clock.set(t + Duration::minutes(8));
    f.store.settings(&copy).unwrap();
    assert_eq!(li.last_active(), t + Duration::minutes(8));
    // Sixteen minutes after signing in, eight after the copy acted: still within the 10.
    f.clock.set(t + Duration::minutes(16));
    f.store.settings(&li).unwrap();
    // Locked through a copy: the held session is locked too.
    f.clock.set(t + Duration::minutes(27));
    let copy = li.clone();
    assert_eq!(f.store.settings(&copy).unwrap_err().kind(), ErrorKind::SessionLocked);
    assert!(li.locked());
    assert_eq!(li, copy);
}

#[test]
fn the_office_setting_is_read_at_each_command_and_has_no_off() {
    let (f, admin) = office();
    let li = signed_in(&f, &admin, &REVIEWER);
    let t = f.clock.now();
    // The default 10 minutes; the admin shortens it to 5 while 李雯 is away.
    f.clock.set(t + Duration::minutes(4));
    idle_lock(&f, &admin, 5);
    f.clock.set(t + Duration::minutes(6));
    assert_eq!(f.store.settings(&li).unwrap_err().kind(), ErrorKind::SessionLocked);
    // 0 is no setting at all (1–240 minutes): the core cannot be told never to lock.
    let v = f.store.settings(&admin).unwrap().version;
    let e = f.store.update_settings(&admin, &settings_input(v, 0)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    // The longest setting still locks after four hours.
    idle_lock(&f, &admin, 240);
    let li = unlock(&f, &li, REVIEWER.password).unwrap();
    f.clock.advance(Duration::minutes(240));
    f.store.settings(&li).unwrap();
    f.clock.advance(Duration::minutes(240) + Duration::seconds(1));
    assert_eq!(f.store.settings(&li).unwrap_err().kind(), ErrorKind::SessionLocked);
}

#[test]
fn a_fresh_session_like_the_clis_is_never_idle() {
    // The CLI signs in for each run: however long since the last run, the new session passes.
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
    f.clock.advance(Duration::days(3));
    let s = login(&f, REVIEWER.username, REVIEWER.password).unwrap();
    assert!(!s.locked());
    f.store.settings(&s).unwrap();
    f.store
        .desk_overview(&s, regdesk_domain::staff::Desk::FirstReview)
        .unwrap();
    // The admin's session left three days ago is locked; signing in again makes a fresh one.
    assert_eq!(f.store.settings(&admin).unwrap_err().kind(), ErrorKind::SessionLocked);
    let admin = login(&f, "admin", "Banquan2026").unwrap();
    f.store.list_staff(&admin).unwrap();
}
