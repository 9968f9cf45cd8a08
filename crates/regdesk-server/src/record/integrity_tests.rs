//! The store's unique values and references held by the record, against a
//! real PostgreSQL (helpers from `tests`).

use regdesk_sync::UniqueKey;

use super::*;

/// A row of `k`'s table, `id`, holding `value` in the key's columns (the
/// other columns of a composite key fixed).
fn holding(k: &UniqueKey, id: &str, value: &str) -> Row {
    let (mut r, generic) = match k.table {
        "staff" => (staff(id, "新同事", "counter_clerk", false), false),
        "cases" => (case(id, &format!("2026-S-{id}"), "draft", 1, &[], &[], None), false),
        "transfers" => (transfer(id, "recorded", "fin1", None), false),
        _ => {
            // The row's own value in every unique column of its table.
            let mut r = row(&[("id", t(id))]);
            for other in regdesk_sync::UNIQUE_KEYS.iter().filter(|o| o.table == k.table) {
                for c in other.columns {
                    if !r.iter().any(|x| x.name == *c) {
                        r.push(Column {
                            name: (*c).into(),
                            value: t(&format!("{id}-{c}")),
                        });
                    }
                }
            }
            (r, true)
        }
    };
    let (last, rest) = k.columns.split_last().unwrap();
    for c in rest.iter().filter(|_| generic) {
        super::super::rows::set(&mut r, c, t("固定"));
    }
    assert!(super::super::rows::set(&mut r, last, t(value)));
    r
}

/// Who makes a row of `table` in these tests, with which command.
fn maker(table: &str) -> (&'static str, &'static str) {
    match table {
        "staff" => ("admin", "add_staff"),
        "cases" => ("clerk", "create_draft"),
        _ => ("clerk", "create_applicant"),
    }
}

