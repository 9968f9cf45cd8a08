//! Office settings (settings.rs): case periods, the fee, the idle lock.

use super::fixtures::*;
use crate::*;

#[test]
fn case_periods_and_fee_are_settings() {
    let (f, admin) = office();
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
    let (f, admin) = office();
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
fn the_number_lease_settings_are_the_admins_and_checked() {
    let (f, admin) = office();
    let s = f.store.settings(&admin).unwrap();
    assert_eq!((s.number_lease_size, s.number_refill_at), (20, 5));
    let clerk = signed_in(&f, &admin, &CLERK);
    let input = |version, lease_size, refill_at| NumberLeaseSettingsInput {
        version,
        lease_size,
        refill_at,
    };
    let e = f
        .store
        .set_number_leases(&clerk, &input(s.version, 50, 10))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permission);
    // Each bad value named by its field, with the fix.
    for (size, refill, field) in [(0, 0, "lease_size"), (1001, 5, "lease_size"), (10, 10, "refill_at")] {
        let e = f
            .store
            .set_number_leases(&admin, &input(s.version, size, refill))
            .unwrap_err()
            .to_api();
        assert_eq!(e.fields.len(), 1, "{e:?}");
        assert_eq!(e.fields[0].field, field, "{e:?}");
        assert!(e.fields[0].message.contains("请"), "{e:?}");
    }
    let v = f.store.set_number_leases(&admin, &input(s.version, 50, 10)).unwrap();
    assert_eq!(
        (v.number_lease_size, v.number_refill_at, v.version),
        (50, 10, s.version + 1)
    );
    assert_eq!(f.store.settings(&clerk).unwrap().number_lease_size, 50);
    // Against the version read, like every setting.
    let e = f.store.set_number_leases(&admin, &input(s.version, 30, 3)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    // One shared row changed, journalled as its own command.
    let entries = f.store.journal_entries().unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last.command, "set_number_leases");
    assert_eq!(last.effects.len(), 1);
    assert_eq!(last.effects[0].table, "settings");
}
