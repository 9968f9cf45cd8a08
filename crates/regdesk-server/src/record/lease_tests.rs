//! Leased registration numbers against a real PostgreSQL (helpers from `tests`).

use regdesk_sync::protocol::{LeaseReply, LeaseRequest, SeriesKey};

use super::*;

fn office_year() -> i32 {
    use chrono::Datelike;
    super::super::numbers::office_date(chrono::Utc::now()).year()
}

fn f_series() -> SeriesKey {
    SeriesKey {
        prefix: "浙作登字".into(),
        year: office_year(),
        letter: 'F',
    }
}

fn number(serial: u64) -> String {
    format!("浙作登字-{}-F-{serial:08}", office_year())
}

async fn lease(db: &Db, station_id: &str, give_back: Vec<String>, top_up: bool) -> LeaseReply {
    super::super::lease(
        &db.pool,
        &station(station_id),
        LeaseRequest {
            give_back,
            top_up: if top_up { vec![f_series()] } else { Vec::new() },
        },
    )
    .await
    .unwrap()
}

fn runs(reply: &LeaseReply) -> Vec<(u64, u64)> {
    reply.held.iter().flat_map(|h| h.runs.clone()).collect()
}

/// A final approval made offline with the leased number `serial`.
fn approve_leased(station: &str, seq: i64, by: &str, case_id: &str, first: &str, serial: u64) -> Entry {
    let n: usize = case_id[1..].parse().unwrap();
    let case_serial = format!("2026-{n:06}");
    let no = number(serial);
    let before = case(case_id, &case_serial, "awaiting_final_review", 3, &[first], &[], None);
    let after = case(case_id, &case_serial, "registered", 4, &[first], &[by], Some(&no));
    let log_id = format!("fin-{case_id}-{by}");
    let ledger = row(&[
        ("number", t(&no)),
        ("prefix", t("浙作登字")),
        ("year", Cell::Int(i64::from(office_year()))),
        ("letter", t("F")),
        ("serial", Cell::Int(serial as i64)),
        ("case_id", t(case_id)),
        ("state", t("used")),
        ("issued_at", t(STAMP)),
        ("issued_by", t(by)),
        ("changed_at", Cell::Null),
        ("changed_by", Cell::Null),
        ("reason", Cell::Null),
        ("check_code", t("ABCDE12345")),
    ]);
    let mut e = entry(
        station,
        seq,
        by,
        "final_review",
        vec![
            change("cases", &key(case_id), Some(&before), Some(after)),
            change("registration_numbers", &key(&no), None, Some(ledger)),
            change(
                "review_log",
                &key(&log_id),
                None,
                Some(review(&log_id, case_id, "approve", by, Some(&no))),
            ),
        ],
    );
    e.entity_id = case_id.into();
    e
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leases_are_distinct_returns_are_leased_again_and_the_audit_balances() {
    let db = seeded().await;
    // Two final-review stations take their leases: distinct serials, in order.
    let a = lease(&db, "A", vec![], true).await;
    assert_eq!(runs(&a), vec![(1, 20)]);
    assert_eq!((a.lease_size, a.refill_at), (20, 5));
    let b = lease(&db, "B", vec![], true).await;
    assert_eq!(runs(&b), vec![(21, 40)]);
    // Asking again while above the refill threshold changes nothing.
    assert_eq!(runs(&lease(&db, "A", vec![], true).await), vec![(1, 20)]);

    // A gives back 15–20; a number not leased to it is named, not taken.
    let back: Vec<String> = (15..=20).map(number).chain([number(25), "乱码".into()]).collect();
    let a = lease(&db, "A", back.clone(), false).await;
    assert_eq!(runs(&a), vec![(1, 14)]);
    let refused: Vec<&str> = a.not_taken_back.iter().map(|n| n.number.as_str()).collect();
    assert_eq!(refused, vec![number(25).as_str(), "乱码"]);
    assert!(
        a.not_taken_back[0].reason.contains("不由本工作站持有"),
        "{:?}",
        a.not_taken_back
    );
    // Giving back again (a lost answer) is harmless.
    assert_eq!(runs(&lease(&db, "A", back[..6].to_vec(), false).await), vec![(1, 14)]);
    // B leaves: gives back all it holds.
    let b = lease(&db, "B", (21..=40).map(number).collect(), false).await;
    assert!(b.held.is_empty(), "{b:?}");
    // A third station is leased the returned numbers first, lowest first: no gap, nothing new.
    let c = lease(&db, "C", vec![], true).await;
    assert_eq!(runs(&c), vec![(15, 34)]);

    // A approves offline with its leased number 1: accepted as carried, nothing added.
    let v = push(&db, "A", vec![approve_leased("A", 1, "qian", "c1", "li", 1)]).await;
    assert!(matches!(v[0], Verdict::Accepted { .. }), "{v:?}");
    let c1 = record_row(&db, "cases", &key("c1")).await.unwrap();
    assert_eq!(text_of(&c1, "registration_number"), Some(number(1)));
    assert!(record_row(&db, "registration_numbers", &key(&number(1)))
        .await
        .is_some());
    // A's lease no longer holds it.
    assert_eq!(runs(&lease(&db, "A", vec![], false).await), vec![(2, 14)]);

    // A number not leased to the station, or already used, is refused.
    let (code, reason) = rejected(&push(&db, "A", vec![approve_leased("A", 2, "qian", "c2", "li", 20)]).await[0]);
    assert_eq!(code, RejectCode::Malformed);
    assert!(reason.contains("不是服务器租给本工作站且尚未使用的号码"), "{reason}");
    let (code, _) = rejected(&push(&db, "B", vec![approve_leased("B", 1, "sun", "c2", "li", 3)]).await[0]);
    assert_eq!(code, RejectCode::Malformed);

    // A refused offline approval (four eyes only the record sees) voids its number, with the reason.
    let clash = approve_leased("A", 3, "wang", "c5", "wang", 2);
    let (code, reason) = rejected(&push(&db, "A", vec![clash.clone()]).await[0]);
    assert_eq!(code, RejectCode::FourEyes);
    assert!(reason.contains(&format!("登记号 {} 已作废", number(2))), "{reason}");
    assert!(record_row(&db, "registration_numbers", &key(&number(2)))
        .await
        .is_none());
    let client = db.pool.get().await.unwrap();
    let r = client
        .query_one(
            "SELECT state, reason, case_id FROM number_leases WHERE letter = 'F' AND serial = 2",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(r.get::<_, String>(0), "voided");
    assert!(r.get::<_, String>(1).contains("初审"), "{:?}", r.get::<_, String>(1));
    assert_eq!(r.get::<_, String>(2), "c5");
    drop(client);
    // The same push again gets the same verdict; A holds 3–14 now.
    let again = push(&db, "A", vec![clash]).await;
    assert_eq!(rejected(&again[0]).1, reason);
    assert_eq!(runs(&lease(&db, "A", vec![], false).await), vec![(3, 14)]);

    // An approval the record numbers itself takes a returned serial first (35, given back by B).
    let v = push(&db, "B", vec![approve("B", 2, "sun", "c2", "li")]).await;
    assert!(matches!(v[0], Verdict::Accepted { .. }), "{v:?}");
    let c2 = record_row(&db, "cases", &key("c2")).await.unwrap();
    assert_eq!(text_of(&c2, "registration_number"), Some(number(35)));
    // Then new serials above every lease.
    let v = push(&db, "B", vec![approve("B", 3, "sun", "c3", "li")]).await;
    assert!(matches!(v[0], Verdict::Accepted { .. }), "{v:?}");
    let v = push(&db, "B", vec![approve("B", 4, "sun", "c4", "li")]).await;
    assert!(matches!(v[0], Verdict::Accepted { .. }), "{v:?}");
    let c4 = record_row(&db, "cases", &key("c4")).await.unwrap();
    assert_eq!(text_of(&c4, "registration_number"), Some(number(37)));

    // The audit: 1–37 issued and 38–40 returned = 40; used 1, 35, 36, 37; voided 2;
    // returned 38–40; outstanding A 3–14 and C 15–34.
    let audit = super::super::numbers_audit(&db.pool, None).await.unwrap();
    assert!(audit.balanced, "{audit:?}");
    let f = audit.series.iter().find(|l| l.letter == 'F').unwrap();
    assert_eq!(
        (f.issued, f.used, f.voided, f.returned, f.outstanding),
        (40, 4, 1, 3, 32),
        "{f:?}"
    );
    let held: Vec<(&str, u64)> = audit.leases.iter().map(|s| (s.station_id.as_str(), s.unused)).collect();
    assert_eq!(held, vec![("A", 12), ("C", 20)]);
    assert_eq!(audit.leases[0].numbers, vec![format!("{}–00000014", number(3))]);
    // Another year has nothing.
    let other = super::super::numbers_audit(&db.pool, Some(office_year() - 1))
        .await
        .unwrap();
    assert!(other.series.is_empty() && other.leases.is_empty() && other.balanced);

    // A number with no record at all is named.
    let client = db.pool.get().await.unwrap();
    client
        .execute("DELETE FROM number_leases WHERE letter = 'F' AND serial = 5", &[])
        .await
        .unwrap();
    drop(client);
    let audit = super::super::numbers_audit(&db.pool, None).await.unwrap();
    assert!(!audit.balanced);
    let f = audit.series.iter().find(|l| l.letter == 'F').unwrap();
    assert_eq!(f.unknown_text(), vec![number(5)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_for_another_prefix_or_year_is_refused() {
    let db = seeded().await;
    for series in [
        SeriesKey {
            prefix: "京作登字".into(),
            ..f_series()
        },
        SeriesKey {
            year: office_year() + 1,
            ..f_series()
        },
        SeriesKey {
            letter: 'Z',
            ..f_series()
        },
    ] {
        let e = super::super::lease(
            &db.pool,
            &station("A"),
            LeaseRequest {
                give_back: vec![],
                top_up: vec![series.clone()],
            },
        )
        .await
        .unwrap_err();
        assert!(matches!(e, RecordError::BadRequest(_)), "{series:?}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_refused_while_being_numbered_takes_no_serial() {
    let db = seeded().await;
    // One entry approves c1 (numberable) and c3 (its category unknown to the record).
    let mut e = approve("A", 1, "qian", "c1", "li");
    let before = case("c3", "2026-000003", "awaiting_final_review", 3, &["li"], &[], None);
    let mut after = case("c3", "2026-000003", "registered", 4, &["li"], &["qian"], None);
    super::super::rows::set(&mut after, "category", t("不存在的类别"));
    e.effects.push(change("cases", &key("c3"), Some(&before), Some(after)));
    let (code, reason) = rejected(&push(&db, "A", vec![e]).await[0]);
    assert_eq!(code, RejectCode::Malformed, "{reason}");
    // The serial taken for c1 went back with the refusal: the next approval gets 1.
    let audit = super::super::numbers_audit(&db.pool, None).await.unwrap();
    assert!(audit.balanced, "{audit:?}");
    assert!(audit.series.iter().all(|l| l.issued == 0), "{audit:?}");
    let v = push(&db, "A", vec![approve("A", 2, "qian", "c2", "li")]).await;
    assert!(matches!(v[0], Verdict::Accepted { .. }), "{v:?}");
    let c2 = record_row(&db, "cases", &key("c2")).await.unwrap();
    assert_eq!(text_of(&c2, "registration_number"), Some(number(1)));
    let audit = super::super::numbers_audit(&db.pool, None).await.unwrap();
    assert!(audit.balanced, "{audit:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_stations_unused_numbers_are_returned_and_leased_again_first() {
    let db = seeded().await;
    let mut client = db.pool.get().await.unwrap();
    // The record's office and station A's row, as enrolment leaves them.
    client
        .batch_execute(&format!(
            "INSERT INTO office (id, code, name, prefix, province) VALUES ('{OFFICE}', 'ZJ', '浙江省版权局', '浙作登字', '33');
             INSERT INTO stations (id, name, office_id, credential_sha256, app_version)
                  VALUES ('A', '终审室A', '{OFFICE}', 'x', '0.1.0'), ('B', '终审室B', '{OFFICE}', 'y', '0.1.0');"
        ))
        .await
        .unwrap();
    assert_eq!(runs(&lease(&db, "A", vec![], true).await), vec![(1, 20)]);
    assert_eq!(runs(&lease(&db, "B", vec![], true).await), vec![(21, 40)]);
    // A uses number 1 offline, and is revoked before it uses the rest.
    let v = push(&db, "A", vec![approve_leased("A", 1, "qian", "c1", "li", 1)]).await;
    assert!(matches!(v[0], Verdict::Accepted { .. }), "{v:?}");
    let client: &mut tokio_postgres::Client = &mut client;
    let revoked = crate::stations::revoke(client, " 终审室A ", "admin").await.unwrap();
    assert_eq!(
        revoked,
        crate::stations::Revoked {
            stations: 1,
            numbers_returned: 19
        }
    );
    let audit = super::super::numbers_audit(&db.pool, None).await.unwrap();
    assert!(audit.balanced, "{audit:?}");
    let f = audit.series.iter().find(|l| l.letter == 'F').unwrap();
    assert_eq!(
        (f.issued, f.used, f.voided, f.returned, f.outstanding),
        (40, 1, 0, 19, 20),
        "{f:?}"
    );
    let held: Vec<(&str, u64)> = audit.leases.iter().map(|s| (s.station_id.as_str(), s.unused)).collect();
    assert_eq!(held, vec![("B", 20)]);
    // The next lease of the series takes A's returned numbers first, lowest first.
    assert_eq!(runs(&lease(&db, "C", vec![], true).await), vec![(2, 20), (41, 41)]);
    // Revoking again names nothing left to revoke.
    assert!(crate::stations::revoke(client, "终审室A", "admin").await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lease_size_and_refill_threshold_are_the_offices_settings() {
    let db = seeded().await;
    let settings = |version: i64, size: i64, refill: i64| {
        row(&[
            ("id", Cell::Int(1)),
            ("idle_lock_minutes", Cell::Int(10)),
            ("version", Cell::Int(version)),
            ("number_lease_size", Cell::Int(size)),
            ("number_refill_at", Cell::Int(refill)),
        ])
    };
    {
        let mut client = db.pool.get().await.unwrap();
        let tx = client.transaction().await.unwrap();
        seed_rows(&tx, OFFICE, &[("settings".into(), "[1]".into(), settings(1, 20, 5))])
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    // An administrator sets them at a station; the record leases by them.
    let v = push(
        &db,
        "A",
        vec![entry(
            "A",
            1,
            "admin",
            "set_number_leases",
            vec![change(
                "settings",
                "[1]",
                Some(&settings(1, 20, 5)),
                Some(settings(2, 3, 1)),
            )],
        )],
    )
    .await;
    assert!(matches!(v[0], Verdict::Accepted { .. }), "{v:?}");
    let a = lease(&db, "A", vec![], true).await;
    assert_eq!(runs(&a), vec![(1, 3)]);
    assert_eq!((a.lease_size, a.refill_at), (3, 1));
    // Above the threshold nothing more; at it, topped up to the size again.
    let a = lease(&db, "A", vec![number(1)], true).await;
    assert_eq!(runs(&a), vec![(2, 3)]);
    let a = lease(&db, "A", vec![number(2)], true).await;
    assert_eq!(runs(&a), vec![(1, 3)]);
    // Only an administrator's command may change them.
    let v = push(
        &db,
        "A",
        vec![entry(
            "A",
            2,
            "clerk",
            "set_number_leases",
            vec![change(
                "settings",
                "[1]",
                Some(&settings(2, 3, 1)),
                Some(settings(3, 500, 0)),
            )],
        )],
    )
    .await;
    assert_eq!(rejected(&v[0]).0, RejectCode::NotPermitted);
}