fn making(station: &str, seq: i64, k: &UniqueKey, id: &str, value: &str) -> Entry {
    let (who, command) = maker(k.table);
    entry(
        station,
        seq,
        who,
        command,
        vec![change(k.table, &key(id), None, Some(holding(k, id, value)))],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_unique_value_is_taken_once_and_the_later_station_is_told_who_holds_it() {
    let db = seeded().await;
    let mut seq_a = 0;
    let mut seq_b = 0;
    for (n, k) in regdesk_sync::UNIQUE_KEYS.iter().enumerate() {
        // Values of a case reference are cases the record holds.
        let (taken, free) = if k.columns.contains(&"case_id") {
            ("c1".to_string(), "c2".to_string())
        } else {
            (format!("值-{n}-甲"), format!("值-{n}-乙"))
        };
        let first_id = format!("u{n}a");
        seq_a += 1;
        let v = push(&db, "A", vec![making("A", seq_a, k, &first_id, &taken)]).await;
        assert!(
            matches!(v[0], Verdict::Accepted { .. }),
            "{}.{:?}: the first holder is accepted: {:?}",
            k.table,
            k.columns,
            v[0]
        );
        // Another station took the same value offline: refused, with the holder's row.
        let later_id = format!("u{n}b");
        seq_b += 1;
        let v = push(&db, "B", vec![making("B", seq_b, k, &later_id, &taken)]).await;
        let Verdict::Rejected { code, reason, current } = &v[0] else {
            panic!("{}.{:?}: the clash is refused: {:?}", k.table, k.columns, v[0]);
        };
        assert_eq!(*code, RejectCode::Conflict, "{reason}");
        assert!(reason.contains(k.label), "{}: {reason}", k.table);
        assert!(reason.contains(&taken), "{}: {reason}", k.table);
        assert_eq!(current.len(), 2, "{}: the entry's row and the holder's", k.table);
        assert_eq!(current[0].key, key(&later_id));
        assert_eq!(current[0].after, None, "the refused row is not the record's");
        assert_eq!(current[1].key, key(&first_id));
        assert_eq!(current[1].after, Some(holding(k, &first_id, &taken)));
        assert_eq!(record_row(&db, k.table, &key(&later_id)).await, None);
        // A value of its own is accepted.
        seq_b += 1;
        let v = push(&db, "B", vec![making("B", seq_b, k, &later_id, &free)]).await;
        assert!(
            matches!(v[0], Verdict::Accepted { .. }),
            "{}.{:?}: a free value is accepted: {:?}",
            k.table,
            k.columns,
            v[0]
        );
        // Taking a held value by changing a row is a clash too.
        seq_b += 1;
        let mine = holding(k, &later_id, &free);
        let v = push(
            &db,
            "B",
            vec![{
                let (who, _) = maker(k.table);
                let command = if k.table == "staff" {
                    "update_staff"
                } else {
                    "update_applicant"
                };
                entry(
                    "B",
                    seq_b,
                    who,
                    command,
                    vec![change(
                        k.table,
                        &key(&later_id),
                        Some(&mine),
                        Some(holding(k, &later_id, &taken)),
                    )],
                )
            }],
        )
        .await;
        let (code, reason) = rejected(&v[0]);
        assert_eq!(code, RejectCode::Conflict, "{}: {reason}", k.table);
        assert!(reason.contains(k.label), "{reason}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_transfer_frees_its_reference_and_an_unchanged_value_is_no_clash() {
    let db = seeded().await;
    // tr1 (seeded) holds HZ20260301001; a transfer of its own reference is refused.
    let k = regdesk_sync::UNIQUE_KEYS
        .iter()
        .find(|k| k.table == "transfers")
        .unwrap();
    let v = push(&db, "A", vec![making("A", 1, k, "tr2", "HZ20260301001")]).await;
    let (code, reason) = rejected(&v[0]);
    assert_eq!(code, RejectCode::Conflict);
    assert!(
        reason.contains("转账流水号") && reason.contains("HZ20260301001"),
        "{reason}"
    );
    // tr1 rejected by finance: its reference is free again.
    let before = transfer("tr1", "recorded", "fin1", None);
    let mut after = before.clone();
    super::super::rows::set(&mut after, "state", t("rejected"));
    let v = push(
        &db,
        "A",
        vec![
            entry(
                "A",
                2,
                "fin2",
                "check_transfer",
                vec![change("transfers", &key("tr1"), Some(&before), Some(after))],
            ),
            making("A", 3, k, "tr2", "HZ20260301001"),
        ],
    )
    .await;
    assert!(matches!(v[0], Verdict::Accepted { .. }), "{:?}", v[0]);
    assert!(matches!(v[1], Verdict::Accepted { .. }), "{:?}", v[1]);
    // Editing another column of a row keeps its own value: no clash with itself.
    let mine = holding(k, "tr2", "HZ20260301001");
    let mut edited = mine.clone();
    super::super::rows::set(&mut edited, "payer", t("李四"));
    let v = push(
        &db,
        "A",
        vec![entry(
            "A",
            4,
            "fin1",
            "record_transfer",
            vec![change("transfers", &key("tr2"), Some(&mine), Some(edited))],
        )],
    )
    .await;
    assert!(matches!(v[0], Verdict::Accepted { .. }), "{:?}", v[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_referring_to_a_row_the_record_refused_is_refused_too() {
    let db = seeded().await;
    // Station B's applicant was refused (say, a clash); its draft names it.
    let mut draft = case("c9", "2026-B-000009", "draft", 1, &[], &[], None);
    super::super::rows::set(&mut draft, "applicant_id", t("a-refused"));
    let v = push(
        &db,
        "B",
        vec![entry(
            "B",
            1,
            "clerk",
            "create_draft",
            vec![change("cases", &key("c9"), None, Some(draft.clone()))],
        )],
    )
    .await;
    let (code, reason) = rejected(&v[0]);
    assert_eq!(code, RejectCode::Conflict);
    assert!(reason.contains("申请人（a-refused）不在服务器的记录中"), "{reason}");
    assert_eq!(record_row(&db, "cases", &key("c9")).await, None);
    // With the applicant in the record (or made by the same entry), the draft goes in.
    let mut made = create_applicant("B", 2, "a-refused");
    made.effects.push(change("cases", &key("c9"), None, Some(draft)));
    made.command = "create_draft".into();
    let v = push(&db, "B", vec![made]).await;
    assert!(matches!(v[0], Verdict::Accepted { .. }), "{:?}", v[0]);
    // A review by a staff member the record does not know is refused before (no account).
    let mut log = review("r-x", "c-none", "pass_first_review", "li", None);
    super::super::rows::set(&mut log, "id", t("r-x"));
    let before = case("c6", "2026-000006", "awaiting_first_review", 2, &[], &[], None);
    let after = case("c6", "2026-000006", "awaiting_first_review", 3, &[], &[], None);
    let v = push(
        &db,
        "B",
        vec![entry(
            "B",
            3,
            "li",
            "first_review",
            vec![
                change("cases", &key("c6"), Some(&before), Some(after)),
                change("review_log", &key("r-x"), None, Some(log)),
            ],
        )],
    )
    .await;
    let (code, reason) = rejected(&v[0]);
    assert_eq!(code, RejectCode::Conflict);
    assert!(reason.contains("案件（c-none）不在服务器的记录中"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_unique_key_has_its_index_in_the_record() {
    let db = db().await;
    let client = db.pool.get().await.unwrap();
    let defs: Vec<String> = client
        .query("SELECT indexdef FROM pg_indexes WHERE tablename = 'record_rows'", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for k in regdesk_sync::UNIQUE_KEYS {
        let last = k.columns[k.columns.len() - 1];
        assert!(
            defs.iter()
                .any(|d| d.contains(&format!("\"{last}\"")) && d.contains(&format!("'{}'::text", k.table))),
            "no index for {}.{last}: {defs:#?}",
            k.table
        );
    }
}
