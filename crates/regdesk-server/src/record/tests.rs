//! The record against a real PostgreSQL: one private cluster shared by the
//! tests of this binary (started by the first test that needs it, stopped when
//! no test is using it), one database per test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use deadpool_postgres::{Manager, Pool};
use regdesk_sync::protocol::{
    Cell, Column, Entry, PullReply, PullRequest, PulledEntry, PushRequest, RejectCode, Row, RowEffect, SnapshotRequest,
    Verdict,
};
use serde_json::json;
use tokio_postgres::NoTls;
use uuid::Uuid;

use super::*;
use crate::pg::{Cluster, StopMode};

// ------------------------------------------------------------ the cluster

struct Shared {
    cluster: Option<(tempfile::TempDir, Cluster)>,
    running: usize,
}

static SHARED: tokio::sync::Mutex<Shared> = tokio::sync::Mutex::const_new(Shared {
    cluster: None,
    running: 0,
});
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// A test's own database; the cluster stops when the last running test's goes.
struct Db {
    pool: Pool,
    config: tokio_postgres::Config,
    blobs: crate::blobs::BlobStore,
    _blob_dir: tempfile::TempDir,
}

impl Drop for Db {
    fn drop(&mut self) {
        std::thread::spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut s = SHARED.lock().await;
                s.running -= 1;
                if s.running == 0 {
                    if let Some((dir, cluster)) = s.cluster.take() {
                        cluster.stop(StopMode::Fast).await.unwrap();
                        drop(dir);
                    }
                }
            });
        })
        .join()
        .unwrap();
    }
}

fn pool_of(config: &tokio_postgres::Config) -> Pool {
    let manager = Manager::new(config.clone(), NoTls);
    Pool::builder(manager).max_size(8).build().unwrap()
}

