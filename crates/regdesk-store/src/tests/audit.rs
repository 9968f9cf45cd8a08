//! The hash-chained audit (audit.rs): tampering behind the store's back is found.

use super::fixtures::*;

#[test]
fn tampering_behind_the_stores_back_is_found_at_that_entry() {
    let (f, admin) = office();
    signed_in(&f, &admin, &REVIEWER);
    assert!(f.store.verify_audit().unwrap().ok);
    let c = raw_db(f.store.path()).unwrap();
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
    let (f, admin) = office();
    signed_in(&f, &admin, &REVIEWER);
    let c = raw_db(f.store.path()).unwrap();
    c.execute_batch("PRAGMA foreign_keys=OFF; DELETE FROM audit WHERE seq = 2; DELETE FROM journal WHERE seq = 2;")
        .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert_eq!(r.first_broken, Some(2));
}

#[test]
fn a_rewritten_hash_is_caught_by_the_next_entry() {
    let (f, admin) = office();
    signed_in(&f, &admin, &REVIEWER);
    let c = raw_db(f.store.path()).unwrap();
    c.execute(
        "UPDATE audit SET entry_hash = '00' || substr(entry_hash, 3) WHERE seq = 1",
        [],
    )
    .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert_eq!(r.first_broken, Some(1));
}
