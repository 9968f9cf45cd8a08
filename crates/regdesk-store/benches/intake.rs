//! Batch intake and saving a filing in a large office.
//!
//! * `intake/import 1,000 rows`: an agency's CSV of 1,000 works (each with its
//!   sample and the owner's ID scan in the folder) imported for real: every
//!   row checked by the filing rules, then one command per row (files, case,
//!   search entry, journal, audit with row digests, signed head).
//! * `intake/save one filing at N cases`: `save_draft` of a whole filing (a
//!   法人作品 with two owners, a writer and their files) as a new case, in an
//!   office of N cases (the sample office's 24 filings copied in SQL, as the
//!   queues bench does; N from `REGDESK_BENCH_CASES`, default 1,000,000). The
//!   bench also prints the p50/p95/p99 of 300 single saves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use regdesk_store::keys::{KeyHome, StationKeys};
use regdesk_store::{
    demo, FindApplicantsInput, ImportFilingsInput, LoginInput, SaveDraftInput, Session, Store, SystemClock,
};

const COPY_CASES: &str = "
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
INSERT INTO cases (id, serial, title, category, state, applicant_name, created_at, accepted_on, due_on,
                   registration_number, version, updated_at, applicant_id, draft, facts, created_by,
                   fee_fen, awaiting_payment_since, office_code)
SELECT c.id || '-' || k.i, c.serial || '-' || k.i,
       substr('西湖春色钱塘潮声青瓷纹样山水画卷江南烟雨', k.i % 19 + 1, 2) || '（' || k.i || '）',
       c.category, c.state,
       substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', k.i % 20 + 1, 1)
         || substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平', (k.i / 20) % 20 + 1, 1),
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

fn keys() -> StationKeys {
    StationKeys::from_secret([0x31; 32], KeyHome::EnvFile("bench.key".into()))
}

fn sign_in(store: &Store, user: &str) -> Session {
    store
        .login(&LoginInput {
            username: user.into(),
            password: demo::DEMO_PASSWORD.into(),
        })
        .unwrap()
}

fn resident_id(n: u32) -> String {
    let body = format!("330106199001{:02}{:03}", n % 28 + 1, n % 1000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

/// The agency's CSV of `n` works and its folder of files.
fn agency_sheet(dir: &std::path::Path, n: u32) -> (String, String) {
    let folder = dir.join("样本");
    std::fs::create_dir_all(&folder).unwrap();
    let columns = regdesk_domain::intake::columns();
    let mut text = columns.iter().map(|c| c.header.clone()).collect::<Vec<_>>().join(",") + "\n";
    for i in 0..n {
        let title = format!("西湖写生第{i}号");
        let owner = format!("画家{i}");
        std::fs::write(folder.join(format!("{title}.jpg")), format!("\u{ff}\u{d8} sample {i}")).unwrap();
        std::fs::write(folder.join(format!("{owner}.jpg")), format!("\u{ff}\u{d8} id {i}")).unwrap();
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match c.key.as_str() {
                "work.title" => title.clone(),
                "work.category" => "美术".into(),
                "work.nature" => "原创".into(),
                "work.completed_on" => "2026-03-01".into(),
                "work.completed_place" => "浙江省杭州市".into(),
                "work.publication" => "未发表".into(),
                "work.attribution" => "个人作品".into(),
                "work.acquisition" => "原始".into(),
                "work.ownership" => "全部".into(),
                "owners[0].kind" | "authors.kind" => "自然人".into(),
                "owners[0].name" | "authors.names" => owner.clone(),
                "owners[0].id_type" => "居民身份证".into(),
                "owners[0].id_number" => resident_id(i),
                "owners[0].region" => "浙江省杭州市".into(),
                "owners[0].files.identity" => format!("{owner}.jpg"),
                "authors.signed_as" => "本名".into(),
                "samples" => format!("{title}.jpg"),
                "description" => "水彩写生。".into(),
                "creation_story" => "在西湖边写生完成。".into(),
                "delivery" => "自领".into(),
                "invoice_email" => "agency@example.cn".into(),
                _ => String::new(),
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    let sheet = dir.join("批量.csv");
    std::fs::write(&sheet, text).unwrap();
    (
        sheet.to_string_lossy().into_owned(),
        folder.to_string_lossy().into_owned(),
    )
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_keys(dir.path(), Arc::new(SystemClock), keys()).unwrap();
    demo::fill_office(&store, 1).unwrap();
    let clerk = sign_in(&store, "wangli");
    let applicant = store
        .find_applicants(
            &clerk,
            &FindApplicantsInput {
                query: "林晓雨".into(),
                limit: 1,
            },
        )
        .unwrap()[0]
        .id
        .clone();
    let (path, files_dir) = agency_sheet(dir.path(), 1_000);
    let input = ImportFilingsInput {
        path,
        files_dir,
        applicant_id: applicant,
        dry_run: false,
    };
    let mut g = c.benchmark_group("intake");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(1));
    g.measurement_time(Duration::from_secs(1));
    g.bench_function("import 1,000 rows", |b| {
        b.iter(|| {
            let v = store.import_filings(&clerk, &input, &|_| true).unwrap();
            assert_eq!(v.created, 1_000);
        })
    });
    g.finish();
}

fn save(c: &mut Criterion) {
    let cases: u32 = std::env::var("REGDESK_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(regdesk_store::DB_FILE);
    let built = Instant::now();
    {
        let store = Store::open_with_keys(dir.path(), Arc::new(SystemClock), keys()).unwrap();
        demo::fill_office(&store, 24).unwrap();
    }
    {
        let conn = regdesk_store::connect(&db, &keys().database()).unwrap();
        conn.execute(COPY_CASES, [cases / 24]).unwrap();
        conn.execute_batch(INDEX_COPIES).unwrap();
        conn.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }
    let store = Store::open_with_keys(dir.path(), Arc::new(SystemClock), keys()).unwrap();
    let total: i64 = {
        let conn = regdesk_store::connect(&db, &keys().database()).unwrap();
        conn.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0)).unwrap()
    };
    println!("office of {total} cases built in {:.0?}", built.elapsed());
    let clerk = sign_in(&store, "wangli");
    // A whole filing of the sample office (full numbers, as the counter's edit form has it).
    let first = store
        .search_cases(
            &clerk,
            &regdesk_store::CaseSearchInput {
                text: "湖光影像".into(),
                limit: Some(1),
            },
        )
        .unwrap();
    let source = store.reveal_case(&clerk, &first.hits[0].case.id).unwrap();
    let input = SaveDraftInput {
        case_id: None,
        version: None,
        applicant_id: source.applicant_id.clone(),
        draft: source.draft.clone(),
    };
    let mut times: Vec<Duration> = (0..300)
        .map(|_| {
            let t = Instant::now();
            store.save_draft(&clerk, &input).unwrap();
            t.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "save one filing at {total} cases, 300 saves: p50 {:.2?}, p95 {:.2?}, p99 {:.2?}",
        at(0.5),
        at(0.95),
        at(0.99)
    );
    let mut g = c.benchmark_group("intake");
    g.sample_size(50);
    g.bench_function(format!("save one filing at {total} cases"), |b| {
        b.iter(|| store.save_draft(&clerk, &input).unwrap())
    });
    g.finish();
}

criterion_group!(benches, import, save);
criterion_main!(benches);
