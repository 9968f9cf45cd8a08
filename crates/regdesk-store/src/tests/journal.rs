//! The command transaction (journal.rs): all or nothing, one writer at a time.

use regdesk_domain::staff::Role;

use super::fixtures::*;
use crate::*;

#[test]
fn a_failed_command_leaves_nothing_behind() {
    // A command whose body fails after writing rolls back tables, journal and audit together.
    let (f, _) = office();
    let r: Result<()> = f.store.run(None, "station", |tx, _| {
        tx.execute("UPDATE station SET name = 'changed' WHERE id = 1", [])?;
        Err(StoreError::Corrupt("simulated crash".into()))
    });
    assert!(r.is_err());
    assert_eq!(f.store.app_status(None).unwrap().station_name, "受理窗口1");
    assert_eq!(journal_count(&f), 1);
}

#[test]
fn a_command_missing_from_the_command_list_is_refused_before_it_runs() {
    let (f, _) = office();
    let r: Result<()> = f.store.run(None, "rename_station", |tx, _| {
        tx.execute("UPDATE station SET name = 'changed' WHERE id = 1", [])?;
        Err(StoreError::Corrupt("the body must not run".into()))
    });
    let e = r.unwrap_err();
    assert!(e.to_string().contains("rename_station"), "{e}");
    assert!(!e.to_string().contains("must not run"), "{e}");
    assert_eq!(f.store.app_status(None).unwrap().station_name, "受理窗口1");
    assert_eq!(journal_count(&f), 1);
}

#[test]
fn an_interrupted_transaction_is_not_visible_after_reopen() {
    // Simulates a crash: a writer process dies mid-transaction (connection dropped without commit).
    let (f, _) = office();
    {
        let mut c = raw_db(f.store.path()).unwrap();
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
    let again = open_store(f.dir.path(), f.clock.clone()).unwrap();
    assert_eq!(again.app_status(None).unwrap().station_name, "受理窗口1");
    assert!(again.verify_audit().unwrap().ok);
}

#[test]
fn two_workstation_processes_on_one_file_conflict_cleanly() {
    let (f, admin) = office();
    let r = add_staff(&f, &admin, &REVIEWER);
    let other = open_store(f.dir.path(), f.clock.clone()).unwrap();
    let threads: Vec<_> = (0..2)
        .map(|i| {
            let dir = f.dir.path().to_path_buf();
            let clock = f.clock.clone();
            let admin = admin.clone();
            let id = r.id.clone();
            std::thread::spawn(move || {
                let s = open_store(&dir, clock).unwrap();
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
