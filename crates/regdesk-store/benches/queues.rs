//! How queues and the top bar's search hold up in a large office: the sample
//! office's 24 filings (every state), copied in SQL to about 200,000 cases
//! with varied titles, names and ID numbers. The copies carry no filing detail
//! (queues and search do not read it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use regdesk_domain::queue::Queue;
use regdesk_domain::staff::Desk;
use regdesk_store::keys::{KeyHome, StationKeys};
use regdesk_store::{demo, CaseSearchInput, LoginInput, QueueInput, Session, Store, SystemClock};

/// Copies of each sample filing.
const COPIES: u32 = 8_334;

const COPY_CASES: &str = "
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
INSERT INTO cases (id, serial, title, category, state, applicant_name, created_at, accepted_on, due_on,
                   registration_number, version, updated_at, applicant_id, draft, facts, created_by,
                   fee_fen, awaiting_payment_since, office_code)
SELECT c.id || '-' || k.i,
       c.serial || '-' || k.i,
       substr('西湖春色钱塘潮声青瓷纹样山水画卷江南烟雨', k.i % 19 + 1, 2)
         || substr('小桥流水秋月平湖断桥残雪柳浪闻莺花港观鱼', (k.i / 19) % 19 + 1, 2) || '（' || k.i || '）',
       c.category, c.state,
       substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', k.i % 20 + 1, 1)
         || substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平', (k.i / 20) % 20 + 1, 1)
         || CASE WHEN k.i % 3 = 0 THEN substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平', (k.i / 400) % 20 + 1, 1) ELSE '' END,
       c.created_at, c.accepted_on, c.due_on,
       CASE WHEN c.registration_number IS NULL THEN NULL ELSE c.registration_number || '-' || k.i END,
       c.version, c.updated_at, c.applicant_id, '{}', c.facts, c.created_by,
       c.fee_fen, c.awaiting_payment_since, c.office_code
FROM cases c CROSS JOIN k";

const INDEX_COPIES: &str = "
INSERT INTO case_search (case_id, body)
SELECT id, serial || ' ' || title || ' ' || applicant_name || ' ' || printf('330106%012d', rowid)
         || COALESCE(' ' || registration_number, '')
FROM cases WHERE draft = '{}';
CREATE TEMP TABLE link AS SELECT rowid AS r, case_id FROM case_search;
CREATE INDEX temp.link_case ON link (case_id);
UPDATE cases SET search_rowid = (SELECT r FROM link WHERE case_id = cases.id) WHERE draft = '{}';
DROP TABLE temp.link;";

fn sign_in(store: &Store, user: &str) -> Session {
    store
        .login(&LoginInput {
            username: user.into(),
            password: demo::DEMO_PASSWORD.into(),
        })
        .unwrap()
}

/// A fixed key: the bench's data directory is encrypted like any other.
fn keys() -> StationKeys {
    StationKeys::from_secret([0x24; 32], KeyHome::EnvFile("bench.key".into()))
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(regdesk_store::DB_FILE);
    {
        let store = Store::open_with_keys(dir.path(), Arc::new(SystemClock), keys()).unwrap();
        demo::fill_office(&store, 24).unwrap();
    }
    {
        let conn = regdesk_store::connect(&db, &keys().database()).unwrap();
        conn.execute(COPY_CASES, [COPIES]).unwrap();
        conn.execute_batch(INDEX_COPIES).unwrap();
        conn.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }
    let store = Store::open_with_keys(dir.path(), Arc::new(SystemClock), keys()).unwrap();
    let zhaomin = sign_in(&store, "zhaomin");
    let liwen = sign_in(&store, "liwen");
    let first = store
        .list_queue(&zhaomin, &QueueInput::first(Queue::FirstReview, 1))
        .unwrap();
    let serial = format!("{}-4711", first.rows[0].serial);
    let total: u32 = regdesk_store::connect(&db, &keys().database())
        .unwrap()
        .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    eprintln!("office of {total} cases");

    let mut g = c.benchmark_group("queues");
    g.sample_size(20);
    g.bench_function("desk overview (counts and overdue)", |b| {
        b.iter(|| store.desk_overview(&zhaomin, Desk::Reports).unwrap())
    });
    g.bench_function("first page of 待初审", |b| {
        b.iter(|| {
            store
                .list_queue(&liwen, &QueueInput::first(Queue::FirstReview, 20))
                .unwrap()
        })
    });
    let mut page_500 = QueueInput::first(Queue::FirstReview, 20);
    page_500.page = 500;
    g.bench_function("page 500 of 待初审", |b| {
        b.iter(|| store.list_queue(&liwen, &page_500).unwrap())
    });
    for (name, text) in [("a name", "张伟芳"), ("what every serial holds", "ZJ-")] {
        let mut input = QueueInput::first(Queue::FirstReview, 20);
        input.search = Some(text.into());
        g.bench_function(format!("待初审 searched for {name}"), |b| {
            b.iter(|| store.list_queue(&liwen, black_box(&input)).unwrap())
        });
    }
    for (name, text) in [
        ("search: a serial", serial.as_str()),
        ("search: a three-character name", "张伟芳"),
        ("search: a two-character name", "张伟"),
        ("search: one character", "张"),
        ("search: two characters no case holds (a whole scan)", "鑫淼"),
        ("search: a title word", "西湖小桥"),
        ("search: what every serial holds", "ZJ-"),
    ] {
        let input = CaseSearchInput {
            text: text.into(),
            limit: None,
        };
        g.bench_function(name, |b| {
            b.iter(|| store.search_cases(&zhaomin, black_box(&input)).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