async fn db() -> Db {
    let base = {
        let mut s = SHARED.lock().await;
        if s.cluster.is_none() {
            let dir = tempfile::tempdir().unwrap();
            let cluster = Cluster::new(dir.path().join("pg")).unwrap();
            cluster.start().await.unwrap();
            s.cluster = Some((dir, cluster));
        }
        s.running += 1;
        s.cluster.as_ref().unwrap().1.config()
    };
    let name = format!(
        "record_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    let (client, conn) = base.connect(NoTls).await.unwrap();
    let driver = tokio::spawn(conn);
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    drop(client);
    let _ = driver.await;
    let mut config = base.clone();
    config.dbname(&name);
    let (mut client, conn) = config.connect(NoTls).await.unwrap();
    let driver = tokio::spawn(conn);
    crate::schema::migrate(&mut client).await.unwrap();
    drop(client);
    let _ = driver.await;
    let blob_dir = tempfile::tempdir().unwrap();
    Db {
        pool: pool_of(&config),
        config,
        blobs: crate::blobs::BlobStore::new(blob_dir.path()),
        _blob_dir: blob_dir,
    }
}

// ------------------------------------------------------------ rows shaped as the store's tables

fn t(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn row(cols: &[(&str, Cell)]) -> Row {
    cols.iter()
        .map(|(n, v)| Column {
            name: (*n).into(),
            value: v.clone(),
        })
        .collect()
}

fn key(id: &str) -> String {
    serde_json::to_string(&[id]).unwrap()
}

const STAMP: &str = "2026-03-02 09:00:00+00:00";
const OFFICE: &str = "office-1";

fn staff(id: &str, name: &str, roles: &str, disabled: bool) -> Row {
    row(&[
        ("id", t(id)),
        ("username", t(id)),
        ("display_name", t(name)),
        ("roles", t(roles)),
        ("password_hash", t("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")),
        ("disabled", Cell::Int(i64::from(disabled))),
        ("failed_logins", Cell::Int(0)),
        ("locked_until", Cell::Null),
        ("must_change_password", Cell::Int(0)),
        ("version", Cell::Int(1)),
        ("created_at", t(STAMP)),
        ("updated_at", t(STAMP)),
    ])
}

fn case(id: &str, serial: &str, state: &str, version: i64, first: &[&str], last: &[&str], number: Option<&str>) -> Row {
    let facts = json!({
        "state": state,
        "signers": [], "fingerprint": null, "signatures": [], "payment_method": null,
        "offline_payment": null, "paid_fen": 15000, "payment_reference": null,
        "accepted_at": "2026-03-01T01:00:00Z", "clock_started_at": "2026-03-01T01:00:00Z",
        "first_reviewers": first, "final_reviewers": last, "correction": null, "corrections": 0,
        "refusal_proposal": null, "registration_number": number, "registered_at": null,
        "refund_owed_fen": 0, "withdrawal": null, "revocation": null, "tracking_number": null
    });
    row(&[
        ("id", t(id)),
        ("serial", t(serial)),
        ("title", t("西湖春晓")),
        ("category", t("fine_art")),
        ("state", t(state)),
        ("applicant_name", t("张三")),
        ("created_at", t(STAMP)),
        ("accepted_on", t("2026-03-01")),
        ("due_on", t("2026-04-13")),
        ("registration_number", number.map_or(Cell::Null, t)),
        ("version", Cell::Int(version)),
        ("updated_at", t(STAMP)),
        ("applicant_id", Cell::Null),
        ("draft", t("{}")),
        ("facts", t(&facts.to_string())),
        ("created_by", t("clerk")),
        ("fee_fen", Cell::Int(15000)),
        ("awaiting_payment_since", Cell::Null),
        ("office_code", Cell::Null),
        ("search_rowid", Cell::Null),
        ("draft_format", Cell::Int(1)),
        ("facts_format", Cell::Int(1)),
    ])
}

/// A case of the subordinate office 330100, first-reviewed there.
fn subordinate_case() -> Row {
    let mut c = case("c7", "2026-000007", "awaiting_final_review", 3, &["hz-li"], &[], None);
    super::rows::set(&mut c, "office_code", t("330100"));
    c
}

fn review(id: &str, case_id: &str, command: &str, staff_id: &str, number: Option<&str>) -> Row {
    row(&[
        ("id", t(id)),
        ("case_id", t(case_id)),
        ("command", t(command)),
        ("staff_id", t(staff_id)),
        ("at", t(STAMP)),
        ("reasons", t("[]")),
        ("ground", Cell::Null),
        ("note", t("")),
        ("deadline", Cell::Null),
        ("registration_number", number.map_or(Cell::Null, t)),
    ])
}

fn transfer(id: &str, state: &str, recorded_by: &str, checked_by: Option<&str>) -> Row {
    row(&[
        ("id", t(id)),
        ("method", t("bank_transfer")),
        ("payer", t("张三")),
        ("payer_account", t("6222020000000000")),
        ("payer_bank", t("工商银行")),
        ("amount_fen", Cell::Int(15000)),
        ("received_at", t("2026-03-01 10:00")),
        ("reference", t("HZ20260301001")),
        ("purpose", t("登记费")),
        ("receipt_file_id", Cell::Null),
        ("applicant_id", Cell::Null),
        ("over_fen", Cell::Int(0)),
        ("state", t(state)),
        ("recorded_by", t(recorded_by)),
        ("recorded_at", t(STAMP)),
        ("checked_by", checked_by.map_or(Cell::Null, t)),
        ("checked_at", checked_by.map_or(Cell::Null, |_| t(STAMP))),
        ("reject_reason", Cell::Null),
        ("statement_line_id", Cell::Null),
        ("version", Cell::Int(1)),
    ])
}

fn applicant(id: &str, name: &str, version: i64) -> Row {
    row(&[("id", t(id)), ("name", t(name)), ("version", Cell::Int(version))])
}

/// Cases seeded: c1..c4 passed first review by 李雯 (`li`), c5 by 王芳 (`wang`, who
/// also holds the final-review role), c6 still waiting for first review.
fn office_rows() -> Vec<(String, String, Row)> {
    let mut rows = vec![
        (
            "office".to_string(),
            "[1]".to_string(),
            row(&[
                ("id", Cell::Int(1)),
                ("name", t("浙江省版权局")),
                ("office_code", t("330000")),
                ("reg_prefix", t("浙作登字")),
                ("province_code", t("33")),
                ("province_name", t("浙江省")),
                ("version", Cell::Int(1)),
                ("created_at", t(STAMP)),
            ]),
        ),
        ("staff".into(), key("admin"), staff("admin", "管理员", "admin", false)),
        (
            "staff".into(),
            key("clerk"),
            staff("clerk", "赵敏", "counter_clerk", false),
        ),
        ("staff".into(), key("li"), staff("li", "李雯", "first_reviewer", false)),
        (
            "staff".into(),
            key("qian"),
            staff("qian", "钱芳", "final_reviewer", false),
        ),
        (
            "staff".into(),
            key("sun"),
            staff("sun", "孙强", "final_reviewer", false),
        ),
        (
            "staff".into(),
            key("wang"),
            staff("wang", "王芳", "first_reviewer,final_reviewer", false),
        ),
        (
            "staff".into(),
            key("gone"),
            staff("gone", "周离", "final_reviewer", true),
        ),
        ("staff".into(), key("fin1"), staff("fin1", "吴会计", "finance", false)),
        ("staff".into(), key("fin2"), staff("fin2", "郑出纳", "finance", false)),
        (
            "transfers".into(),
            key("tr1"),
            transfer("tr1", "recorded", "fin1", None),
        ),
    ];
    for n in 1..=5 {
        let id = format!("c{n}");
        let by = if n == 5 { "wang" } else { "li" };
        rows.push((
            "cases".into(),
            key(&id),
            case(
                &id,
                &format!("2026-{n:06}"),
                "awaiting_final_review",
                3,
                &[by],
                &[],
                None,
            ),
        ));
        rows.push((
            "review_log".into(),
            key(&format!("r{n}")),
            review(&format!("r{n}"), &id, "pass_first_review", by, None),
        ));
    }
    rows.push((
        "cases".into(),
        key("c6"),
        case("c6", "2026-000006", "awaiting_first_review", 2, &[], &[], None),
    ));
    rows.push(("cases".into(), key("c7"), subordinate_case()));
    rows
}

async fn seeded() -> Db {
    let db = db().await;
    let mut client = db.pool.get().await.unwrap();
    let tx = client.transaction().await.unwrap();
    let seq = seed_rows(&tx, OFFICE, &office_rows()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(seq, 1);
    db
}

fn station(id: &str) -> StationAuth {
    StationAuth {
        station_id: id.into(),
        station_name: format!("受理窗口{id}"),
        office_id: OFFICE.into(),
        office_code: None,
    }
}

fn digest(table: &str, key: &str, row: &Row) -> String {
    regdesk_sync::row_digest(table, key, row)
}

/// An effect changing `before` (as the record holds it) into `after`.
fn change(table: &str, key: &str, before: Option<&Row>, after: Option<Row>) -> RowEffect {
    RowEffect {
        table: table.into(),
        key: key.into(),
        before: before.map(|r| digest(table, key, r)),
        after,
        changed: None,
    }
}

fn entry(station: &str, seq: i64, staff: &str, command: &str, effects: Vec<RowEffect>) -> Entry {
    Entry {
        id: Uuid::now_v7(),
        station_id: station.into(),
        station_seq: seq,
        staff_id: Some(staff.into()),
        at: Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap(),
        command: command.into(),
        entity: "case".into(),
        entity_id: String::new(),
        entity_version: 1,
        payload: json!({}),
        payload_format: 1,
        effects,
        blobs: Vec::new(),
    }
}

/// A final approval of a seeded case (first-reviewed by `first`), numbered by the server.
fn approve(station: &str, seq: i64, by: &str, case_id: &str, first: &str) -> Entry {
    let n: usize = case_id[1..].parse().unwrap();
    let serial = format!("2026-{n:06}");
    let before = case(case_id, &serial, "awaiting_final_review", 3, &[first], &[], None);
    let after = case(case_id, &serial, "registered", 4, &[first], &[by], None);
    let log_id = format!("fin-{case_id}-{by}");
    let mut e = entry(
        station,
        seq,
        by,
        "final_review",
        vec![
            change("cases", &key(case_id), Some(&before), Some(after)),
            change(
                "review_log",
                &key(&log_id),
                None,
                Some(review(&log_id, case_id, "approve", by, None)),
            ),
        ],
    );
    e.entity_id = case_id.into();
    e
}

fn create_applicant(station: &str, seq: i64, id: &str) -> Entry {
    entry(
        station,
        seq,
        "clerk",
        "create_applicant",
        vec![change("applicants", &key(id), None, Some(applicant(id, "张三", 1)))],
    )
}

async fn push(db: &Db, station_id: &str, entries: Vec<Entry>) -> Vec<Verdict> {
    super::push(
        &db.pool,
        &db.blobs,
        &station(station_id),
        PushRequest { entries, head: None },
    )
    .await
    .unwrap()
    .verdicts
    .into_iter()
    .map(|v| v.verdict)
    .collect()
}

fn rejected(v: &Verdict) -> (RejectCode, String) {
    match v {
        Verdict::Rejected { code, reason, .. } => (*code, reason.clone()),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

async fn record_row(db: &Db, table: &str, key: &str) -> Option<Row> {
    let client = db.pool.get().await.unwrap();
    client
        .query_opt(
            "SELECT row FROM record_rows WHERE tbl = $1 AND key = $2",
            &[&table, &key],
        )
        .await
        .unwrap()
        .map(|r| serde_json::from_value(r.get(0)).unwrap())
}

fn text_of(row: &Row, name: &str) -> Option<String> {
    super::rows::text(row, name).map(str::to_string)
}

// ------------------------------------------------------------ push

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_push_gets_the_same_verdicts_and_a_rejection_blocks_nothing() {
    let db = seeded().await;
    let entries = vec![
        create_applicant("A", 1, "a1"),
        // An unknown command: rejected for good, the entries behind it still go in.
        entry("A", 2, "clerk", "drop_everything", vec![]),
        create_applicant("A", 3, "a2"),
    ];
    let first = push(&db, "A", entries.clone()).await;
    assert_eq!(first[0], Verdict::Accepted { office_seq: 2 });
    let (code, reason) = rejected(&first[1]);
    assert_eq!(code, RejectCode::UnknownCommand);
    assert!(reason.contains("drop_everything"), "{reason}");
    assert_eq!(first[2], Verdict::Accepted { office_seq: 3 });

    // The same push again (a lost answer): the same verdicts, nothing applied twice.
    let again = push(&db, "A", entries).await;
    assert_eq!(again, first);
    let state = super::state(&db.pool, &station("A")).await.unwrap();
    assert_eq!(state.cursor, 3);
    let pulled = super::pull(
        &db.pool,
        &Waker::start(db.config.clone()),
        &station("B"),
        PullRequest {
            cursor: 1,
            limit: 100,
            wait_ms: 0,
        },
    )
    .await
    .unwrap();
    assert_eq!(pulled.entries.len(), 2);
    assert!(!pulled.more);
    assert_eq!(pulled.cursor, 3);
    // A station past the record's end (a server restored from an older backup) is told so.
    let err = super::pull(
        &db.pool,
        &Waker::start(db.config.clone()),
        &station("B"),
        PullRequest {
            cursor: 9,
            limit: 100,
            wait_ms: 0,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.status(), 409);
    assert!(
        err.to_string().contains("第 9 条") && err.to_string().contains("第 3 条"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_waits_for_its_attachment_and_is_accepted_once_it_is_whole() {
    use sha2::{Digest, Sha256};
    let db = seeded().await;
    let sample = b"a sample of the work".to_vec();
    let sha = hex::encode(Sha256::digest(&sample));
    let mut e = create_applicant("A", 1, "a1");
    e.blobs = vec![sha.clone()];
    // Nothing uploaded, then half: the entry waits and is not applied.
    for held in [0, 8] {
        if held > 0 {
            db.blobs
                .append(&sha, 0, sample.len() as u64, &sample[..held])
                .await
                .unwrap();
        }
        match &push(&db, "A", vec![e.clone()]).await[0] {
            Verdict::RetryLater { reason } => assert!(reason.contains("附件尚未上传完成"), "{reason}"),
            other => panic!("expected retry_later, got {other:?}"),
        }
    }
    db.blobs
        .append(&sha, 8, sample.len() as u64, &sample[8..])
        .await
        .unwrap();
    assert!(matches!(push(&db, "A", vec![e]).await[0], Verdict::Accepted { .. }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn station_order_is_kept_a_gap_waits_and_a_reused_number_is_refused() {
    let db = seeded().await;
    assert_eq!(
        push(&db, "A", vec![create_applicant("A", 5, "a1")]).await[0],
        Verdict::Accepted { office_seq: 2 }
    );
    // Entry 7 before 6: it waits, and stops the batch.
    let v = push(
        &db,
        "A",
        vec![create_applicant("A", 7, "a3"), create_applicant("A", 8, "a4")],
    )
    .await;
    assert_eq!(v.len(), 1);
    assert!(
        matches!(&v[0], Verdict::RetryLater { reason } if reason.contains("第 6 至 6 条")),
        "{v:?}"
    );
    // Number 5 again under another id: refused for good.
    let (code, _) = rejected(&push(&db, "A", vec![create_applicant("A", 5, "a9")]).await[0]);
    assert_eq!(code, RejectCode::Malformed);
    // Entries of another station refuse the whole request.
    let err = super::push(
        &db.pool,
        &db.blobs,
        &station("A"),
        PushRequest {
            entries: vec![create_applicant("B", 1, "b1")],
            head: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.status(), 403);
    assert!(err.to_string().contains("其他工作站"), "{err}");
    assert!(record_row(&db, "applicants", &key("b1")).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_row_is_a_conflict_with_the_servers_rows() {
    let db = seeded().await;
    let v1 = applicant("a1", "张三", 1);
    assert!(matches!(
        push(&db, "A", vec![create_applicant("A", 1, "a1")]).await[0],
        Verdict::Accepted { .. }
    ));
    // Station A renames it; station B, still holding version 1, renames it too.
    let a = entry(
        "A",
        2,
        "clerk",
        "update_applicant",
        vec![change(
            "applicants",
            &key("a1"),
            Some(&v1),
            Some(applicant("a1", "张三丰", 2)),
        )],
    );
    let b = entry(
        "B",
        1,
        "clerk",
        "update_applicant",
        vec![change(
            "applicants",
            &key("a1"),
            Some(&v1),
            Some(applicant("a1", "张珊", 2)),
        )],
    );
    assert!(matches!(push(&db, "A", vec![a]).await[0], Verdict::Accepted { .. }));
    let verdict = push(&db, "B", vec![b]).await.remove(0);
    let Verdict::Rejected { code, reason, current } = verdict else {
        panic!("expected a conflict")
    };
    assert_eq!(code, RejectCode::Conflict);
    assert!(reason.contains("申请人 张三丰"), "{reason}");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].after, Some(applicant("a1", "张三丰", 2)));
    assert_eq!(
        record_row(&db, "applicants", &key("a1")).await,
        Some(applicant("a1", "张三丰", 2))
    );
}

/// An applicant with a mobile number, and a column a newer schema may add.
fn contact(name: &str, mobile: &str, version: i64) -> Row {
    row(&[
        ("id", t("a9")),
        ("name", t(name)),
        ("handler_mobile", t(mobile)),
        ("version", Cell::Int(version)),
    ])
}

/// An edit of the applicant `a9` from `before` to `after`, naming its fields (payload format 2).
fn edit_fields(station: &str, seq: i64, before: &Row, after: Row) -> Entry {
    let mut e = entry(
        station,
        seq,
        "clerk",
        "update_applicant",
        vec![RowEffect {
            table: "applicants".into(),
            key: key("a9"),
            before: Some(digest("applicants", &key("a9"), before)),
            changed: Some(regdesk_sync::fields::changes(before, &after)),
            after: Some(after),
        }],
    );
    e.payload_format = regdesk_domain::stored::JOURNAL_FORMAT;
    e
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_of_different_fields_both_land_and_the_same_field_is_a_conflict_with_both_values() {
    let db = seeded().await;
    let v1 = contact("张三", "13800000001", 1);
    let made = entry(
        "A",
        1,
        "clerk",
        "create_applicant",
        vec![change("applicants", &key("a9"), None, Some(v1.clone()))],
    );
    assert!(matches!(push(&db, "A", vec![made]).await[0], Verdict::Accepted { .. }));
    // A renames; B, still holding version 1, changes the mobile number.
    let a = edit_fields("A", 2, &v1, contact("张三丰", "13800000001", 2));
    let b = edit_fields("B", 1, &v1, contact("张三", "13900000002", 2));
    assert!(matches!(push(&db, "A", vec![a]).await[0], Verdict::Accepted { .. }));
    let landed = push(&db, "B", vec![b]).await.remove(0);
    let Verdict::Accepted { office_seq } = landed else {
        panic!("disjoint fields merge: {landed:?}")
    };
    let merged = contact("张三丰", "13900000002", 3);
    assert_eq!(record_row(&db, "applicants", &key("a9")).await, Some(merged.clone()));
    // Every station, the sender too, pulls the merged row.
    let pulled = super::pull(
        &db.pool,
        &Waker::start(db.config.clone()),
        &station("A"),
        PullRequest {
            cursor: office_seq - 1,
            limit: 10,
            wait_ms: 0,
        },
    )
    .await
    .unwrap();
    assert_eq!(pulled.entries[0].entry.effects[0].after, Some(merged.clone()));

    // C, also holding version 1, renames it too: the same field → conflict, both values named.
    let c = edit_fields("C", 1, &v1, contact("张珊", "13800000001", 2));
    let verdict = push(&db, "C", vec![c]).await.remove(0);
    let (code, reason) = rejected(&verdict);
    assert_eq!(code, RejectCode::Conflict);
    assert!(
        reason.contains("名称") && reason.contains("张珊") && reason.contains("张三丰"),
        "{reason}"
    );
    assert!(!reason.contains("13"), "the mobile number is no clash: {reason}");
    assert_eq!(record_row(&db, "applicants", &key("a9")).await, Some(merged.clone()));

    // An entry of format 1 names no fields: a row changed since is a conflict as before.
    let mut old = edit_fields("D", 1, &v1, contact("张三", "13700000003", 2));
    old.effects[0].changed = None;
    let (code, _) = rejected(&push(&db, "D", vec![old]).await[0]);
    assert_eq!(code, RejectCode::Conflict);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn columns_of_another_schema_are_kept_never_a_conflict() {
    let db = seeded().await;
    let v1 = contact("张三", "13800000001", 1);
    let made = entry(
        "A",
        1,
        "clerk",
        "create_applicant",
        vec![change("applicants", &key("a9"), None, Some(v1.clone()))],
    );
    assert!(matches!(push(&db, "A", vec![made]).await[0], Verdict::Accepted { .. }));
    // A station of a newer schema (a column `note` at the end) changes the mobile number.
    let mut newer_before = v1.clone();
    newer_before.push(Column {
        name: "note".into(),
        value: Cell::Null,
    });
    let mut newer_after = contact("张三", "13900000002", 2);
    newer_after.push(Column {
        name: "note".into(),
        value: t("老客户"),
    });
    let newer = edit_fields("N", 1, &newer_before, newer_after.clone());
    let verdict = push(&db, "N", vec![newer]).await.remove(0);
    assert!(matches!(verdict, Verdict::Accepted { .. }), "{verdict:?}");
    assert_eq!(
        record_row(&db, "applicants", &key("a9")).await,
        Some(newer_after.clone())
    );
    // A station of the older schema, holding version 1 without `note`, renames it:
    // the record keeps the note (and the other station's number) as it has them.
    let older = edit_fields("O", 1, &v1, contact("张三丰", "13800000001", 2));
    let verdict = push(&db, "O", vec![older]).await.remove(0);
    assert!(matches!(verdict, Verdict::Accepted { .. }), "{verdict:?}");
    let mut merged = contact("张三丰", "13900000002", 3);
    merged.push(Column {
        name: "note".into(),
        value: t("老客户"),
    });
    assert_eq!(record_row(&db, "applicants", &key("a9")).await, Some(merged));
    // Columns in another order are still refused.
    let mut shuffled = contact("张三", "13800000001", 2);
    shuffled.swap(1, 2);
    let odd = entry(
        "O",
        2,
        "clerk",
        "create_applicant",
        vec![change("applicants", &key("a8"), None, Some(shuffled))],
    );
    let (code, _) = rejected(&push(&db, "O", vec![odd]).await[0]);
    assert_eq!(code, RejectCode::Malformed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_staff_rows_decide_who_may_act() {
    let db = seeded().await;
    // A disabled account.
    let (code, reason) = rejected(&push(&db, "A", vec![approve("A", 1, "gone", "c1", "li")]).await[0]);
    assert_eq!(code, RejectCode::StaffInactive);
    assert!(reason.contains("周离") && reason.contains("停用"), "{reason}");
    // A role the record does not give them, whatever the station believed.
    let (code, reason) = rejected(&push(&db, "A", vec![approve("A", 2, "clerk", "c1", "li")]).await[0]);
    assert_eq!(code, RejectCode::NotPermitted);
    assert!(reason.contains("赵敏") && reason.contains("终审"), "{reason}");
    // Someone the record does not know.
    let (code, _) = rejected(&push(&db, "A", vec![approve("A", 3, "nobody", "c1", "li")]).await[0]);
    assert_eq!(code, RejectCode::StaffInactive);
    // A column the record does not know for the table, not at its end (a
    // newer schema adds columns at the end: see the test of other schemas).
    let mut odd = applicant("a1", "张三", 1);
    odd.insert(
        1,
        Column {
            name: "secret".into(),
            value: t("x"),
        },
    );
    assert!(matches!(
        push(&db, "A", vec![create_applicant("A", 4, "a0")]).await[0],
        Verdict::Accepted { .. }
    ));
    let e = entry(
        "A",
        5,
        "clerk",
        "create_applicant",
        vec![change("applicants", &key("a1"), None, Some(odd))],
    );
    let (code, reason) = rejected(&push(&db, "A", vec![e]).await[0]);
    assert_eq!(code, RejectCode::Malformed);
    assert!(reason.contains("secret"), "{reason}");
    // A NUL character (PostgreSQL cannot keep it): refused for good, not retried forever.
    let e = entry(
        "A",
        6,
        "clerk",
        "create_applicant",
        vec![change(
            "applicants",
            &key("a6"),
            None,
            Some(applicant("a6", "张\0三", 1)),
        )],
    );
    assert_eq!(rejected(&push(&db, "A", vec![e]).await[0]).0, RejectCode::Malformed);
    // A station-local table.
    let e = entry(
        "A",
        7,
        "clerk",
        "create_applicant",
        vec![change("journal", "[1]", None, Some(applicant("x", "x", 1)))],
    );
    assert_eq!(rejected(&push(&db, "A", vec![e]).await[0]).0, RejectCode::Malformed);
    // Nothing of the case changed, and no number was used.
    let c1 = record_row(&db, "cases", &key("c1")).await.unwrap();
    assert_eq!(text_of(&c1, "state").as_deref(), Some("awaiting_final_review"));
    assert!(record_row(&db, "registration_counters", r#"["浙作登字",2026,"F"]"#)
        .await
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_eyes_and_state_changes_are_checked_against_the_record() {
    let db = seeded().await;
    // 王芳 passed c5's first review: she cannot approve it.
    let (code, reason) = rejected(&push(&db, "A", vec![approve("A", 1, "wang", "c5", "wang")]).await[0]);
    assert_eq!(code, RejectCode::FourEyes);
    assert!(reason.contains("王芳") && reason.contains("2026-000005"), "{reason}");
    // Even when her station's facts leave her out of the first reviewers.
    let before = case("c5", "2026-000005", "awaiting_final_review", 3, &["wang"], &[], None);
    let lying = case("c5", "2026-000005", "registered", 4, &[], &["wang"], None);
    let e = entry(
        "A",
        2,
        "wang",
        "final_review",
        vec![change("cases", &key("c5"), Some(&before), Some(lying))],
    );
    let (code, _) = rejected(&push(&db, "A", vec![e]).await[0]);
    assert_eq!(code, RejectCode::FourEyes);

    // A transfer recorded by 吴会计 is not checked by 吴会计 …
    let before = transfer("tr1", "recorded", "fin1", None);
    let check = |seq: i64, by: &str| {
        entry(
            "F",
            seq,
            by,
            "check_transfer",
            vec![change(
                "transfers",
                &key("tr1"),
                Some(&before),
                Some(transfer("tr1", "confirmed", "fin1", Some(by))),
            )],
        )
    };
    let (code, reason) = rejected(&push(&db, "F", vec![check(1, "fin1")]).await[0]);
    assert_eq!(code, RejectCode::FourEyes);
    assert!(reason.contains("吴会计"), "{reason}");
    // … but by 郑出纳.
    assert!(matches!(
        push(&db, "F", vec![check(2, "fin2")]).await[0],
        Verdict::Accepted { .. }
    ));

    // A case of a subordinate office is that office's to decide.
    let before = subordinate_case();
    let mut after = subordinate_case();
    super::rows::set(&mut after, "state", t("registered"));
    let e = entry(
        "A",
        3,
        "qian",
        "final_review",
        vec![change("cases", &key("c7"), Some(&before), Some(after))],
    );
    let (code, reason) = rejected(&push(&db, "A", vec![e]).await[0]);
    assert_eq!(code, RejectCode::OutOfScope);
    assert!(reason.contains("330100"), "{reason}");

    // A final approval of a case still waiting for first review: not a change the rules allow.
    let before = case("c6", "2026-000006", "awaiting_first_review", 2, &[], &[], None);
    let after = case("c6", "2026-000006", "registered", 3, &[], &["qian"], None);
    let e = entry(
        "A",
        4,
        "qian",
        "final_review",
        vec![change("cases", &key("c6"), Some(&before), Some(after))],
    );
    let (code, reason) = rejected(&push(&db, "A", vec![e]).await[0]);
    assert_eq!(code, RejectCode::Transition);
    assert!(reason.contains("待初审") && reason.contains("已登记"), "{reason}");
}

// ------------------------------------------------------------ numbers

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_from_two_stations_get_consecutive_numbers_and_a_rejected_one_none() {
    let db = seeded().await;
    let waker = Waker::start(db.config.clone());
    let a = push(&db, "A", vec![approve("A", 1, "qian", "c1", "li")]).await;
    assert!(matches!(a[0], Verdict::Accepted { .. }), "{a:?}");
    // A rejected approval in between (four eyes) takes no number.
    let r = push(&db, "B", vec![approve("B", 1, "wang", "c5", "wang")]).await;
    assert_eq!(rejected(&r[0]).0, RejectCode::FourEyes);
    let b = push(&db, "B", vec![approve("B", 2, "sun", "c2", "li")]).await;
    assert!(matches!(b[0], Verdict::Accepted { .. }), "{b:?}");

    let year = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .format("%Y")
        .to_string();
    let n1 = format!("浙作登字-{year}-F-00000001");
    let n2 = format!("浙作登字-{year}-F-00000002");
    let c1 = record_row(&db, "cases", &key("c1")).await.unwrap();
    let c2 = record_row(&db, "cases", &key("c2")).await.unwrap();
    assert_eq!(text_of(&c1, "registration_number"), Some(n1.clone()));
    assert_eq!(text_of(&c2, "registration_number"), Some(n2.clone()));
    let facts: serde_json::Value = serde_json::from_str(&text_of(&c2, "facts").unwrap()).unwrap();
    assert_eq!(facts["registration_number"], json!(n2));
    let counter = record_row(&db, "registration_counters", &format!(r#"["浙作登字",{year},"F"]"#))
        .await
        .unwrap();
    assert_eq!(super::rows::int(&counter, "last"), Some(2));
    let ledger = record_row(&db, "registration_numbers", &key(&n2)).await.unwrap();
    assert_eq!(text_of(&ledger, "case_id").as_deref(), Some("c2"));
    assert_eq!(text_of(&ledger, "issued_by").as_deref(), Some("sun"));
    assert_eq!(text_of(&ledger, "check_code").map(|c| c.len()), Some(10));
    let log = record_row(&db, "review_log", &key("fin-c1-qian")).await.unwrap();
    assert_eq!(text_of(&log, "registration_number"), Some(n1.clone()));

    // A station that numbers the case itself is refused: numbers come from the record.
    let before = case("c3", "2026-000003", "awaiting_final_review", 3, &["li"], &[], None);
    let own = "浙作登字-2026-F-00000099";
    let after = case("c3", "2026-000003", "registered", 4, &["li"], &["qian"], Some(own));
    let e = entry(
        "A",
        2,
        "qian",
        "final_review",
        vec![change("cases", &key("c3"), Some(&before), Some(after))],
    );
    let (code, reason) = rejected(&push(&db, "A", vec![e]).await[0]);
    assert_eq!(code, RejectCode::Malformed);
    assert!(reason.contains("服务器分配登记号"), "{reason}");

    // The sender pulls its own entry with the rows the server added: they apply
    // on top of its own effects (each `before` is the row as its effects left it).
    let pulled = super::pull(
        &db.pool,
        &waker,
        &station("A"),
        PullRequest {
            cursor: 1,
            limit: 10,
            wait_ms: 0,
        },
    )
    .await
    .unwrap();
    let own = &pulled.entries[0].entry;
    assert_eq!(own.station_id, "A");
    let added = &own.effects[2..];
    let tables: Vec<&str> = added.iter().map(|e| e.table.as_str()).collect();
    assert_eq!(
        tables,
        ["registration_counters", "registration_numbers", "cases", "review_log"]
    );
    let pushed_case = own.effects[0].after.as_ref().unwrap();
    assert_eq!(added[2].before, Some(digest("cases", &key("c1"), pushed_case)));
}

// ------------------------------------------------------------ pull

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_pushes_come_down_in_one_order_with_nothing_skipped() {
    let db = seeded().await;
    let waker = Waker::start(db.config.clone());
    const EACH: i64 = 25;
    let pusher = |s: &'static str| {
        let pool = db.pool.clone();
        let blobs = db.blobs.clone();
        tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in 1..=EACH {
                let e = create_applicant(s, n, &format!("{s}-{n}"));
                ids.push(e.id);
                let v = super::push(
                    &pool,
                    &blobs,
                    &station(s),
                    PushRequest {
                        entries: vec![e],
                        head: None,
                    },
                )
                .await
                .unwrap();
                assert!(matches!(v.verdicts[0].verdict, Verdict::Accepted { .. }), "{v:?}");
            }
            ids
        })
    };
    let (a, b) = (pusher("A"), pusher("B"));
    // A station pulling in small pages while the pushes go on.
    let mut cursor = 0;
    let mut seen: Vec<(i64, Uuid)> = Vec::new();
    let until = Instant::now() + Duration::from_secs(60);
    while seen.len() < (2 * EACH + 1) as usize && Instant::now() < until {
        let page = super::pull(
            &db.pool,
            &waker,
            &station("C"),
            PullRequest {
                cursor,
                limit: 3,
                wait_ms: 2000,
            },
        )
        .await
        .unwrap();
        for p in &page.entries {
            seen.push((p.office_seq, p.entry.id));
        }
        cursor = page.cursor;
    }
    let mut pushed = a.await.unwrap();
    pushed.extend(b.await.unwrap());
    let seqs: Vec<i64> = seen.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        seqs,
        (1..=2 * EACH + 1).collect::<Vec<_>>(),
        "every place once, in order"
    );
    for id in pushed {
        assert_eq!(
            seen.iter().filter(|(_, i)| *i == id).count(),
            1,
            "entry {id} exactly once"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_pull_wakes_when_another_instance_accepts() {
    let db = seeded().await;
    // Two server instances over one database: their own pools and listeners.
    let other = pool_of(&db.config);
    let waker = Waker::start(db.config.clone());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pool = db.pool.clone();
    let waiting = tokio::spawn(async move {
        let page = super::pull(
            &pool,
            &waker,
            &station("B"),
            PullRequest {
                cursor: 1,
                limit: 10,
                wait_ms: 20_000,
            },
        )
        .await
        .unwrap();
        (page, Instant::now())
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(!waiting.is_finished(), "nothing to pull yet: it waits");
    let v = super::push(
        &other,
        &db.blobs,
        &station("A"),
        PushRequest {
            entries: vec![create_applicant("A", 1, "a1")],
            head: None,
        },
    )
    .await
    .unwrap();
    let committed = Instant::now();
    assert!(matches!(v.verdicts[0].verdict, Verdict::Accepted { office_seq: 2 }));
    let (page, woke) = waiting.await.unwrap();
    assert_eq!(page.entries.len(), 1);
    assert_eq!(page.cursor, 2);
    let late = woke.saturating_duration_since(committed);
    assert!(late < Duration::from_millis(500), "woke {late:?} after the commit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pulls_woken_by_one_commit_share_one_read_of_it() {
    let db = seeded().await;
    let waker = Waker::start(db.config.clone());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let waiting: Vec<_> = ["B", "C", "D", "E"]
        .into_iter()
        .map(|s| {
            let (pool, waker) = (db.pool.clone(), waker.clone());
            tokio::spawn(async move {
                super::pull(
                    &pool,
                    &waker,
                    &station(s),
                    PullRequest {
                        cursor: 1,
                        limit: 10,
                        wait_ms: 20_000,
                    },
                )
                .await
                .unwrap()
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let before = waker.recent().reads();
    assert!(before >= 1, "the waiting pulls read the record once at least");
    let v = push(&db, "A", vec![create_applicant("A", 1, "a1")]).await;
    assert!(matches!(v[0], Verdict::Accepted { office_seq: 2 }), "{v:?}");
    for w in waiting {
        let page = w.await.unwrap();
        assert_eq!(page.entries.len(), 1);
        assert_eq!(page.entries[0].office_seq, 2);
        assert_eq!(page.cursor, 2);
    }
    // Four pulls woken by the one notification: one read between them.
    assert_eq!(waker.recent().reads() - before, 1, "one read for the four pulls");

    // A station that pulls right after its push gets its entry though no
    // notification has come yet: the window is read again for a new request.
    let v = push(&db, "A", vec![create_applicant("A", 2, "a2")]).await;
    assert!(matches!(v[0], Verdict::Accepted { office_seq: 3 }), "{v:?}");
    let page = pull_now(&db, &waker, "A", 2).await;
    assert_eq!(page.entries.len(), 1);
    assert_eq!(page.cursor, 3);
    // A cursor before the window reads the record itself and leaves the window be.
    let reads = waker.recent().reads();
    let page = pull_now(&db, &waker, "Z", 0).await;
    assert_eq!(page.entries.iter().map(|e| e.office_seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(waker.recent().reads(), reads);
}

/// A pull's answer as a station reads it: written as the server sends it,
/// and decoded. The JSON is checked to be what the protocol's own
/// [`PullReply`] of the same entries writes, whether an entry's JSON was made
/// for this answer or kept from another.
fn as_sent(answer: PullAnswer) -> PullReply {
    let json = serde_json::to_string(&answer).unwrap();
    let typed = PullReply {
        entries: answer.entries.iter().map(|p| PulledEntry::clone(p)).collect(),
        cursor: answer.cursor,
        more: answer.more,
    };
    assert_eq!(json, serde_json::to_string(&typed).unwrap());
    let reply: PullReply = serde_json::from_str(&json).unwrap();
    assert_eq!(reply, typed);
    reply
}

/// What station `id` pulls after `cursor` without waiting (up to 10 entries).
async fn pull_now(db: &Db, waker: &Waker, id: &str, cursor: i64) -> PullReply {
    as_sent(
        super::pull(
            &db.pool,
            waker,
            &station(id),
            PullRequest {
                cursor,
                limit: 10,
                wait_ms: 0,
            },
        )
        .await
        .unwrap(),
    )
}

// ------------------------------------------------------------ state and snapshot

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_is_consistent_resumable_and_converges_with_later_pulls() {
    let db = seeded().await;
    let waker = Waker::start(db.config.clone());
    for n in 1..=20 {
        push(&db, "A", vec![create_applicant("A", n, &format!("a{n:02}"))]).await;
    }
    let at_start = super::state(&db.pool, &station("N")).await.unwrap();
    let newcomer = station("N");
    let page = |id: Option<String>, after: Option<(String, String)>| {
        super::snapshot(
            &db.pool,
            &newcomer,
            SnapshotRequest {
                snapshot_id: id,
                after,
                max_rows: 10,
            },
        )
    };
    let first = page(None, None).await.unwrap();
    assert_eq!(first.rows.len(), 10);
    assert_eq!(first.cursor, at_start.cursor);
    assert_eq!(first.total_rows, at_start.rows);
    // The size is the rows' JSON as the station counts it, page by page.
    let rows = db
        .pool
        .get()
        .await
        .unwrap()
        .query("SELECT tbl, row FROM record_rows", &[])
        .await
        .unwrap();
    let json_bytes: u64 = rows
        .iter()
        .map(|r| {
            let row = super::rows::parse_row(r.get::<_, &str>(0), r, 1).unwrap();
            regdesk_sync::row_json_len(&row)
        })
        .sum();
    assert!(json_bytes > 0);
    assert_eq!(first.total_bytes, json_bytes);
    // The record moves on meanwhile: a renamed applicant that the snapshot has not given yet.
    let old = applicant("a20", "张三", 1);
    let rename = entry(
        "A",
        21,
        "clerk",
        "update_applicant",
        vec![change(
            "applicants",
            &key("a20"),
            Some(&old),
            Some(applicant("a20", "李四", 2)),
        )],
    );
    assert!(matches!(
        push(&db, "A", vec![rename]).await[0],
        Verdict::Accepted { .. }
    ));

    let mut rows: BTreeMap<(String, String), Row> = BTreeMap::new();
    for r in &first.rows {
        rows.insert((r.table.clone(), r.key.clone()), r.row.clone());
    }
    let mut next = first.next.clone();
    let mut interrupted = false;
    while let Some(after) = next {
        let chunk = page(Some(first.snapshot_id.clone()), Some(after.clone()))
            .await
            .unwrap();
        assert_eq!(chunk.cursor, first.cursor);
        if !interrupted {
            // The answer is lost: the station asks again from the same row and gets the same page.
            interrupted = true;
            let again = page(Some(first.snapshot_id.clone()), Some(after)).await.unwrap();
            assert_eq!(again.rows, chunk.rows);
        }
        for r in &chunk.rows {
            rows.insert((r.table.clone(), r.key.clone()), r.row.clone());
        }
        next = chunk.next;
    }
    assert_eq!(rows.len() as u64, first.total_rows);
    // Exactly the record at the snapshot's cursor.
    assert_eq!(rows[&("applicants".to_string(), key("a20"))], old);
    let hash = |rows: &BTreeMap<(String, String), Row>| {
        let digests: Vec<(String, String, String)> = rows
            .iter()
            .map(|((t, k), r)| (t.clone(), k.clone(), digest(t, k, r)))
            .collect();
        regdesk_sync::state_hash(digests.iter().map(|(t, k, d)| (t.as_str(), k.as_str(), d.as_str())))
    };
    assert_eq!(hash(&rows), at_start.state_hash);
    // Then the pulls from the snapshot's cursor bring the station to the record's state.
    let pulled = super::pull(
        &db.pool,
        &waker,
        &station("N"),
        PullRequest {
            cursor: first.cursor,
            limit: 100,
            wait_ms: 0,
        },
    )
    .await
    .unwrap();
    for p in &pulled.entries {
        for e in &p.entry.effects {
            let k = (e.table.clone(), e.key.clone());
            assert_eq!(
                e.before,
                rows.get(&k).map(|r| digest(&e.table, &e.key, r)),
                "applies in order"
            );
            match &e.after {
                Some(r) => rows.insert(k, r.clone()),
                None => rows.remove(&k),
            };
        }
    }
    let now = super::state(&db.pool, &station("N")).await.unwrap();
    assert_eq!(hash(&rows), now.state_hash);
    assert_eq!(now.cursor, pulled.cursor);

    // A snapshot the server does not have: the station is told to start again.
    let gone = page(Some(Uuid::now_v7().to_string()), None).await.unwrap_err();
    assert_eq!(gone.status(), 410);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_hash_is_the_hash_of_the_rows_recomputed() {
    let db = seeded().await;
    push(&db, "A", vec![approve("A", 1, "qian", "c3", "li")]).await;
    let state = super::state(&db.pool, &station("A")).await.unwrap();
    let client = db.pool.get().await.unwrap();
    let rows = client
        .query("SELECT tbl, key, row FROM record_rows", &[])
        .await
        .unwrap();
    let digests: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            let (table, key): (String, String) = (r.get(0), r.get(1));
            let row: Row = serde_json::from_value(r.get(2)).unwrap();
            let d = digest(&table, &key, &row);
            (table, key, d)
        })
        .collect();
    assert_eq!(state.rows, digests.len() as u64);
    assert_eq!(
        state.state_hash,
        regdesk_sync::state_hash(digests.iter().map(|(t, k, d)| (t.as_str(), k.as_str(), d.as_str())))
    );
    assert_eq!(state.cursor, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_batches_are_accepted_in_order() {
    let db = seeded().await;
    let entries: Vec<Entry> = (1..=2 * MAX_PUSH_ENTRIES as i64)
        .map(|n| create_applicant("A", n, &format!("a{n}")))
        .collect();
    let started = Instant::now();
    let mut expected = 1;
    for chunk in entries.chunks(MAX_PUSH_ENTRIES) {
        for v in push(&db, "A", chunk.to_vec()).await {
            expected += 1;
            assert_eq!(v, Verdict::Accepted { office_seq: expected });
        }
    }
    eprintln!(
        "{} entries accepted at {:.0} per second",
        entries.len(),
        entries.len() as f64 / started.elapsed().as_secs_f64()
    );
    let state = super::state(&db.pool, &station("A")).await.unwrap();
    assert_eq!(state.cursor, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_failure_on_one_entry_keeps_the_ones_before_and_nothing_of_it() {
    let db = seeded().await;
    let admin = db.pool.get().await.unwrap();
    // The record cannot keep accepted entries for now.
    admin
        .batch_execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION 'no space left on device'; END $$;
             CREATE TRIGGER refuse BEFORE INSERT ON record_entries FOR EACH ROW EXECUTE FUNCTION refuse();",
        )
        .await
        .unwrap();
    let entries = vec![
        entry("A", 1, "clerk", "drop_everything", vec![]),
        create_applicant("A", 2, "a1"),
        create_applicant("A", 3, "a2"),
    ];
    let v = push(&db, "A", entries.clone()).await;
    assert_eq!(v.len(), 2, "it stops at the entry that waits: {v:?}");
    assert_eq!(rejected(&v[0]).0, RejectCode::UnknownCommand);
    assert!(matches!(&v[1], Verdict::RetryLater { .. }), "{v:?}");
    assert!(
        record_row(&db, "applicants", &key("a1")).await.is_none(),
        "nothing of it applied"
    );
    admin
        .batch_execute("DROP TRIGGER refuse ON record_entries")
        .await
        .unwrap();
    // Sent again: the rejection kept, the waiting entry and the one behind it accepted.
    let again = push(&db, "A", entries).await;
    assert_eq!(again[0], v[0]);
    assert_eq!(again[1], Verdict::Accepted { office_seq: 2 });
    assert_eq!(again[2], Verdict::Accepted { office_seq: 3 });
    assert!(record_row(&db, "applicants", &key("a1")).await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_office_is_seeded_in_several_entries() {
    let db = db().await;
    let mut rows = office_rows();
    let extra = 2 * SEED_ROWS + 10 - rows.len();
    for n in 0..extra {
        let id = format!("p{n:05}");
        rows.push(("applicants".into(), key(&id), applicant(&id, "张三", 1)));
    }
    let mut client = db.pool.get().await.unwrap();
    // The same row twice: refused, nothing kept.
    let tx = client.transaction().await.unwrap();
    let mut twice = office_rows();
    twice.push(twice[1].clone());
    let err = seed_rows(&tx, OFFICE, &twice).await.unwrap_err();
    assert!(err.to_string().contains("工作人员"), "{err}");
    drop(tx);
    let tx = client.transaction().await.unwrap();
    assert_eq!(seed_rows(&tx, OFFICE, &rows).await.unwrap(), 3);
    tx.commit().await.unwrap();
    drop(client);
    let pulled = super::pull(
        &db.pool,
        &Waker::start(db.config.clone()),
        &station("N"),
        PullRequest {
            cursor: 0,
            limit: 10,
            wait_ms: 0,
        },
    )
    .await
    .unwrap();
    let sizes: Vec<usize> = pulled.entries.iter().map(|p| p.entry.effects.len()).collect();
    assert_eq!(sizes, [SEED_ROWS, SEED_ROWS, 10]);
    let state = super::state(&db.pool, &station("N")).await.unwrap();
    assert_eq!(state.rows, rows.len() as u64);
    assert_eq!(state.cursor, 3);
}

#[path = "lease_tests.rs"]
mod lease_tests;
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_writing_one_blob_take_turns() {
    use sha2::{Digest, Sha256};
    let db = db().await;
    let dir = tempfile::tempdir().unwrap();
    // Two server instances over one database and one blob directory.
    let one = crate::blobs::BlobStore::shared(dir.path(), pool_of(&db.config));
    let two = crate::blobs::BlobStore::shared(dir.path(), pool_of(&db.config));
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    let total = data.len() as u64;
    let sha = hex::encode(Sha256::digest(&data));

    // While another instance holds the blob's lock, a chunk waits for it.
    let mut holder = db.pool.get().await.unwrap();
    let tx = holder.transaction().await.unwrap();
    let (space, k) = crate::blobs::blob_lock_key(&sha);
    tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&space, &k])
        .await
        .unwrap();
    let writer = {
        let one = one.clone();
        let sha = sha.clone();
        let first = data[..100_000].to_vec();
        tokio::spawn(async move { one.append(&sha, 0, total, &first).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !writer.is_finished(),
        "the chunk was written under another instance's lock"
    );
    assert_eq!(two.held(&sha).unwrap().size, 0);
    tx.commit().await.unwrap();
    assert_eq!(writer.await.unwrap().unwrap().size, 100_000);

    // Both instances get the same chunks at once (a station retrying through a
    // balancer): each chunk is appended once, the other told the size held.
    for (from, to) in [(100_000usize, 200_000usize), (200_000, 300_000)] {
        let (a, b) = tokio::join!(
            one.append(&sha, from as u64, total, &data[from..to]),
            two.append(&sha, from as u64, total, &data[from..to])
        );
        let appended = [&a, &b].iter().filter(|r| r.is_ok()).count();
        let told = [&a, &b]
            .iter()
            .filter(|r| {
                r.as_ref()
                    .is_err_and(|e| e.code == regdesk_sync::protocol::ErrorCode::BlobOffset)
            })
            .count();
        assert!(appended >= 1 && appended + told == 2, "{a:?} {b:?}");
    }
    assert!(one.is_complete(&sha) && two.is_complete(&sha));
    assert_eq!(two.read_range(&sha, 0, None).await.unwrap(), (total, data));
}

// ------------------------------------------------------------ office tree scope

/// A station of `office` (`None`: the top office).
fn station_of(id: &str, office: Option<&str>) -> StationAuth {
    StationAuth {
        office_code: office.map(str::to_string),
        ..station(id)
    }
}

async fn push_as(db: &Db, auth: &StationAuth, entries: Vec<Entry>) -> Vec<Verdict> {
    super::push(&db.pool, &db.blobs, auth, PushRequest { entries, head: None })
        .await
        .unwrap()
        .verdicts
        .into_iter()
        .map(|v| v.verdict)
        .collect()
}

fn tree_row(code: &str, name: &str, parent: &str) -> (String, String, Row) {
    (
        "office_tree".into(),
        key(code),
        row(&[
            ("code", t(code)),
            ("name", t(name)),
            ("parent_code", t(parent)),
            ("added_at", t(STAMP)),
            ("added_by", t("admin")),
        ]),
    )
}

/// A new draft case of `office` (with its applicant and one row of its own).
fn new_case_of(station: &str, seq: i64, id: &str, office: &str) -> Entry {
    let mut c = case(id, &format!("2026-K{seq:05}"), "draft", 1, &[], &[], None);
    super::rows::set(&mut c, "office_code", t(office));
    let log = format!("log-{id}");
    let mut e = entry(
        station,
        seq,
        "clerk",
        "create_draft",
        vec![
            change(
                "applicants",
                &key(&format!("ap-{id}")),
                None,
                Some(applicant(&format!("ap-{id}"), "张三", 1)),
            ),
            change("cases", &key(id), None, Some(c)),
            change(
                "review_log",
                &key(&log),
                None,
                Some(review(&log, id, "pass_first_review", "clerk", None)),
            ),
        ],
    );
    e.entity_id = id.into();
    e
}

/// What a station holds after its first sync and every pull since: the rows,
/// applied from a snapshot and then the pulled entries' effects, in order.
async fn replica(db: &Db, auth: &StationAuth) -> BTreeMap<(String, String), Row> {
    let mut rows = BTreeMap::new();
    let mut id = None;
    let mut after = None;
    let cursor = loop {
        let chunk = super::snapshot(
            &db.pool,
            auth,
            SnapshotRequest {
                snapshot_id: id.clone(),
                after: after.clone(),
                max_rows: 7,
            },
        )
        .await
        .unwrap();
        for r in &chunk.rows {
            rows.insert((r.table.clone(), r.key.clone()), r.row.clone());
        }
        id = Some(chunk.snapshot_id.clone());
        after = chunk.next.clone();
        if after.is_none() {
            break chunk.cursor;
        }
    };
    pull_into(db, auth, cursor, &mut rows).await;
    rows
}

/// Pulls every entry after `cursor` into `rows`; returns the entries pulled.
async fn pull_into(
    db: &Db,
    auth: &StationAuth,
    mut cursor: i64,
    rows: &mut BTreeMap<(String, String), Row>,
) -> Vec<regdesk_sync::protocol::PulledEntry> {
    let waker = Waker::start(db.config.clone());
    let mut all = Vec::new();
    loop {
        let page = as_sent(
            super::pull(
                &db.pool,
                &waker,
                auth,
                PullRequest {
                    cursor,
                    limit: 3,
                    wait_ms: 0,
                },
            )
            .await
            .unwrap(),
        );
        for p in &page.entries {
            for e in &p.entry.effects {
                match &e.after {
                    Some(r) => rows.insert((e.table.clone(), e.key.clone()), r.clone()),
                    None => rows.remove(&(e.table.clone(), e.key.clone())),
                };
            }
        }
        all.extend(page.entries);
        cursor = page.cursor;
        if !page.more {
            return all;
        }
    }
}

/// A station's state hash over the rows it holds that its scope sees
/// (`seen`: `None` every office): rows of cases of other offices (a case
/// transferred away) are left out, as the station's own hash leaves them out.
fn scope_hash(rows: &BTreeMap<(String, String), Row>, seen: Option<&[&str]>) -> String {
    let office: BTreeMap<String, String> = rows
        .iter()
        .filter(|((tbl, _), _)| tbl == "cases")
        .map(|(_, r)| (text_of(r, "id").unwrap(), text_of(r, "office_code").unwrap_or_default()))
        .collect();
    let kept: Vec<(String, String, String)> = rows
        .iter()
        .filter(|((tbl, k), r)| {
            let Some(seen) = seen else { return true };
            match super::scope::case_of(tbl, k, Some(r)) {
                None => true,
                Some(c) => office.get(&c).is_some_and(|o| seen.contains(&o.as_str())),
            }
        })
        .map(|((tbl, k), r)| (tbl.clone(), k.clone(), digest(tbl, k, r)))
        .collect();
    regdesk_sync::state_hash(kept.iter().map(|(t, k, d)| (t.as_str(), k.as_str(), d.as_str())))
}

fn has_row(entries: &[regdesk_sync::protocol::PulledEntry], table: &str, k: &str) -> bool {
    entries
        .iter()
        .any(|p| p.entry.effects.iter().any(|e| e.table == table && e.key == k))
}

/// A station, what its scope sees, the rows it holds and its cursor.
type Held<'a> = (StationAuth, Option<&'a [&'a str]>, BTreeMap<(String, String), Row>, i64);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_station_pulls_and_pushes_within_its_offices_scope_and_a_transfer_moves_a_case() {
    let db = seeded().await;
    {
        let mut client = db.pool.get().await.unwrap();
        let tx = client.transaction().await.unwrap();
        seed_rows(
            &tx,
            OFFICE,
            &[
                tree_row("330100", "杭州市版权局", "330000"),
                tree_row("330102", "上城区受理点", "330100"),
                tree_row("330200", "宁波市版权局", "330000"),
            ],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let province = station_of("P", None);
    let city = station_of("C", Some("330100"));
    let county = station_of("K", Some("330102"));
    let other = station_of("L", Some("330200"));

    // A county point opens a case of its own office.
    assert!(matches!(
        push_as(&db, &county, vec![new_case_of("K", 1, "k1", "330102")]).await[0],
        Verdict::Accepted { .. }
    ));
    // Another office's station cannot open a case under the county's code …
    let (code, reason) = rejected(&push_as(&db, &other, vec![new_case_of("L", 1, "l1", "330102")]).await[0]);
    assert_eq!(code, RejectCode::OutOfScope);
    assert!(
        reason.contains("上城区受理点（330102）") && reason.contains("宁波市版权局（330200）"),
        "{reason}"
    );
    // … nor can the province open one under a subordinate's code.
    let (code, _) = rejected(&push_as(&db, &province, vec![new_case_of("P", 1, "p1", "330102")]).await[0]);
    assert_eq!(code, RejectCode::OutOfScope);
    assert!(record_row(&db, "cases", &key("l1")).await.is_none());

    // The city's supervisor station sees the county's case but may not change it.
    let before = record_row(&db, "cases", &key("k1")).await.unwrap();
    let mut edited = before.clone();
    super::rows::set(&mut edited, "title", t("钱江潮"));
    super::rows::set(&mut edited, "version", Cell::Int(2));
    let edit = |station: &str, seq| {
        entry(
            station,
            seq,
            "clerk",
            "save_draft",
            vec![change("cases", &key("k1"), Some(&before), Some(edited.clone()))],
        )
    };
    let (code, reason) = rejected(&push_as(&db, &city, vec![edit("C", 1)]).await[0]);
    assert_eq!(code, RejectCode::OutOfScope);
    assert!(reason.contains("只能查看"), "{reason}");
    // A row belonging to the case is the case's office's too.
    let log = review("log-c", "k1", "pass_first_review", "clerk", None);
    let (code, _) = rejected(
        &push_as(
            &db,
            &city,
            vec![entry(
                "C",
                2,
                "clerk",
                "save_draft",
                vec![change("review_log", &key("log-c"), None, Some(log))],
            )],
        )
        .await[0],
    );
    assert_eq!(code, RejectCode::OutOfScope);

    // Pulls: the county, the city and the province get the case; the other city only the applicant.
    let got = |auth: StationAuth| {
        let db = &db;
        async move { pull_into(db, &auth, 0, &mut BTreeMap::new()).await }
    };
    for auth in [county.clone(), city.clone(), province.clone()] {
        let pulled = got(auth).await;
        assert!(has_row(&pulled, "cases", &key("k1")) && has_row(&pulled, "review_log", &key("log-k1")));
    }
    let pulled = got(other.clone()).await;
    assert!(!has_row(&pulled, "cases", &key("k1")) && !has_row(&pulled, "review_log", &key("log-k1")));
    assert!(
        has_row(&pulled, "applicants", &key("ap-k1")),
        "rows every station holds still come"
    );
    assert!(has_row(&pulled, "office_tree", &key("330102")));
    // The top office's subordinate case c7 (330100) reaches the city but not the county.
    let mut snap = replica(&db, &other).await;
    assert!(!snap.contains_key(&("cases".to_string(), key("c7"))));
    assert!(!snap.contains_key(&("cases".to_string(), key("k1"))));
    assert!(!snap.contains_key(&("cases".to_string(), key("c1"))));
    snap = replica(&db, &city).await;
    assert!(snap.contains_key(&("cases".to_string(), key("c7"))));
    assert!(snap.contains_key(&("cases".to_string(), key("k1"))));
    assert!(
        !snap.contains_key(&("cases".to_string(), key("c1"))),
        "the top office's own cases stay there"
    );

    // Before the transfer, every station's replica converges with the record over its scope.
    let mut held: Vec<Held> = Vec::new();
    for (auth, seen) in [
        (province.clone(), None),
        (city.clone(), Some(&["330100", "330102"][..])),
        (county.clone(), Some(&["330102"][..])),
        (other.clone(), Some(&["330200"][..])),
    ] {
        let rows = replica(&db, &auth).await;
        let state = super::state(&db.pool, &auth).await.unwrap();
        assert_eq!(scope_hash(&rows, seen), state.state_hash, "station {}", auth.station_id);
        held.push((auth, seen, rows, state.cursor));
    }

    // Transfer: the other city's station may not move a case it does not see …
    let mut moved = before.clone();
    super::rows::set(&mut moved, "office_code", t("330200"));
    super::rows::set(&mut moved, "version", Cell::Int(2));
    let transfer = |station: &str, seq, row: Row| {
        let mut e = entry(
            station,
            seq,
            "admin",
            "transfer_case",
            vec![change("cases", &key("k1"), Some(&before), Some(row))],
        );
        e.payload = json!({"office_code": "330200", "reason": "申请人迁居宁波"});
        e
    };
    let (code, _) = rejected(&push_as(&db, &other, vec![transfer("L", 2, moved.clone())]).await[0]);
    assert_eq!(code, RejectCode::OutOfScope);
    // … to an office not in the tree, nor change anything else with it.
    let mut nowhere = moved.clone();
    super::rows::set(&mut nowhere, "office_code", t("339999"));
    let (code, reason) = rejected(&push_as(&db, &province, vec![transfer("P", 2, nowhere)]).await[0]);
    assert_eq!(code, RejectCode::OutOfScope);
    assert!(reason.contains("339999"), "{reason}");
    let mut retitled = moved.clone();
    super::rows::set(&mut retitled, "title", t("钱江潮"));
    let (code, reason) = rejected(&push_as(&db, &province, vec![transfer("P", 3, retitled)]).await[0]);
    assert_eq!(code, RejectCode::NotPermitted);
    assert!(reason.contains("title"), "{reason}");
    // The province's admin moves it to 宁波.
    assert!(matches!(
        push_as(&db, &province, vec![transfer("P", 4, moved)]).await[0],
        Verdict::Accepted { .. }
    ));

    // Every station pulls on from where it stood and still converges over its scope.
    for (auth, seen, rows, cursor) in &mut held {
        let pulled = pull_into(&db, auth, *cursor, rows).await;
        let state = super::state(&db.pool, auth).await.unwrap();
        assert_eq!(scope_hash(rows, *seen), state.state_hash, "station {}", auth.station_id);
        match auth.station_id.as_str() {
            // The new office receives the case with the rows that belong to it.
            "L" => {
                assert!(has_row(&pulled, "cases", &key("k1")) && has_row(&pulled, "review_log", &key("log-k1")));
                assert!(rows.contains_key(&("review_log".to_string(), key("log-k1"))));
            }
            // The old office's stations learn it left (the case row only).
            "K" | "C" => {
                assert!(has_row(&pulled, "cases", &key("k1")) && !has_row(&pulled, "review_log", &key("log-k1")));
            }
            _ => {}
        }
    }
    // The county may no longer change it; 宁波 may.
    let now = record_row(&db, "cases", &key("k1")).await.unwrap();
    let mut again = now.clone();
    super::rows::set(&mut again, "title", t("甬江潮"));
    super::rows::set(&mut again, "version", Cell::Int(3));
    let change_it = |station: &str, seq| {
        entry(
            station,
            seq,
            "clerk",
            "save_draft",
            vec![change("cases", &key("k1"), Some(&now), Some(again.clone()))],
        )
    };
    assert_eq!(
        rejected(&push_as(&db, &county, vec![change_it("K", 2)]).await[0]).0,
        RejectCode::OutOfScope
    );
    assert!(matches!(
        push_as(&db, &other, vec![change_it("L", 3)]).await[0],
        Verdict::Accepted { .. }
    ));
}
/// A pull reads its station's scope from the office tree when it comes in
/// and may wait a minute for entries: an office added under the station's
/// meanwhile, and a case of that office, must both reach it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_whose_scope_grows_while_it_waits_passes_no_case_of_the_new_office() {
    let db = seeded().await;
    let add = |rows: Vec<(String, String, Row)>| {
        let db = &db;
        async move {
            let mut client = db.pool.get().await.unwrap();
            let tx = client.transaction().await.unwrap();
            let seq = seed_rows(&tx, OFFICE, &rows).await.unwrap();
            tx.commit().await.unwrap();
            seq
        }
    };
    let start = add(vec![tree_row("330100", "杭州市版权局", "330000")]).await;
    let city = station_of("C", Some("330100"));
    let mut held = replica(&db, &city).await;
    // The scope the city's waiting pull read when it came in.
    let seen = {
        let client = db.pool.get().await.unwrap();
        super::scope::StationScope::read(&**client, city.office_code.as_deref())
            .await
            .unwrap()
            .sees
    };
    // Then a county point is added under the city, and its station opens a case.
    add(vec![tree_row("330105", "西湖区受理点", "330100")]).await;
    let county = station_of("N", Some("330105"));
    assert!(matches!(
        push_as(&db, &county, vec![new_case_of("N", 1, "n1", "330105")]).await[0],
        Verdict::Accepted { .. }
    ));
    let waker = Waker::start(db.config.clone());
    let page = as_sent(
        super::read_page(
            &db.pool,
            &waker,
            OFFICE,
            start,
            10,
            seen.as_deref(),
            super::recent::Since::Moment(tokio::time::Instant::now()),
        )
        .await
        .unwrap(),
    );
    // The page ends at the tree's change: nothing after it is judged by the old scope.
    assert_eq!(page.entries.len(), 1, "{page:?}");
    assert!(page.more);
    assert!(has_row(&page.entries, "office_tree", &key("330105")));
    for p in &page.entries {
        for e in &p.entry.effects {
            held.insert((e.table.clone(), e.key.clone()), e.after.clone().unwrap());
        }
    }
    // The next pull reads the grown tree and brings the county's case.
    let pulled = pull_into(&db, &city, page.cursor, &mut held).await;
    assert!(has_row(&pulled, "cases", &key("n1")) && has_row(&pulled, "review_log", &key("log-n1")));
    let state = super::state(&db.pool, &city).await.unwrap();
    assert_eq!(scope_hash(&held, Some(&["330100", "330105"][..])), state.state_hash);
}

#[path = "integrity_tests.rs"]
mod integrity_tests;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_station_downloads_only_the_attachments_of_cases_within_its_scope() {
    use axum::extract::{Path as UrlPath, State};
    let db = seeded().await;
    let sha = |c: char| c.to_string().repeat(64);
    let file = |id: &str, sha256: &str| {
        (
            "files".to_string(),
            key(id),
            row(&[
                ("id", t(id)),
                ("sha256", t(sha256)),
                ("size", Cell::Int(3)),
                ("original_name", t("身份证.jpg")),
                ("mime", t("image/jpeg")),
                ("added_at", t(STAMP)),
                ("added_by", t("clerk")),
            ]),
        )
    };
    {
        let mut client = db.pool.get().await.unwrap();
        let tx = client.transaction().await.unwrap();
        seed_rows(
            &tx,
            OFFICE,
            &[
                tree_row("330100", "杭州市版权局", "330000"),
                tree_row("330102", "上城区受理点", "330100"),
                tree_row("330200", "宁波市版权局", "330000"),
            ],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let province = station_of("P", None);
    let city = station_of("C", Some("330100"));
    let county = station_of("K", Some("330102"));
    let other = station_of("L", Some("330200"));
    assert!(matches!(
        push_as(&db, &county, vec![new_case_of("K", 1, "k1", "330102")]).await[0],
        Verdict::Accepted { .. }
    ));
    {
        let mut client = db.pool.get().await.unwrap();
        let tx = client.transaction().await.unwrap();
        seed_rows(
            &tx,
            OFFICE,
            &[
                // The county case's party's identity scan.
                file("f-scan", &sha('a')),
                (
                    "case_identity_files".into(),
                    serde_json::to_string(&["k1", "f-scan"]).unwrap(),
                    row(&[("case_id", t("k1")), ("file_id", t("f-scan"))]),
                ),
                // An applicant's proof: every station's.
                file("f-proof", &sha('b')),
                (
                    "applicant_proofs".into(),
                    key("p1"),
                    row(&[
                        ("id", t("p1")),
                        ("applicant_id", t("ap-k1")),
                        ("file_id", t("f-proof")),
                        ("kind", t("id_card")),
                    ]),
                ),
                // A file no case names.
                file("f-loose", &sha('c')),
            ],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    for (who, scan) in [(&province, true), (&city, true), (&county, true), (&other, false)] {
        assert_eq!(
            super::blob_in_scope(&db.pool, who, &sha('a')).await.unwrap(),
            scan,
            "station {}",
            who.station_id
        );
        for shared in [sha('b'), sha('c'), sha('d')] {
            assert!(super::blob_in_scope(&db.pool, who, &shared).await.unwrap());
        }
    }
    // Over HTTP: the other city's station is refused with the reason, before any bytes are read.
    let state = crate::http::AppState {
        pool: db.pool.clone(),
        ca_fingerprint: String::new(),
        waker: super::Waker::start(db.config.clone()),
        blobs: db.blobs.clone(),
    };
    let refused = crate::blobs::get(
        State(state.clone()),
        other.clone(),
        UrlPath(sha('a')),
        Default::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(refused.status, axum::http::StatusCode::FORBIDDEN);
    assert_eq!(refused.code, regdesk_sync::protocol::ErrorCode::OutOfScope);
    assert!(refused.message.contains("机构范围以外"), "{}", refused.message);
    // The county's station is let through (the blob is not on this server yet: missing).
    let missing = crate::blobs::get(State(state), county.clone(), UrlPath(sha('a')), Default::default())
        .await
        .unwrap_err();
    assert_eq!(missing.code, regdesk_sync::protocol::ErrorCode::BlobMissing);
}
